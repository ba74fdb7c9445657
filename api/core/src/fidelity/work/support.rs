//! In-work support: whether support around each job kept the IPS rhythm, and whether a job that
//! ended was followed by a contact within 3 days.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{job_start, support_contact};

use super::jobs::{Jobs, share};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::thresholds::Thresholds;

/// Support in the days before a start that counts as "contact before the start".
const BEFORE_START_DAYS: i64 = 14;
/// Days after a start, or after a job ends, within which a contact is due.
const PROMPT_DAYS: i64 = 3;
/// Month one of a job: four weekly windows; after it, 30-day windows.
const MONTH_AFTER_DAYS: i64 = 30;

/// The support contacts of each client (either party), by day.
fn contact_days(contacts: &[support_contact::Model]) -> HashMap<Uuid, Vec<NaiveDate>> {
    let mut days: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for c in contacts {
        days.entry(c.client_id)
            .or_default()
            .push(c.occurred_at.date_naive());
    }
    days
}

fn any_between(days: &[NaiveDate], first: NaiveDate, last: NaiveDate) -> bool {
    days.iter().any(|d| *d >= first && *d <= last)
}

/// Whether support around one job followed the IPS rhythm up to `until` (its end, or today): a
/// contact in the two weeks before the start, one within 3 days after it, one in each week of month
/// one, and one in each 30-day window after. Only windows that have fully passed are required.
pub fn followed_rhythm(days: &[NaiveDate], start: NaiveDate, until: NaiveDate) -> bool {
    if !any_between(
        days,
        start - Duration::days(BEFORE_START_DAYS),
        start - Duration::days(1),
    ) {
        return false;
    }
    if until >= start + Duration::days(PROMPT_DAYS)
        && !any_between(days, start, start + Duration::days(PROMPT_DAYS))
    {
        return false;
    }
    for week in 0..4 {
        let (first, last) = (
            start + Duration::days(7 * week),
            start + Duration::days(7 * week + 6),
        );
        if last <= until && !any_between(days, first, last) {
            return false;
        }
    }
    let mut first = start + Duration::days(28);
    loop {
        let last = first + Duration::days(MONTH_AFTER_DAYS - 1);
        if last > until {
            return true;
        }
        if !any_between(days, first, last) {
            return false;
        }
        first = last + Duration::days(1);
    }
}

/// The support rhythm of each job started in the range (and begun by `today`), and the contact
/// after each job that ended in the range at least 3 days ago.
pub(super) async fn measures(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    clients: &HashSet<Uuid>,
    jobs: &Jobs,
    today: NaiveDate,
) -> Result<Vec<FidelityMeasure>, ApiError> {
    let (from, to) = (jobs.from, jobs.to);
    let started = jobs.started();
    let label = |j: &job_start::Model| jobs.label(j);
    // In-work support: each job started in the range (and begun by today), and each job that
    // ended in the range at least 3 days ago.
    let contacts = support_contact::Entity::find()
        .filter(support_contact::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?;
    let days = contact_days(&contacts);
    let none: Vec<NaiveDate> = Vec::new();
    let begun: Vec<&&job_start::Model> = started.iter().filter(|j| j.start_date <= today).collect();
    let rhythm: Vec<SeriesPoint> = begun
        .iter()
        .map(|j| {
            let until = j.end_date.unwrap_or(today).min(today).min(to);
            let kept =
                followed_rhythm(days.get(&j.client_id).unwrap_or(&none), j.start_date, until);
            SeriesPoint {
                label: label(j),
                value: if kept { 1.0 } else { 0.0 },
                client: Some(j.client_id),
            }
        })
        .collect();
    let kept = rhythm.iter().filter(|p| p.value > 0.0).count();
    let support = measure(
        thresholds,
        "in_work_support_rhythm",
        "Jobs whose in-work support kept the rhythm (before the start, within 3 days, weekly in month one, monthly after), %",
        share(kept, rhythm.len()),
        rhythm,
    )?;
    let ended: Vec<SeriesPoint> = jobs
        .all
        .iter()
        .filter_map(|j| Some((j, j.end_date?)))
        .filter(|(_, end)| {
            *end >= from && *end <= to && *end + Duration::days(PROMPT_DAYS) <= today
        })
        .map(|(j, end)| SeriesPoint {
            label: label(j),
            client: Some(j.client_id),
            value: if any_between(
                days.get(&j.client_id).unwrap_or(&none),
                end,
                end + Duration::days(PROMPT_DAYS),
            ) {
                1.0
            } else {
                0.0
            },
        })
        .collect();
    let prompt = ended.iter().filter(|p| p.value > 0.0).count();
    let after_end = measure(
        thresholds,
        "contact_after_job_end",
        "Jobs that ended with a contact within 3 days, %",
        share(prompt, ended.len()),
        ended,
    )?;
    Ok(vec![support, after_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).expect("date") + Duration::days(i64::from(day) - 1)
    }

    #[test]
    fn the_support_rhythm_needs_every_window_that_has_passed() {
        // Start on day 15: before (day 10), within 3 days (day 16), weeks of month one (16, 22, 29,
        // 36), then a window of 30 days from day 43 to 72 (day 60).
        let kept = [d(10), d(16), d(22), d(29), d(36), d(60)];
        assert!(followed_rhythm(&kept, d(15), d(75)));
        // Nothing before the start.
        assert!(!followed_rhythm(&kept[1..], d(15), d(75)));
        // A missed week in month one (days 29–35).
        let gap = [d(10), d(16), d(22), d(36), d(60)];
        assert!(!followed_rhythm(&gap, d(15), d(75)));
        // ...unless the job ended before that week was over.
        assert!(followed_rhythm(&gap, d(15), d(30)));
        // The first monthly window (days 43–72) has no contact.
        assert!(!followed_rhythm(&kept[..5], d(15), d(75)));
        assert!(followed_rhythm(&kept[..5], d(15), d(70)));
    }
}
