//! Consent reads beyond a client's own fields: consents about to lapse across the caller's reach.

use async_graphql::{Context, Object, Result};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entities::{application, client, disclosure_consent, employer, job_start, vacancy};

use super::types::*;
use crate::auth::viewer;
use crate::clients::access::ClientScope;
use crate::error::ApiError;

/// Consent queries.
#[derive(Default)]
pub struct ConsentQuery;

/// The names the employers of `consents` have now (what "in force" compares with the name each
/// consent version was agreed under).
async fn employer_names(
    db: &DatabaseConnection,
    consents: &[disclosure_consent::Model],
) -> Result<std::collections::HashMap<uuid::Uuid, String>, ApiError> {
    Ok(employer::Entity::find()
        .filter(employer::Column::Id.is_in(consents.iter().map(|c| c.employer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect())
}

/// Work at an employer the client's consent no longer covers (revoked, expired, or suspended
/// because the employer was renamed since the client agreed): the specialist must not speak for
/// the client there until it is renewed or confirmed.
#[derive(async_graphql::SimpleObject)]
pub struct ConsentAlert {
    /// The client.
    pub client: crate::clients::types::Client,
    /// The employer.
    pub employer: Option<crate::employers::types::Employer>,
    /// What lapsed.
    pub reason: String,
    /// An open application there, sent by the specialist or jointly.
    pub application: Option<crate::pipeline::types::Application>,
    /// A current job there (in-work support with the employer is now refused).
    pub job: Option<crate::pipeline::types::JobStart>,
}

#[Object]
impl ConsentQuery {
    /// Open applications and current jobs at employers whose consent from the client was revoked or
    /// has expired, and consents suspended by an employer's rename, for clients you reach.
    async fn consent_alerts(&self, ctx: &Context<'_>) -> Result<Vec<ConsentAlert>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let clients = ClientScope::of(me)
            .apply(client::Entity::find())
            .all(db)
            .await?;
        let ids: Vec<uuid::Uuid> = clients.iter().map(|c| c.id).collect();
        let rows = disclosure_consent::Entity::find()
            .filter(disclosure_consent::Column::ClientId.is_in(ids.clone()))
            .order_by_desc(disclosure_consent::Column::Version)
            .all(db)
            .await?;
        let now = Utc::now();
        let newest = super::service::newest_versions(rows);
        let names = employer_names(db, &newest).await?;
        let lapse = |c: &disclosure_consent::Model| {
            let name = names.get(&c.employer_id).map_or("", String::as_str);
            super::gate::in_force(c, name, now).err()
        };
        // (client, employer) pairs with a consent on record but none in force.
        let mut lapsed: Vec<(uuid::Uuid, uuid::Uuid, String, bool)> = Vec::new();
        for c in &newest {
            let pair = (c.client_id, c.employer_id);
            let covered = newest
                .iter()
                .any(|o| (o.client_id, o.employer_id) == pair && lapse(o).is_none());
            if !covered && !lapsed.iter().any(|(a, b, _, _)| (*a, *b) == pair) {
                let why = lapse(c);
                let renamed = matches!(why, Some(super::gate::Lapse::EmployerRenamed { .. }));
                let reason =
                    why.map_or_else(|| "no consent in force".to_string(), |l| l.describe());
                lapsed.push((pair.0, pair.1, reason, renamed));
            }
        }
        let applications = application::Entity::find()
            .filter(application::Column::ClientId.is_in(ids.clone()))
            .filter(application::Column::Stage.is_not_in(["STARTED", "NOT_PROGRESSED"]))
            .filter(application::Column::SubmittedBy.ne("CLIENT"))
            .all(db)
            .await?;
        let vacancy_ids: Vec<uuid::Uuid> = applications.iter().map(|a| a.vacancy_id).collect();
        let vacancies = vacancy::Entity::find()
            .filter(vacancy::Column::Id.is_in(vacancy_ids))
            .all(db)
            .await?;
        let jobs = job_start::Entity::find()
            .filter(job_start::Column::ClientId.is_in(ids))
            .filter(job_start::Column::EndDate.is_null())
            .all(db)
            .await?;
        let mut alerts = Vec::new();
        for (client_id, employer_id, reason, renamed) in lapsed {
            let before = alerts.len();
            let Some(client) = clients.iter().find(|c| c.id == client_id) else {
                continue;
            };
            let employer = crate::employers::service::find_employer(db, employer_id)
                .await?
                .map(crate::employers::types::Employer);
            for a in applications.iter().filter(|a| {
                a.client_id == client_id
                    && vacancies
                        .iter()
                        .any(|v| v.id == a.vacancy_id && v.employer_id == Some(employer_id))
            }) {
                alerts.push(ConsentAlert {
                    client: crate::clients::types::Client(client.clone()),
                    employer: employer.clone(),
                    reason: reason.clone(),
                    application: Some(crate::pipeline::types::Application(a.clone())),
                    job: None,
                });
            }
            for j in jobs
                .iter()
                .filter(|j| j.client_id == client_id && j.employer_id == Some(employer_id))
            {
                alerts.push(ConsentAlert {
                    client: crate::clients::types::Client(client.clone()),
                    employer: employer.clone(),
                    reason: reason.clone(),
                    application: None,
                    job: Some(crate::pipeline::types::JobStart(j.clone())),
                });
            }
            // A consent suspended by a rename needs the client's word even with nothing open.
            if renamed && alerts.len() == before {
                alerts.push(ConsentAlert {
                    client: crate::clients::types::Client(client.clone()),
                    employer,
                    reason,
                    application: None,
                    job: None,
                });
            }
        }
        Ok(alerts)
    }

    /// Consents in force that lapse within `days` days, for clients you reach; soonest first.
    async fn consents_expiring(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days ahead to look (1 to 365).")] days: i32,
    ) -> Result<Vec<Consent>> {
        let me = viewer(ctx)?;
        if !(1..=365).contains(&days) {
            return Err(ApiError::BadUserInput("`days` must be between 1 and 365".into()).into());
        }
        let db = ctx.data::<DatabaseConnection>()?;
        let clients: Vec<uuid::Uuid> = ClientScope::of(me)
            .apply(client::Entity::find())
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let rows = disclosure_consent::Entity::find()
            .filter(disclosure_consent::Column::ClientId.is_in(clients))
            .order_by_desc(disclosure_consent::Column::Version)
            .all(db)
            .await?;
        let now = Utc::now();
        let horizon = now + Duration::days(i64::from(days));
        let newest = super::service::newest_versions(rows);
        let names = employer_names(db, &newest).await?;
        let mut lapsing: Vec<disclosure_consent::Model> = newest
            .into_iter()
            .filter(|c| {
                let name = names.get(&c.employer_id).map_or("", String::as_str);
                super::gate::in_force(c, name, now).is_ok() && c.expires_at <= horizon
            })
            .collect();
        lapsing.sort_by_key(|c| c.expires_at);
        Ok(lapsing.into_iter().map(Consent).collect())
    }
}
