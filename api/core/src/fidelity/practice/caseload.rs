//! Caseload per full-time specialist: clients assigned and not discharged on the last day of the
//! range.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{caseload_assignment, client_status_episode};

use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::scope::{Scope, end_of};
use crate::fidelity::thresholds::Thresholds;

/// Who the scope's caseloads hold.
pub struct Caseload {
    /// Every client assigned to the scope's specialists by the end of the range (the caseload the
    /// other measures look at).
    pub ever: HashSet<Uuid>,
    /// The clients on a caseload on the range's last day (not discharged), with their specialist.
    pub at_end: HashMap<Uuid, Uuid>,
}

/// The measure, and who the caseloads hold.
pub async fn measure_of(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    scope: &Scope,
    to: NaiveDate,
) -> Result<(FidelityMeasure, Caseload), ApiError> {
    let ids: Vec<Uuid> = scope.specialists.iter().map(|s| s.id).collect();
    let to_t = end_of(to);
    // 1. Caseload per full-time specialist: clients assigned and not discharged on the last day
    //    of the range.
    let assignments = caseload_assignment::Entity::find()
        .filter(caseload_assignment::Column::SpecialistId.is_in(ids.clone()))
        .filter(caseload_assignment::Column::AssignedFrom.lte(to_t))
        .all(db)
        .await?;
    // Discharged clients are off the caseload, though their assignment stays (for the record).
    let discharged: HashSet<Uuid> = client_status_episode::Entity::find()
        .filter(
            client_status_episode::Column::ClientId.is_in(assignments.iter().map(|a| a.client_id)),
        )
        .filter(client_status_episode::Column::Status.eq("DISCHARGED"))
        .filter(client_status_episode::Column::StartedOn.lte(to))
        .all(db)
        .await?
        .into_iter()
        .filter(|e| e.ended_on.is_none_or(|end| end > to))
        .map(|e| e.client_id)
        .collect();
    let open_at_end = |a: &&caseload_assignment::Model| {
        a.assigned_to.is_none_or(|t| t > to_t) && !discharged.contains(&a.client_id)
    };
    let mut per_specialist = Vec::new();
    let (mut clients, mut fte) = (0usize, 0.0);
    for s in &scope.specialists {
        let n = assignments
            .iter()
            .filter(open_at_end)
            .filter(|a| a.specialist_id == s.id)
            .count();
        clients += n;
        fte += s.fte;
        per_specialist.push(SeriesPoint::new(
            s.name.clone(),
            if s.fte > 0.0 {
                n as f64 / s.fte
            } else {
                n as f64
            },
        ));
    }
    let caseload = measure(
        thresholds,
        "caseload_per_fte",
        "Clients per full-time specialist",
        (fte > 0.0).then(|| clients as f64 / fte),
        per_specialist,
    )?;
    let ever: HashSet<Uuid> = assignments.iter().map(|a| a.client_id).collect();
    let at_end = assignments
        .iter()
        .filter(open_at_end)
        .map(|a| (a.client_id, a.specialist_id))
        .collect();
    Ok((caseload, Caseload { ever, at_end }))
}
