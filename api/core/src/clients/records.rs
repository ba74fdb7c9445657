//! What is kept about a client the caller already reaches: each history in the order the API
//! lists it. Every function takes the client's row, which only the reach check
//! ([`access`](super::access)) hands out, never a bare id from a request.

use entities::{
    application, caseload_assignment, client, client_status_episode, disclosure_discussion,
    disclosure_event, job_preference, job_start, outreach_attempt, support_contact,
    vocational_profile,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::ApiError;

/// Every status episode, oldest first.
pub async fn status_history(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<client_status_episode::Model>, ApiError> {
    Ok(client_status_episode::Entity::find()
        .filter(client_status_episode::Column::ClientId.eq(client.id))
        .order_by_asc(client_status_episode::Column::StartedOn)
        .order_by_asc(client_status_episode::Column::RecordedAt)
        .all(db)
        .await?)
}

/// The assignment in force now, if the client has one.
pub async fn current_assignment(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Option<caseload_assignment::Model>, ApiError> {
    Ok(caseload_assignment::Entity::find()
        .filter(caseload_assignment::Column::ClientId.eq(client.id))
        .filter(caseload_assignment::Column::AssignedTo.is_null())
        .one(db)
        .await?)
}

/// Every assignment to a specialist, oldest first.
pub async fn assignments(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<caseload_assignment::Model>, ApiError> {
    Ok(caseload_assignment::Entity::find()
        .filter(caseload_assignment::Column::ClientId.eq(client.id))
        .order_by_asc(caseload_assignment::Column::AssignedFrom)
        .all(db)
        .await?)
}

/// Every version of the vocational profile, newest first.
pub async fn profile_history(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<vocational_profile::Model>, ApiError> {
    Ok(vocational_profile::Entity::find()
        .filter(vocational_profile::Column::ClientId.eq(client.id))
        .order_by_desc(vocational_profile::Column::Version)
        .all(db)
        .await?)
}

/// Every version of the job preferences, newest first.
pub async fn preferences_history(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<job_preference::Model>, ApiError> {
    Ok(job_preference::Entity::find()
        .filter(job_preference::Column::ClientId.eq(client.id))
        .order_by_desc(job_preference::Column::Version)
        .all(db)
        .await?)
}

/// The client's applications, newest first.
pub async fn applications(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<application::Model>, ApiError> {
    Ok(application::Entity::find()
        .filter(application::Column::ClientId.eq(client.id))
        .order_by_desc(application::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Jobs the client started, newest first.
pub async fn job_starts(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<job_start::Model>, ApiError> {
    Ok(job_start::Entity::find()
        .filter(job_start::Column::ClientId.eq(client.id))
        .order_by_desc(job_start::Column::StartDate)
        .all(db)
        .await?)
}

/// In-work support contacts, newest first.
pub async fn support_contacts(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<support_contact::Model>, ApiError> {
    Ok(support_contact::Entity::find()
        .filter(support_contact::Column::ClientId.eq(client.id))
        .order_by_desc(support_contact::Column::OccurredAt)
        .all(db)
        .await?)
}

/// Attempts to re-engage the client, oldest first.
pub async fn outreach_attempts(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<outreach_attempt::Model>, ApiError> {
    Ok(outreach_attempt::Entity::find()
        .filter(outreach_attempt::Column::ClientId.eq(client.id))
        .order_by_asc(outreach_attempt::Column::AttemptedOn)
        .all(db)
        .await?)
}

/// Conversations about disclosure, oldest first.
pub async fn disclosure_discussions(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<disclosure_discussion::Model>, ApiError> {
    Ok(disclosure_discussion::Entity::find()
        .filter(disclosure_discussion::Column::ClientId.eq(client.id))
        .order_by_asc(disclosure_discussion::Column::DiscussedOn)
        .all(db)
        .await?)
}

/// Every time an employer was told about the client, oldest first.
pub async fn disclosures(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<disclosure_event::Model>, ApiError> {
    Ok(disclosure_event::Entity::find()
        .filter(disclosure_event::Column::ClientId.eq(client.id))
        .order_by_asc(disclosure_event::Column::Seq)
        .all(db)
        .await?)
}
