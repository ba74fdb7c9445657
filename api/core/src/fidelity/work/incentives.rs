//! Work-incentives planning: of the jobs started in the range, the share with a better-off check
//! for that job (or the offer that led to it) on or before its first day.

use sea_orm::DatabaseConnection;

use super::jobs::{Jobs, share};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::thresholds::Thresholds;
use crate::pipeline::better_off::{checked_before, of_clients};

/// The measure over the jobs started in the range.
pub(super) async fn measure_of(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    jobs: &Jobs,
) -> Result<FidelityMeasure, ApiError> {
    let started = jobs.started();
    let checks = of_clients(db, started.iter().map(|j| j.client_id)).await?;
    let points: Vec<SeriesPoint> = started
        .iter()
        .map(|j| SeriesPoint {
            label: jobs.label(j),
            value: if checked_before(&checks, j) { 1.0 } else { 0.0 },
            client: Some(j.client_id),
        })
        .collect();
    let checked = points.iter().filter(|p| p.value > 0.0).count();
    measure(
        thresholds,
        "better_off_check_before_start",
        "Job starts with a better-off check for the job before its first day, %",
        share(checked, points.len()),
        points,
    )
}
