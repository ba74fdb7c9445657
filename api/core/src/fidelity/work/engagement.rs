//! Assertive engagement: of the appointments clients missed in the range (at least three days
//! ago), the share followed up within three days — by a call, a visit, outreach, or contact
//! through the integrated team (their keyworker).

use chrono::{Duration, NaiveDate};

use super::jobs::{Jobs, share};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::rules::{FOLLOW_UP_DAYS, followed_up_on, is_missed};
use crate::fidelity::thresholds::Thresholds;

/// The measure over the caseload's clients (their diary and outreach, read with their jobs).
pub(super) fn measure_of(
    thresholds: &Thresholds,
    jobs: &Jobs,
    today: NaiveDate,
) -> Result<FidelityMeasure, ApiError> {
    let (from, to, names) = (jobs.from, jobs.to, &jobs.names);
    let (diary, outreach) = (&jobs.diary, &jobs.outreach);
    let mut points = Vec::new();
    for (entry, named) in diary {
        let day = entry.at.date_naive();
        if !is_missed(entry)
            || day < from
            || day > to
            || day + Duration::days(FOLLOW_UP_DAYS) > today
        {
            continue;
        }
        for client in named {
            let prompt = followed_up_on(entry, *client, diary, outreach)
                .is_some_and(|on| on <= day + Duration::days(FOLLOW_UP_DAYS));
            points.push(SeriesPoint {
                label: names.get(client).cloned().unwrap_or_default(),
                value: if prompt { 1.0 } else { 0.0 },
                client: Some(*client),
            });
        }
    }
    let prompt = points.iter().filter(|p| p.value > 0.0).count();
    measure(
        thresholds,
        "missed_appointments_followed_up",
        "Missed appointments followed up within 3 days (a call, a visit, outreach or the keyworker), %",
        share(prompt, points.len()),
        points,
    )
}
