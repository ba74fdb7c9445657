//! Face-to-face employer contacts per full-time specialist per week (weeks from Monday), leaving
//! out in-work support visits, with the 4-week rolling mean.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::engagement;

use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::scope::{Scope, end_of, start_of};
use crate::fidelity::thresholds::Thresholds;

/// Engagements in force: not superseded by a later entry, and not a retraction.
async fn current_engagements(
    db: &DatabaseConnection,
    specialists: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<engagement::Model>, ApiError> {
    let rows = engagement::Entity::find()
        .filter(engagement::Column::SpecialistId.is_in(specialists.iter().copied()))
        .filter(engagement::Column::OccurredAt.between(from, to))
        .all(db)
        .await?;
    let superseded: HashSet<Uuid> = engagement::Entity::find()
        .filter(engagement::Column::SupersedesId.is_not_null())
        .filter(engagement::Column::SpecialistId.is_in(specialists.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.supersedes_id)
        .collect();
    Ok(rows
        .into_iter()
        .filter(|e| !superseded.contains(&e.id) && e.retraction_reason.is_none())
        .collect())
}

/// The measure over the scope's specialists from `from` to `to`.
pub async fn measure_of(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FidelityMeasure, ApiError> {
    let ids: Vec<Uuid> = scope.specialists.iter().map(|s| s.id).collect();
    let (from_t, to_t) = (start_of(from), end_of(to));
    // 2. Face-to-face employer contacts per full-time specialist per week (weeks from Monday).
    let engagements = current_engagements(db, &ids, from_t, to_t).await?;
    // Visits for in-work support are the support item's; this one counts job development.
    let face_to_face: Vec<&engagement::Model> = engagements
        .iter()
        .filter(|e| e.mode == "FACE_TO_FACE" && e.purpose != "IN_WORK_SUPPORT")
        .collect();
    let posts: f64 = scope.specialists.iter().map(|s| s.fte).sum();
    let first_monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    let mut monday = first_monday;
    while monday <= to {
        let sunday = monday + Duration::days(6);
        let n = face_to_face
            .iter()
            .filter(|e| {
                let day = e.occurred_at.date_naive();
                day >= monday && day <= sunday
            })
            .count();
        let iso = monday.iso_week();
        weeks.push(SeriesPoint::new(
            format!("{}-W{:02}", iso.year(), iso.week()),
            if posts > 0.0 { n as f64 / posts } else { 0.0 },
        ));
        monday += Duration::days(7);
    }
    let rolling: Vec<SeriesPoint> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let window = &weeks[i.saturating_sub(3)..=i];
            SeriesPoint::new(
                w.label.clone(),
                (window.iter().map(|p| p.value).sum::<f64>() / window.len() as f64 * 100.0).round()
                    / 100.0,
            )
        })
        .collect();
    let mean = (!weeks.is_empty() && !scope.specialists.is_empty())
        .then(|| weeks.iter().map(|w| w.value).sum::<f64>() / weeks.len() as f64);
    let mut contacts = measure(
        thresholds,
        "face_to_face_employer_contacts_per_week",
        "Face-to-face employer contacts per full-time specialist per week (not counting in-work support visits)",
        mean,
        weeks,
    )?;
    contacts.rolling = rolling;
    Ok(contacts)
}
