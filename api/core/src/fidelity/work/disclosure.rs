//! Whether disclosure was discussed more than once before the first employer contact on a
//! client's behalf.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{disclosure_discussion, engagement, engagement_client};

use super::jobs::share;
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::thresholds::Thresholds;

/// Clients whose first employer contact on their behalf (any mode, current entries) fell in the
/// range, and how many disclosure discussions came on or before it.
pub(super) async fn measure_of(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    clients: &HashSet<Uuid>,
    names: &HashMap<Uuid, String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FidelityMeasure, ApiError> {
    // Disclosure: clients whose first employer contact on their behalf (any mode, current entries)
    // fell in the range, and how many disclosure discussions came on or before it.
    let links = engagement_client::Entity::find()
        .filter(engagement_client::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?;
    let linked: Vec<Uuid> = links.iter().map(|l| l.engagement_id).collect();
    let superseded: HashSet<Uuid> = engagement::Entity::find()
        .filter(engagement::Column::SupersedesId.is_in(linked.clone()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.supersedes_id)
        .collect();
    let current: HashMap<Uuid, NaiveDate> = engagement::Entity::find()
        .filter(engagement::Column::Id.is_in(linked))
        .filter(engagement::Column::RetractionReason.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|e| !superseded.contains(&e.id))
        .map(|e| (e.id, e.occurred_at.date_naive()))
        .collect();
    let mut first_contact: HashMap<Uuid, NaiveDate> = HashMap::new();
    for link in &links {
        if let Some(day) = current.get(&link.engagement_id) {
            let slot = first_contact.entry(link.client_id).or_insert(*day);
            *slot = (*slot).min(*day);
        }
    }
    let discussions = disclosure_discussion::Entity::find()
        .filter(disclosure_discussion::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?;
    let mut discussed: Vec<SeriesPoint> = first_contact
        .iter()
        .filter(|(_, day)| **day >= from && **day <= to)
        .map(|(client, day)| SeriesPoint {
            label: names.get(client).cloned().unwrap_or_default(),
            client: Some(*client),
            value: discussions
                .iter()
                .filter(|d| d.client_id == *client && d.discussed_on <= *day)
                .count() as f64,
        })
        .collect();
    discussed.sort_by(|a, b| a.label.cmp(&b.label));
    let twice = discussed.iter().filter(|p| p.value >= 2.0).count();
    let disclosure = measure(
        thresholds,
        "disclosure_discussed_before_employer_contact",
        "Clients with disclosure discussed more than once before the first employer contact on their behalf, %",
        share(twice, discussed.len()),
        discussed,
    )?;
    Ok(disclosure)
}
