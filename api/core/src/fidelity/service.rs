//! Fidelity measures over a scope (one specialist, or a team's specialists) and a date range,
//! computed from caseload assignments, engagements (current entries only: corrections count once,
//! retractions not at all) and the clients each engagement named.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{
    caseload_assignment, client, client_status_episode, engagement, engagement_client, staff,
};

use super::measure::measure;
pub use super::measure::{FidelityMeasure, SeriesPoint};
use super::thresholds::Thresholds;
use crate::access::Role;
use crate::clients::access::ClientScope;
use crate::error::ApiError;
use crate::ids::{self, Kind};

/// The label of a client's point for a caller who no longer reaches the client.
pub const OUT_OF_REACH_LABEL: &str = "a client outside your reach";

/// The specialists a report covers, with their FTE, and the reach of the caller it is for.
pub struct Scope {
    /// What it is called in the report.
    pub label: String,
    /// The specialists.
    pub specialists: Vec<staff::Model>,
    /// Which clients the caller reaches now: names and client objects in the report go only to
    /// them.
    pub reach: crate::clients::access::ClientScope,
}

/// Keeps client objects and names out of measures for clients `reach` does not hold now: points
/// keep their numbers but lose the name, the past-target list keeps only reached clients (its
/// count stays whole).
pub async fn redact(
    db: &DatabaseConnection,
    reach: &crate::clients::access::ClientScope,
    measures: &mut [FidelityMeasure],
) -> Result<(), ApiError> {
    let named: Vec<Uuid> = measures
        .iter()
        .flat_map(|m| {
            m.series
                .iter()
                .chain(m.rolling.iter())
                .filter_map(|p| p.client)
                .chain(m.clients_past_target.iter().map(|c| c.id))
        })
        .collect();
    let reached = reach.reached(db, named).await?;
    for m in measures.iter_mut() {
        for p in m.series.iter_mut().chain(m.rolling.iter_mut()) {
            if p.client.is_some_and(|c| !reached.contains(&c)) {
                p.label = OUT_OF_REACH_LABEL.into();
                p.client = None;
            }
        }
        m.clients_past_target.retain(|c| reached.contains(&c.id));
    }
    Ok(())
}

/// The last second of `day`.
pub(crate) fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 59)
        .map_or_else(Utc::now, |t| t.and_utc())
}

/// The first second of `day`.
pub(crate) fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .map_or_else(Utc::now, |t| t.and_utc())
}

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

