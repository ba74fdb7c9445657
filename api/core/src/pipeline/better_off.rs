//! Work-incentives planning: a better-off check with the client before each job start or change
//! of hours — when, by whom, for which offer, job or hours, what it found, and whether they were
//! referred to a welfare-rights adviser. The work-incentives measure and the work queue read these.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use entities::{application, better_off_check, client, job_start};

use crate::access::{Role, Viewer};
use crate::dates::Date;
use crate::error::{ApiError, ServiceError, UserErrorCode};
use crate::ids::{self, GlobalId, Kind};
use crate::stored_enum;
use crate::validate::Checks;

stored_enum! {
    /// What a better-off check found.
    pub enum BetterOffOutcome {
        /// Better off in work (or with the new hours).
        BetterOff = "BETTER_OFF",
        /// About the same.
        AboutTheSame = "ABOUT_THE_SAME",
        /// Worse off: worth talking through before going ahead.
        WorseOff = "WORSE_OFF",
        /// Not clear without specialist benefits advice.
        NeedsAdvice = "NEEDS_ADVICE",
    }
}

/// A better-off check to record: for one job offer (an application), one job (a start), or a
/// change of hours.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct BetterOffCheckRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// The day (default today; not in the future).
    pub checked_on: Option<Date>,
    /// The job offer it was for (the client's application).
    pub application_id: Option<GlobalId>,
    /// The job it was for (the client's job start).
    pub job_start_id: Option<GlobalId>,
    /// For a change of hours in a job: the new hours a week.
    pub hours_change_to: Option<f64>,
    /// What it found.
    pub outcome: BetterOffOutcome,
    /// Referred to a welfare-rights adviser (default false).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub referred_to_welfare_rights: bool,
}

/// Records a better-off check for a client within the caller's reach.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: BetterOffCheckRecordInput,
) -> Result<better_off_check::Model, ServiceError> {
    if !matches!(viewer.role, Role::Specialist | Role::TeamLead) {
        return Err(ServiceError::Api(ApiError::Forbidden));
    }
    let txn = crate::db::begin_write(db).await?;
    let client =
        crate::clients::service::reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let today = crate::clock::today();
    let on = input.checked_on.map_or(today, |d| d.0);
    if on > today {
        checks.fail(
            "checkedOn",
            UserErrorCode::Invalid,
            "this cannot be in the future",
        );
    } else if on < today - chrono::Duration::days(366) || on < client.referral_date {
        checks.fail(
            "checkedOn",
            UserErrorCode::Invalid,
            "this cannot be before the referral or more than a year ago",
        );
    }
    let named = [
        input.application_id.is_some(),
        input.job_start_id.is_some(),
        input.hours_change_to.is_some(),
    ]
    .iter()
    .filter(|n| **n)
    .count();
    if named != 1 {
        checks.fail(
            "applicationId",
            UserErrorCode::Invalid,
            "name one of the job offer, the job or the new hours the check was for",
        );
    }
    let application = match &input.application_id {
        Some(id) => {
            let found = match ids::decode_as(id, Kind::Application) {
                Some(uuid) => application::Entity::find_by_id(uuid).one(&txn).await?,
                None => None,
            }
            .filter(|a| a.client_id == client.id);
            if found.is_none() {
                checks.fail(
                    "applicationId",
                    UserErrorCode::NotFound,
                    "no such application of this client",
                );
            }
            found.map(|a| a.id)
        }
        None => None,
    };
    let job = match &input.job_start_id {
        Some(id) => {
            let found = match ids::decode_as(id, Kind::JobStart) {
                Some(uuid) => job_start::Entity::find_by_id(uuid).one(&txn).await?,
                None => None,
            }
            .filter(|j| j.client_id == client.id);
            if found.is_none() {
                checks.fail(
                    "jobStartId",
                    UserErrorCode::NotFound,
                    "no such job of this client",
                );
            }
            found.map(|j| j.id)
        }
        None => None,
    };
    if input
        .hours_change_to
        .is_some_and(|h| !(h.is_finite() && (0.0..=80.0).contains(&h)))
    {
        checks.fail(
            "hoursChangeTo",
            UserErrorCode::Invalid,
            "hours a week run from 0 to 80",
        );
    }
    checks.finish()?;
    let saved = better_off_check::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client.id),
        checked_on: Set(on),
        checked_by_id: Set(viewer.id()),
        application_id: Set(application),
        job_start_id: Set(job),
        hours_change_to: Set(input.hours_change_to),
        outcome: Set(input.outcome.as_db().into()),
        referred_to_welfare_rights: Set(input.referred_to_welfare_rights),
        recorded_at: Set(crate::db::now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A reached client's better-off checks, newest first.
pub async fn of_client(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<better_off_check::Model>, ApiError> {
    Ok(better_off_check::Entity::find()
        .filter(better_off_check::Column::ClientId.eq(client.id))
        .order_by_desc(better_off_check::Column::CheckedOn)
        .all(db)
        .await?)
}

/// The better-off checks of any of `clients`.
pub async fn of_clients(
    db: &impl ConnectionTrait,
    clients: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<better_off_check::Model>, ApiError> {
    Ok(better_off_check::Entity::find()
        .filter(better_off_check::Column::ClientId.is_in(clients))
        .all(db)
        .await?)
}

/// Whether a check before `start` covers a job: one for its start, or for the offer that led to
/// it, on or before its first day. The work-incentives measure and the work queue both ask this.
pub fn checked_before(checks: &[better_off_check::Model], job: &job_start::Model) -> bool {
    checks.iter().any(|c| {
        c.client_id == job.client_id
            && c.checked_on <= job.start_date
            && (c.job_start_id == Some(job.id)
                || (c.application_id.is_some() && c.application_id == job.application_id))
    })
}
