//! In-work support: whether support around each job kept the IPS rhythm, and whether a job that
//! ended was followed by a contact within 3 days (the rules are `fidelity::rules`; contacts are
//! support contacts and attended diary entries with the client).

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{job_start, support_contact};

use super::jobs::{Jobs, share};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::rules::{
    Contact, PROMPT_DAYS, contacted_after_end, contacts_by_client, followed_rhythm,
};
use crate::fidelity::thresholds::Thresholds;

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
    let support = support_contact::Entity::find()
        .filter(support_contact::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?;
    let days = contacts_by_client(&support, &jobs.diary);
    let none: Vec<Contact> = Vec::new();
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
        "Jobs whose in-work support kept the rhythm (face to face in the week before the start, within 3 days, weekly in month one, monthly after), %",
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
            value: if contacted_after_end(days.get(&j.client_id).unwrap_or(&none), end) {
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
