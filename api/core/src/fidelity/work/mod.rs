//! Fidelity measures of the work with clients once jobs come: diversity of job types and of
//! employers, competitive jobs, the rhythm of in-work support, contact after a job ends, whether
//! disclosure was discussed more than once before the first employer contact, whether discharges
//! followed outreach, better-off checks before starts, and missed appointments followed up. Shares
//! are percentages
//! of the cases the range holds; a measure with no cases has no value.

mod discharge;
mod disclosure;
mod diversity;
mod engagement;
mod incentives;
mod jobs;
mod support;

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::measure::FidelityMeasure;
use super::thresholds::Thresholds;
use crate::error::ApiError;
pub use crate::fidelity::rules::followed_rhythm;

/// The measures of job starts, support and disclosure discussions for the clients on the scope's
/// caseloads (`clients`), from `from` to `to`, one file each.
pub async fn measures(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    clients: &HashSet<Uuid>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<FidelityMeasure>, ApiError> {
    let jobs = jobs::Jobs::read(db, clients, from, to).await?;
    let mut all = diversity::measures(thresholds, &jobs)?;
    all.extend(support::measures(db, thresholds, clients, &jobs, today).await?);
    all.push(disclosure::measure_of(db, thresholds, clients, &jobs.names, from, to).await?);
    all.push(discharge::measure_of(db, thresholds, clients, &jobs).await?);
    all.push(incentives::measure_of(db, thresholds, &jobs).await?);
    all.push(engagement::measure_of(thresholds, &jobs, today)?);
    Ok(all)
}
