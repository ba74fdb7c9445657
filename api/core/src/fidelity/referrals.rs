//! The referral funnel: how many referrals came in over a range, from which treatment teams and
//! keyworkers (every one in scope, so a team that does not refer shows as a row of noughts), how
//! far each has gone, how long from referral to the first meeting, and the share registered.
//! Counts only: no person is named.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{referral, treatment_team};

use super::inputs::FidelityScopeInput;
use super::scope::Scope;
use super::service::resolve_scope;
use crate::access::Viewer;
use crate::dates::Date;
use crate::error::ApiError;
use crate::referrals::model::ReferralState;
use crate::referrals::service::{keyworkers_of, treatment_teams_of, treatment_teams_served_by};

/// How many referrals are in one state now.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct ReferralStateCount {
    /// The state.
    pub state: ReferralState,
    /// How many of the range's referrals are in it now.
    pub count: i32,
}

/// The funnel of one source of referrals (a treatment team or a keyworker).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct ReferralSourceCounts {
    /// The treatment team's or keyworker's name.
    pub name: String,
    /// The treatment team (for a keyworker, theirs).
    pub treatment_team_name: String,
    /// Referrals made in the range.
    pub referrals: i32,
    /// Of those, how many reached a first meeting.
    pub first_meetings: i32,
    /// Of those, how many were registered.
    pub registered: i32,
    /// Of those, how many were not taken up.
    pub not_taken_up: i32,
}

/// Referrals made over a range, and how far they have gone.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct ReferralFunnel {
    /// What the funnel covers (a team's or a specialist's name).
    pub label: String,
    /// First day of the range.
    pub from: Date,
    /// Last day of the range.
    pub to: Date,
    /// Referrals made in the range from the treatment teams in scope.
    pub total: i32,
    /// How many of them are in each state now (every state, in order).
    pub by_state: Vec<ReferralStateCount>,
    /// Every treatment team in scope, by name, with its counts (noughts included).
    pub by_treatment_team: Vec<ReferralSourceCounts>,
    /// Every keyworker of those teams who referred or still works there, by team then name.
    pub by_keyworker: Vec<ReferralSourceCounts>,
    /// Median days from referral to the first meeting, over those that had one; null if none did.
    pub median_days_to_first_meeting: Option<f64>,
    /// Of the range's referrals, the percentage registered; null when there were none.
    pub registered_percent: Option<f64>,
}

/// The funnel `viewer` may see for `scope` (as `fidelity` resolves it: a specialist their own, a
/// team lead their team's or one of its specialists') over a range of at most two years.
pub async fn funnel_for(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: &FidelityScopeInput,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ReferralFunnel, ApiError> {
    if from > to || (to - from).num_days() > 731 {
        return Err(ApiError::BadUserInput(
            "`from` must not be after `to`, and the range at most two years".into(),
        ));
    }
    let resolved = resolve_scope(db, viewer, scope).await?;
    funnel_of(db, &resolved, from, to).await
}

/// The funnel of a resolved scope: a team's covers the treatment teams the team serves; a
/// specialist's, those they are attached to.
pub async fn funnel_of(
    db: &DatabaseConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ReferralFunnel, ApiError> {
    let teams = match (scope.team, scope.specialists.as_slice()) {
        (Some(team), _) => treatment_teams_served_by(db, team).await?,
        (None, [one]) => treatment_teams_of(db, one.id).await?,
        (None, _) => Vec::new(),
    };
    referral_funnel(db, scope.label.clone(), &teams, from, to).await
}

fn counts(name: String, team: &str, rows: &[&referral::Model]) -> ReferralSourceCounts {
    let state = |r: &&referral::Model| ReferralState::from_db(&r.state).ok();
    ReferralSourceCounts {
        name,
        treatment_team_name: team.to_string(),
        referrals: rows.len() as i32,
        first_meetings: rows.iter().filter(|r| r.first_meeting_on.is_some()).count() as i32,
        registered: rows
            .iter()
            .filter(|r| state(r) == Some(ReferralState::Registered))
            .count() as i32,
        not_taken_up: rows
            .iter()
            .filter(|r| state(r) == Some(ReferralState::NotTakenUp))
            .count() as i32,
    }
}

/// The funnel of the referrals made from `from` to `to` (both days included) from `teams`.
pub async fn referral_funnel(
    db: &DatabaseConnection,
    label: String,
    teams: &[treatment_team::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ReferralFunnel, ApiError> {
    let rows = referral::Entity::find()
        .filter(referral::Column::TreatmentTeamId.is_in(teams.iter().map(|t| t.id)))
        .filter(referral::Column::ReferredOn.gte(from))
        .filter(referral::Column::ReferredOn.lte(to))
        .all(db)
        .await?;
    let by_state = ReferralState::ALL
        .iter()
        .map(|s| ReferralStateCount {
            state: *s,
            count: rows.iter().filter(|r| r.state == s.as_db()).count() as i32,
        })
        .collect();
    let mut by_treatment_team = Vec::new();
    let mut by_keyworker = Vec::new();
    for team in teams {
        let of_team: Vec<&referral::Model> = rows
            .iter()
            .filter(|r| r.treatment_team_id == team.id)
            .collect();
        by_treatment_team.push(counts(team.name.clone(), &team.name, &of_team));
        let mut names: HashMap<Uuid, String> = keyworkers_of(db, team.id)
            .await?
            .into_iter()
            .map(|k| (k.id, k.name))
            .collect();
        // Keyworkers who referred and have since left (or moved) still count where they referred.
        let gone: Vec<Uuid> = of_team
            .iter()
            .filter_map(|r| r.keyworker_id)
            .filter(|id| !names.contains_key(id))
            .collect();
        for member in crate::staff::service::staff_by_id(db, gone).await? {
            names.insert(member.id, member.name);
        }
        let mut keyworkers: Vec<(Uuid, String)> = names.into_iter().collect();
        keyworkers.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        for (id, name) in keyworkers {
            let theirs: Vec<&referral::Model> = of_team
                .iter()
                .copied()
                .filter(|r| r.keyworker_id == Some(id))
                .collect();
            by_keyworker.push(counts(name, &team.name, &theirs));
        }
    }
    let mut days: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.first_meeting_on.map(|m| (m - r.referred_on).num_days()))
        .collect();
    days.sort_unstable();
    let median_days_to_first_meeting = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2] as f64),
        n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
    };
    let registered = rows
        .iter()
        .filter(|r| r.state == ReferralState::Registered.as_db())
        .count();
    let registered_percent =
        (!rows.is_empty()).then(|| (registered as f64 * 1000.0 / rows.len() as f64).round() / 10.0);
    Ok(ReferralFunnel {
        label,
        from: Date(from),
        to: Date(to),
        total: rows.len() as i32,
        by_state,
        by_treatment_team,
        by_keyworker,
        median_days_to_first_meeting,
        registered_percent,
    })
}
