//! Who an integrator is and what its token lets it do. Scopes are granted at registration; a token
//! gets the ones it asks for that were granted, and the integrator must still be active.

use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use entities::integrator;

use crate::error::ApiError;

/// A permission an integrator token can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum Scope {
    /// Read vacancies and the vacancy change feed.
    #[cfg_attr(feature = "graphql", graphql(name = "VACANCIES_READ"))]
    VacanciesRead,
    /// Create, change and expire the integrator's own vacancies.
    #[cfg_attr(feature = "graphql", graphql(name = "VACANCIES_WRITE"))]
    VacanciesWrite,
    /// Read employers and the employer change feed.
    #[cfg_attr(feature = "graphql", graphql(name = "EMPLOYERS_READ"))]
    EmployersRead,
    /// Create and change the integrator's own employers.
    #[cfg_attr(feature = "graphql", graphql(name = "EMPLOYERS_WRITE"))]
    EmployersWrite,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 4] = [
        Scope::VacanciesRead,
        Scope::VacanciesWrite,
        Scope::EmployersRead,
        Scope::EmployersWrite,
    ];

    /// The token spelling (`vacancies:read`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::VacanciesRead => "vacancies:read",
            Scope::VacanciesWrite => "vacancies:write",
            Scope::EmployersRead => "employers:read",
            Scope::EmployersWrite => "employers:write",
        }
    }

    /// Reads a token spelling.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Stored form of a set of scopes: sorted token spellings, comma-separated.
    pub fn join(scopes: &[Scope]) -> String {
        let mut texts: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        texts.join(",")
    }

    /// Reads the stored form.
    pub fn split(stored: &str) -> Vec<Scope> {
        stored.split(',').filter_map(Scope::parse).collect()
    }
}

/// The authenticated integrator of one request.
#[derive(Clone, Debug)]
pub struct Integrator {
    /// Its registration.
    pub record: integrator::Model,
    /// Scopes both granted at registration and asked for by the token.
    pub scopes: Vec<Scope>,
}

impl Integrator {
    /// Its id.
    pub fn id(&self) -> Uuid {
        self.record.id
    }

    /// The source key its records carry.
    pub fn source_key(&self) -> &str {
        &self.record.source_key
    }
}

/// The integrator `id` names, if active, with the scopes both granted and `asked` for, as the
/// database holds it now.
pub async fn active_integrator(
    db: &DatabaseConnection,
    id: Uuid,
    asked: &[String],
) -> Result<Integrator, ApiError> {
    let record = integrator::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|i| i.active)
        .ok_or_else(|| {
            tracing::info!(integrator_id = %id, "refused a token for an unknown or inactive integrator");
            ApiError::Unauthenticated
        })?;
    let granted = Scope::split(&record.scopes);
    let scopes = asked
        .iter()
        .filter_map(|s| Scope::parse(s))
        .filter(|s| granted.contains(s))
        .collect();
    Ok(Integrator { record, scopes })
}
