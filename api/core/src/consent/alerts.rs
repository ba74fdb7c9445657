//! What a specialist must act on about consent: work at employers whose consent from the client
//! lapsed (revoked, expired, or suspended by the employer's rename), and consents about to lapse,
//! across the clients the caller reaches. "In force" is the gate's one definition.

use chrono::Duration;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entities::{application, client, disclosure_consent, employer, job_start, vacancy};

use crate::access::Viewer;
use crate::clients::access::ClientScope;
use crate::error::ApiError;

/// Work at an employer the client's consent no longer covers.
pub struct ConsentAlert {
    /// The client.
    pub client: client::Model,
    /// The employer.
    pub employer: Option<employer::Model>,
    /// What lapsed.
    pub reason: String,
    /// An open application there, sent by the specialist or jointly.
    pub application: Option<application::Model>,
    /// A current job there.
    pub job: Option<job_start::Model>,
}

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

/// Open applications and current jobs at employers whose consent from the client was revoked or
/// has expired, and consents suspended by an employer's rename, for clients `me` reaches.
pub async fn consent_alerts(
    db: &DatabaseConnection,
    me: &Viewer,
) -> Result<Vec<ConsentAlert>, ApiError> {
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
    let now = crate::clock::now();
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
            let reason = why.map_or_else(|| "no consent in force".to_string(), |l| l.describe());
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
        let employer = crate::employers::service::find_employer(db, employer_id).await?;

        for a in applications.iter().filter(|a| {
            a.client_id == client_id
                && vacancies
                    .iter()
                    .any(|v| v.id == a.vacancy_id && v.employer_id == Some(employer_id))
        }) {
            alerts.push(ConsentAlert {
                client: client.clone(),
                employer: employer.clone(),
                reason: reason.clone(),
                application: Some(a.clone()),
                job: None,
            });
        }
        for j in jobs
            .iter()
            .filter(|j| j.client_id == client_id && j.employer_id == Some(employer_id))
        {
            alerts.push(ConsentAlert {
                client: client.clone(),
                employer: employer.clone(),
                reason: reason.clone(),
                application: None,
                job: Some(j.clone()),
            });
        }
        // A consent suspended by a rename needs the client's word even with nothing open.
        if renamed && alerts.len() == before {
            alerts.push(ConsentAlert {
                client: client.clone(),
                employer,
                reason,
                application: None,
                job: None,
            });
        }
    }
    Ok(alerts)
}

/// Consents in force that lapse within `days` days, for clients `me` reaches; soonest first.
pub async fn consents_expiring(
    db: &DatabaseConnection,
    me: &Viewer,
    days: i32,
) -> Result<Vec<disclosure_consent::Model>, ApiError> {
    if !(1..=365).contains(&days) {
        return Err(ApiError::BadUserInput(
            "`days` must be between 1 and 365".into(),
        ));
    }
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
    let now = crate::clock::now();
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
    Ok(lapsing)
}
