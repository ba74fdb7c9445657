//! Fidelity measures over a scope (one specialist, or a team's specialists) and a date range,
//! computed from caseload assignments, engagements (current entries only: corrections count once,
//! retractions not at all) and the clients each engagement named.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::staff;

pub use super::measure::{FidelityMeasure, SeriesPoint};
pub use super::scope::{Scope, end_of, start_of};
use super::thresholds::Thresholds;
use crate::access::Role;
use crate::clients::access::ClientScope;
use crate::error::ApiError;
use crate::ids::{self, Kind};

/// The label of a client's point for a caller who no longer reaches the client.
pub const OUT_OF_REACH_LABEL: &str = "a client outside your reach";

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
    let (caseload, held) = super::practice::caseload::measure_of(db, thresholds, scope, to).await?;
    let caseload_clients = &held.ever;
    let contacts = super::practice::contacts::measure_of(db, thresholds, scope, from, to).await?;
    let first_contact =
        super::practice::first_contact::measure_of(db, thresholds, caseload_clients, from, to)
            .await?;
    let specialists: Vec<uuid::Uuid> = scope.specialists.iter().map(|s| s.id).collect();
    let diary =
        crate::diary::service::entries_between(db, &specialists, start_of(from), end_of(to))
            .await?;
    let mut all = vec![caseload, contacts, first_contact];
    all.push(super::practice::community::measure_of(thresholds, &diary)?);
    all.push(super::practice::integration::own_teams_measure(db, thresholds, &held.at_end).await?);
    all.extend(super::practice::integration::team_contact_measures(
        thresholds, scope, &diary, from, to,
    )?);
    all.extend(
        super::work::measures(
            db,
            thresholds,
            caseload_clients,
            from,
            to,
            crate::clock::today(),
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
            team: None,
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
        (Role::Admin | Role::Keyworker, _, _) => Err(ApiError::Forbidden),
        (_, Some(_), Some(_)) => Err(ApiError::BadUserInput(
            "give `specialistId` or `teamId`, not both".into(),
        )),
        (Role::Specialist, None, None) => Ok(Scope {
            team: None,
            label: me.staff.name.clone(),
            specialists: vec![me.staff.clone()],
            reach,
        }),
        (Role::Specialist, Some(id), None) if ids::decode_as(id, Kind::Staff) == Some(me.id()) => {
            Ok(Scope {
                team: None,
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
                    team: None,
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
                team: team_id,
                label: team.map_or_else(|| "team".into(), |t| t.name),
                specialists,
                reach,
            })
        }
    }
}
