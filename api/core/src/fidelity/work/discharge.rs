//! Whether discharges followed outreach (no discharge for missed appointments alone): outreach
//! attempts, and the diary's follow-ups of missed appointments.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::client_status_episode;

use super::jobs::{Jobs, share};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::thresholds::Thresholds;

/// Outreach counted before a discharge: attempts in the 8 weeks up to it, at least two.
const OUTREACH_WINDOW_DAYS: i64 = 56;
const OUTREACH_ATTEMPTS: usize = 2;

/// Discharges in the range, and whether at least two outreach attempts came in the 8 weeks before.
pub(super) async fn measure_of(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    clients: &HashSet<Uuid>,
    jobs: &Jobs,
) -> Result<FidelityMeasure, ApiError> {
    let (from, to, names) = (jobs.from, jobs.to, &jobs.names);
    // Discharges in the range, and whether at least two outreach attempts came in the 8 weeks
    // before (no discharge for missed appointments alone).
    let discharges = client_status_episode::Entity::find()
        .filter(client_status_episode::Column::ClientId.is_in(clients.iter().copied()))
        .filter(client_status_episode::Column::Status.eq("DISCHARGED"))
        .filter(client_status_episode::Column::StartedOn.between(from, to))
        .all(db)
        .await?;
    // Outreach: the attempts recorded as such, and the diary's follow-ups of missed appointments.
    let mut attempts: Vec<(Uuid, NaiveDate)> = jobs
        .outreach
        .iter()
        .map(|a| (a.client_id, a.attempted_on))
        .collect();
    for (entry, named) in &jobs.diary {
        if entry.follows_up_id.is_some() {
            attempts.extend(named.iter().map(|c| (*c, entry.at.date_naive())));
        }
    }
    let mut outreach: Vec<SeriesPoint> = discharges
        .iter()
        .map(|d| SeriesPoint {
            label: names.get(&d.client_id).cloned().unwrap_or_default(),
            client: Some(d.client_id),
            value: attempts
                .iter()
                .filter(|(client, on)| {
                    *client == d.client_id
                        && *on <= d.started_on
                        && *on >= d.started_on - Duration::days(OUTREACH_WINDOW_DAYS)
                })
                .count() as f64,
        })
        .collect();
    outreach.sort_by(|a, b| a.label.cmp(&b.label));
    let reached_out = outreach
        .iter()
        .filter(|p| p.value >= OUTREACH_ATTEMPTS as f64)
        .count();
    let discharge = measure(
        thresholds,
        "outreach_before_discharge",
        "Discharges that followed at least two outreach attempts in the 8 weeks before, %",
        share(reached_out, outreach.len()),
        outreach,
    )?;
    Ok(discharge)
}
