//! Outreach attempts: when a client stops attending, the specialist tries to re-engage them (a call,
//! a text, a letter, a visit) before any discharge. The fidelity measure "no discharge for missed
//! appointments alone" reads these.

use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use uuid::Uuid;

use entities::outreach_attempt;

use super::service::reachable;
use crate::dates::Date;
use crate::employers::model::ContactChannel;
use crate::error::{ServiceError, UserErrorCode};
use crate::ids::GlobalId;
use crate::validate::Checks;

/// An outreach attempt to record.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct OutreachAttemptRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// The day (default today; not in the future).
    pub attempted_on: Option<Date>,
    /// How the client was approached.
    pub mode: ContactChannel,
}

/// Records an outreach attempt for a client within the caller's reach.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &crate::access::Viewer,
    input: OutreachAttemptRecordInput,
) -> Result<outreach_attempt::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let today = crate::clock::today();
    let on = input.attempted_on.map_or(today, |d| d.0);
    if on > today {
        checks.fail(
            "attemptedOn",
            UserErrorCode::Invalid,
            "this cannot be in the future",
        );
    }
    if on < client.referral_date {
        checks.fail(
            "attemptedOn",
            UserErrorCode::Invalid,
            "this cannot be before the referral",
        );
    }
    checks.finish()?;
    let saved = outreach_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client.id),
        attempted_on: Set(on),
        mode: Set(input.mode.as_db().into()),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(crate::db::now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}
