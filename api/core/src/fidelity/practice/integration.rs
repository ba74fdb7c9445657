//! Integration with treatment: how much of each specialist's caseload came from the treatment
//! teams they are attached to, how often they attend those teams' meetings, and how often they work
//! with Jobcentre Plus work coaches.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{diary_entry, referral, treatment_team};

use crate::diary::model::{Attendance, DiaryParty};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::scope::Scope;
use crate::fidelity::thresholds::Thresholds;

fn attended(e: &diary_entry::Model, with: DiaryParty) -> bool {
    e.with_whom == with.as_db() && e.attendance.as_deref() == Some(Attendance::Attended.as_db())
}

/// Of the clients on a caseload at the end of the range (`at_end`: client → specialist) who came
/// by referral from a treatment team, the share referred by a team their own specialist is
/// attached to. Clients who came another way (self-referral, Jobcentre Plus) are not counted.
pub async fn own_teams_measure(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    at_end: &HashMap<Uuid, Uuid>,
) -> Result<FidelityMeasure, ApiError> {
    let referrals = referral::Entity::find()
        .filter(referral::Column::ClientId.is_in(at_end.keys().copied()))
        .all(db)
        .await?;
    let specialists: HashSet<Uuid> = at_end.values().copied().collect();
    let attached: HashSet<(Uuid, Uuid)> =
        crate::referrals::service::attachments_of(db, specialists)
            .await?
            .into_iter()
            .map(|a| (a.specialist_id, a.treatment_team_id))
            .collect();
    let names: HashMap<Uuid, String> = treatment_team::Entity::find()
        .filter(treatment_team::Column::Id.is_in(referrals.iter().map(|r| r.treatment_team_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut by_team: HashMap<String, f64> = HashMap::new();
    let mut own = 0;
    for r in &referrals {
        let Some(client) = r.client_id else { continue };
        let Some(specialist) = at_end.get(&client) else {
            continue;
        };
        let mine = attached.contains(&(*specialist, r.treatment_team_id));
        own += usize::from(mine);
        let label = match (mine, names.get(&r.treatment_team_id)) {
            (true, Some(name)) => name.clone(),
            _ => "Other treatment teams".to_string(),
        };
        *by_team.entry(label).or_default() += 1.0;
    }
    let mut series: Vec<SeriesPoint> = by_team
        .into_iter()
        .map(|(label, n)| SeriesPoint::new(label, n))
        .collect();
    series.sort_by(|a, b| a.label.cmp(&b.label));
    let counted = referrals.iter().filter(|r| r.client_id.is_some()).count();
    measure(
        thresholds,
        "caseload_from_own_treatment_teams",
        "Clients referred by the treatment teams their specialist is attached to, of those referred by a treatment team, %",
        (counted > 0).then(|| (own as f64 * 1000.0 / counted as f64).round() / 10.0),
        series,
    )
}

/// Whole weeks in a range of days (at least one): a year of 365 days is 52 weeks, so a weekly
/// habit reads as one a week.
fn weeks(from: NaiveDate, to: NaiveDate) -> f64 {
    (((to - from).num_days() + 1) / 7).max(1) as f64
}

/// Treatment-team meetings attended per specialist per week, and contacts with Jobcentre Plus
/// work coaches per full-time specialist per four weeks, from the scope's diaries.
pub fn team_contact_measures(
    thresholds: &Thresholds,
    scope: &Scope,
    diary: &[diary_entry::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FidelityMeasure>, ApiError> {
    let weeks = weeks(from, to);
    // Each specialist's own figure, per head or per full-time post as the measure is.
    let per_specialist = |with: DiaryParty, per: f64, by_fte: bool| -> Vec<SeriesPoint> {
        let mut points: Vec<SeriesPoint> = scope
            .specialists
            .iter()
            .map(|s| {
                let n = diary
                    .iter()
                    .filter(|e| e.specialist_id == s.id && attended(e, with))
                    .count();
                let posts = if by_fte && s.fte > 0.0 { s.fte } else { 1.0 };
                SeriesPoint::new(
                    s.name.clone(),
                    ((n as f64 / posts / per) * 100.0).round() / 100.0,
                )
            })
            .collect();
        points.sort_by(|a, b| a.label.cmp(&b.label));
        points
    };
    let meetings = diary
        .iter()
        .filter(|e| attended(e, DiaryParty::TreatmentTeamMeeting))
        .count();
    let specialists = scope.specialists.len();
    let team_contact = measure(
        thresholds,
        "treatment_team_meetings_per_week",
        "Treatment-team meetings attended per specialist per week",
        (specialists > 0)
            .then(|| ((meetings as f64 / specialists as f64 / weeks) * 100.0).round() / 100.0),
        per_specialist(DiaryParty::TreatmentTeamMeeting, weeks, false),
    )?;
    let coach = diary
        .iter()
        .filter(|e| attended(e, DiaryParty::WorkCoach))
        .count();
    let posts: f64 = scope.specialists.iter().map(|s| s.fte).sum();
    let four_weeks = weeks / 4.0;
    let jobcentre = measure(
        thresholds,
        "work_coach_contacts_per_month",
        "Contacts with Jobcentre Plus work coaches per full-time specialist per four weeks",
        (posts > 0.0).then(|| ((coach as f64 / posts / four_weeks) * 100.0).round() / 100.0),
        per_specialist(DiaryParty::WorkCoach, four_weeks, true),
    )?;
    Ok(vec![team_contact, jobcentre])
}
