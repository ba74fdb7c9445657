//! Days from referral to the first face-to-face employer contact on the client's behalf (or the
//! client's own, an interview), for clients referred in the range and on the scope's caseloads;
//! and who is past the target with none yet.

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::client;

use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::thresholds::Thresholds;

/// The measure over `caseload_clients` from `from` to `to`.
pub async fn measure_of(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    caseload_clients: &HashSet<Uuid>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FidelityMeasure, ApiError> {
    // 3. Days from referral to the first face-to-face employer contact on the client's behalf,
    //    for clients referred in the range and on the scope's caseloads.
    let referred: Vec<client::Model> = client::Entity::find()
        .filter(client::Column::Id.is_in(caseload_clients.iter().copied()))
        .filter(client::Column::ReferralDate.between(from, to))
        .all(db)
        .await?;
    let first_contacts = crate::fidelity::rules::first_employer_contacts(db, &referred).await?;
    let mut days = Vec::new();
    let mut waiting = Vec::new();
    let target = thresholds
        .of("days_to_first_employer_contact")
        .map_or(30.0, |t| t.target);
    let today = crate::clock::today().min(to);
    for c in &referred {
        match first_contacts.get(&c.id).copied() {
            Some(day) => days.push(SeriesPoint::of_client(
                c,
                (day - c.referral_date).num_days() as f64,
            )),
            None if ((today - c.referral_date).num_days() as f64) > target => {
                waiting.push(c.clone())
            }
            None => {}
        }
    }
    let mean_days =
        (!days.is_empty()).then(|| days.iter().map(|d| d.value).sum::<f64>() / days.len() as f64);
    let mut first_contact = measure(
        thresholds,
        "days_to_first_employer_contact",
        "Days from referral to the first face-to-face employer contact (the specialist's on the client's behalf, or the client's own interview)",
        mean_days,
        days,
    )?;
    first_contact.clients_past_target_count = waiting.len() as i32;
    first_contact.clients_past_target = waiting;
    Ok(first_contact)
}