/// Computes the fidelity measures for `scope` from `from` to `to` (inclusive days), with client
/// names and objects only for clients the scope's caller reaches now.
pub async fn fidelity(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FidelityMeasure>, ApiError> {
    let mut measures = compute(db, thresholds, scope, from, to).await?;
    redact(db, &scope.reach, &mut measures).await?;
    Ok(measures)
}

/// The measures as the records give them, before the reach check.
async fn compute(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FidelityMeasure>, ApiError> {
    let ids: Vec<Uuid> = scope.specialists.iter().map(|s| s.id).collect();
    let (from_t, to_t) = (start_of(from), end_of(to));

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

    // 2. Face-to-face employer contacts per specialist per week (weeks from Monday).
    let engagements = current_engagements(db, &ids, from_t, to_t).await?;
    let face_to_face: Vec<&engagement::Model> = engagements
        .iter()
        .filter(|e| e.mode == "FACE_TO_FACE")
        .collect();
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
            n as f64 / scope.specialists.len().max(1) as f64,
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
        "Face-to-face employer contacts per specialist per week",
        mean,
        weeks,
    )?;
    contacts.rolling = rolling;

    // 3. Days from referral to the first face-to-face employer contact on the client's behalf,
    //    for clients referred in the range and on the scope's caseloads.
    let caseload_clients: HashSet<Uuid> = assignments.iter().map(|a| a.client_id).collect();
    let referred: Vec<client::Model> = client::Entity::find()
        .filter(client::Column::Id.is_in(caseload_clients.iter().copied()))
        .filter(client::Column::ReferralDate.between(from, to))
        .all(db)
        .await?;
    let links = engagement_client::Entity::find()
        .filter(engagement_client::Column::ClientId.is_in(referred.iter().map(|c| c.id)))
        .all(db)
        .await?;
    let linked: Vec<Uuid> = links.iter().map(|l| l.engagement_id).collect();
    // Current entries only: a correction's date replaces the original's.
    let superseded: HashSet<Uuid> = engagement::Entity::find()
        .filter(engagement::Column::SupersedesId.is_in(linked.clone()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.supersedes_id)
        .collect();
    let named: HashMap<Uuid, engagement::Model> = engagement::Entity::find()
        .filter(engagement::Column::Id.is_in(linked))
        .filter(engagement::Column::Mode.eq("FACE_TO_FACE"))
        .filter(engagement::Column::RetractionReason.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|e| !superseded.contains(&e.id))
        .map(|e| (e.id, e))
        .collect();
    let mut days = Vec::new();
    let mut waiting = Vec::new();
    let target = thresholds
        .of("days_to_first_employer_contact")
        .map_or(30.0, |t| t.target);
    let today = Utc::now().date_naive().min(to);
    for c in &referred {
        let first = links
            .iter()
            .filter(|l| l.client_id == c.id)
            .filter_map(|l| named.get(&l.engagement_id))
            .map(|e| e.occurred_at.date_naive())
            .filter(|d| *d >= c.referral_date)
            .min();
        match first {
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
        "Days from referral to the first face-to-face employer contact on the client's behalf",
        mean_days,
        days,
    )?;
    first_contact.clients_past_target_count = waiting.len() as i32;
    first_contact.clients_past_target = waiting;

    let mut all = vec![caseload, contacts, first_contact];
    all.extend(
        super::work::measures(
            db,
            thresholds,
            &caseload_clients,
            from,
            to,
            Utc::now().date_naive(),
        )
        .await?,
    );
    Ok(all)
}

/// Each of the scope's specialists' own measures over the range, in name order; empty for fewer
/// than two. Names and client objects only for clients the scope's caller reaches now.
pub async fn by_specialist(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(staff::Model, Vec<FidelityMeasure>)>, ApiError> {
    if scope.specialists.len() < 2 {
        return Ok(Vec::new());
    }
    let mut specialists = scope.specialists.clone();
    specialists.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = Vec::new();
    for specialist in specialists {
        let one = Scope {
            label: specialist.name.clone(),
            specialists: vec![specialist.clone()],
            reach: scope.reach.clone(),
        };
        let measures = fidelity(db, thresholds, &one, from, to).await?;
        out.push((specialist, measures));
    }
    Ok(out)
}

/// Whether a member of staff holds a caseload (an active specialist).
pub fn holds_caseload(member: &staff::Model) -> bool {
    member.active && member.role == Role::Specialist.as_db()
}
/// Whose practice a request may measure: the caller's own, or (team leads) their team's.
pub async fn resolve_scope(
    db: &DatabaseConnection,
    me: &crate::access::Viewer,
    scope: &super::inputs::FidelityScopeInput,
) -> Result<Scope, ApiError> {
    let reach = ClientScope::of(me);
    match (me.role, &scope.specialist_id, &scope.team_id) {
        (Role::Admin, _, _) => Err(ApiError::Forbidden),
        (_, Some(_), Some(_)) => Err(ApiError::BadUserInput(
            "give `specialistId` or `teamId`, not both".into(),
        )),
        (Role::Specialist, None, None) => Ok(Scope {
            label: me.staff.name.clone(),
            specialists: vec![me.staff.clone()],
            reach,
        }),
        (Role::Specialist, Some(id), None) if ids::decode_as(id, Kind::Staff) == Some(me.id()) => {
            Ok(Scope {
                label: me.staff.name.clone(),
                specialists: vec![me.staff.clone()],
                reach,
            })
        }
        (Role::Specialist, _, _) => Err(ApiError::Forbidden),
        (Role::TeamLead, Some(id), None) => {
            let found = match ids::decode_as(id, Kind::Staff) {
                Some(uuid) => staff::Entity::find_by_id(uuid).one(db).await?,
                None => None,
            };
            match found {
                Some(s) if s.team_id.is_some() && s.team_id == me.staff.team_id => Ok(Scope {
                    label: s.name.clone(),
                    specialists: vec![s],
                    reach,
                }),
                _ => Err(ApiError::Forbidden),
            }
        }
        (Role::TeamLead, None, team) => {
            let team_id = match team {
                Some(id) => ids::decode_as(id, Kind::Team),
                None => me.staff.team_id,
            };
            if team_id.is_none() || team_id != me.staff.team_id {
                return Err(ApiError::Forbidden);
            }
            let team = entities::team::Entity::find_by_id(team_id.unwrap_or_default())
                .one(db)
                .await?;
            let specialists = staff::Entity::find()
                .filter(staff::Column::TeamId.eq(team_id))
                .all(db)
                .await?
                .into_iter()
                .filter(holds_caseload)
                .collect();
            Ok(Scope {
                label: team.map_or_else(|| "team".into(), |t| t.name),
                specialists,
                reach,
            })
        }
    }
}
