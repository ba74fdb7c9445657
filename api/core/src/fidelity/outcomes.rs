//! Outcomes, computed on read from the raw dates, hours and pay under named definitions (never a
//! stored yes/no), for the clients on a scope's caseloads, optionally split by team, specialist or
//! primary substance group. A group of fewer than 5 people is shown as "<5", and so is a count of
//! 1 to 4 within a group, so a small group cannot be re-identified; where the total would give a
//! lone suppressed group away, a second group is withheld too. The substance-group split rests
//! on special-category facts: team leads only, and each such report is written to the audit log.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use entities::{caseload_assignment, client, client_sensitive, job_start, team};

use super::scope::{Scope, end_of, start_of};
use crate::access::{Role, Viewer};
use crate::audit::{AuditAction, AuditEntry};
use crate::dates::Date;
use crate::error::ApiError;

/// The substance group of clients counted by assignment history whom the caller no longer
/// reaches (their special-category facts are not read).
pub const OUT_OF_REACH_GROUP: &str = "Outside your reach now";

/// Groups smaller than this are suppressed.
pub const SUPPRESS_BELOW: usize = 5;
/// Paid work a week that counts as a job start (IPS Grow).
const JOB_START_HOURS: f64 = 4.0;
/// A sustained job lasts this long.
const SUSTAINED_DAYS: i64 = 91;
/// The IPS-AD trial's follow-up and its threshold: a day (7 hours) of competitive work.
const IPS_AD_DAYS: i64 = 548;
const IPS_AD_HOURS: f64 = 7.0;

/// How an outcome is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum OutcomeDefinition {
    /// IPS Grow's job start: a job of at least 4 hours' paid work a week starting in the range,
    /// among the clients on the caseloads in the range.
    JobStart,
    /// Employment rate: among clients out of work at referral (as recorded; where it was not
    /// recorded, no job on record running on their referral day), those who started any paid job
    /// between referral and the end of the range.
    EmploymentRate,
    /// 13-week sustainment: among clients whose first job in the range started at least 13 weeks
    /// ago, those with a job in the range that lasted 13 weeks (91 days).
    SustainedThirteenWeeks,
    /// The IPS-AD trial's primary outcome: among clients referred in the range, those with at least
    /// one day (7 hours) of competitive work within 18 months of referral.
    IpsAdPrimary,
}

impl OutcomeDefinition {
    /// The definition in words.
    pub fn describe(self) -> &'static str {
        match self {
            OutcomeDefinition::JobStart => {
                "Clients starting a job of at least 4 hours a week (IPS Grow job start)"
            }
            OutcomeDefinition::EmploymentRate => {
                "Clients out of work at referral who started paid work"
            }
            OutcomeDefinition::SustainedThirteenWeeks => "Clients whose job lasted 13 weeks",
            OutcomeDefinition::IpsAdPrimary => {
                "Clients with at least 7 hours of competitive work within 18 months of referral (IPS-AD primary outcome)"
            }
        }
    }
}

/// How to split an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum OutcomeSplit {
    /// By team (each team is one site of the service).
    Team,
    /// By the specialist holding the client (the newest assignment in the range).
    Specialist,
    /// By primary substance group (team leads only; audited).
    SubstanceGroup,
}

/// One group's outcome.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct OutcomeCell {
    /// The group ("All" for the whole scope).
    pub group: String,
    /// People in the group; null when suppressed.
    pub clients: Option<i32>,
    /// People who reached the outcome; null when suppressed.
    pub achieved: Option<i32>,
    /// Achieved per hundred; null when suppressed.
    pub rate: Option<f64>,
    /// What to print: `12 of 40 (30%)`; `<5` for a group under 5 people; `<5 of 40` when 1 to 4
    /// of them (or all but 1 to 4) reached it; `*` or `* of 40` for a group withheld so that a
    /// suppressed one cannot be worked out from the total.
    pub display: String,
}

/// An outcome over a scope and range.
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct OutcomeReport {
    /// The definition used.
    pub definition: OutcomeDefinition,
    /// The definition in words.
    pub description: String,
    /// Who is measured.
    pub scope: String,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// The whole scope.
    pub total: OutcomeCell,
    /// Each group, when split (groups in name order).
    pub groups: Vec<OutcomeCell>,
    /// The series behind the total: the outcome over each calendar quarter the range touches
    /// (clipped to the range), by the same definition and with the same suppression; the quarter
    /// is the group (`2026 Q3`).
    pub by_quarter: Vec<OutcomeCell>,
}

/// A group's counts, suppressed as needed.
pub fn cell(group: &str, clients: usize, achieved: usize) -> OutcomeCell {
    if clients < SUPPRESS_BELOW {
        return OutcomeCell {
            group: group.into(),
            clients: None,
            achieved: None,
            rate: None,
            display: "<5".into(),
        };
    }
    if (1..SUPPRESS_BELOW).contains(&achieved)
        || (1..SUPPRESS_BELOW).contains(&(clients - achieved))
    {
        return OutcomeCell {
            group: group.into(),
            clients: Some(clients as i32),
            achieved: None,
            rate: None,
            display: format!("<5 of {clients}"),
        };
    }
    let rate = (achieved as f64 * 1000.0 / clients as f64).round() / 10.0;
    OutcomeCell {
        group: group.into(),
        clients: Some(clients as i32),
        achieved: Some(achieved as i32),
        rate: Some(rate),
        display: format!("{achieved} of {clients} ({rate}%)"),
    }
}

/// A group withheld so that a suppressed one cannot be worked out from the total: wholly, or
/// (with `clients`) its achieved count only.
fn withheld(group: &str, clients: Option<usize>) -> OutcomeCell {
    OutcomeCell {
        group: group.into(),
        clients: clients.map(|n| n as i32),
        achieved: None,
        rate: None,
        display: clients.map_or_else(|| "*".into(), |n| format!("* of {n}")),
    }
}

/// Each group's cell (`(group, clients, achieved)` in display order). Where the total is shown
/// and exactly one group hides a number, subtracting the others from the total would reveal it,
/// so the smallest group still showing that number is withheld too (secondary suppression).
pub fn group_cells(total: &OutcomeCell, groups: &[(String, usize, usize)]) -> Vec<OutcomeCell> {
    let mut cells: Vec<OutcomeCell> = groups
        .iter()
        .map(|(group, clients, achieved)| cell(group, *clients, *achieved))
        .collect();
    let smallest_showing = |cells: &[OutcomeCell], shows: fn(&OutcomeCell) -> bool| {
        (0..cells.len())
            .filter(|i| shows(&cells[*i]))
            .min_by_key(|i| (groups[*i].1, *i))
    };
    let lone_hidden = |cells: &[OutcomeCell], hidden: fn(&OutcomeCell) -> bool| {
        cells.iter().filter(|c| hidden(c)).count() == 1
    };
    if total.clients.is_some()
        && lone_hidden(&cells, |c| c.clients.is_none())
        && let Some(i) = smallest_showing(&cells, |c| c.clients.is_some())
    {
        cells[i] = withheld(&groups[i].0, None);
    }
    if total.achieved.is_some()
        && lone_hidden(&cells, |c| c.achieved.is_none())
        && let Some(i) = smallest_showing(&cells, |c| c.achieved.is_some())
    {
        cells[i] = withheld(&groups[i].0, Some(groups[i].1));
    }
    cells
}

/// Hours of work a job gave within `[first, last]` (its weekly hours spread over seven days).
fn hours_within(
    job: &job_start::Model,
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> f64 {
    let start = job.start_date.max(first);
    let end = job.end_date.unwrap_or(today).min(last).min(today);
    if end < start {
        return 0.0;
    }
    ((end - start).num_days() + 1) as f64 * job.hours_per_week / 7.0
}

/// For each client in the cohort, whether they reached the outcome.
pub fn evaluate(
    definition: OutcomeDefinition,
    clients: &[client::Model],
    jobs: &HashMap<Uuid, Vec<job_start::Model>>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Vec<(Uuid, bool)> {
    let none = Vec::new();
    clients
        .iter()
        .filter_map(|c| {
            let jobs = jobs.get(&c.id).unwrap_or(&none);
            match definition {
                OutcomeDefinition::JobStart => Some((
                    c.id,
                    jobs.iter().any(|j| {
                        j.start_date >= from
                            && j.start_date <= to
                            && j.hours_per_week >= JOB_START_HOURS
                            && j.hourly_pay > 0.0
                    }),
                )),
                OutcomeDefinition::EmploymentRate => {
                    let working_at_referral = match c.employment_at_referral.as_deref() {
                        Some(recorded) => recorded == "EMPLOYED",
                        None => jobs.iter().any(|j| {
                            j.start_date <= c.referral_date
                                && j.end_date.is_none_or(|e| e >= c.referral_date)
                        }),
                    };
                    (!working_at_referral).then(|| {
                        (
                            c.id,
                            jobs.iter().any(|j| {
                                j.start_date > c.referral_date
                                    && j.start_date <= to
                                    && j.hourly_pay > 0.0
                            }),
                        )
                    })
                }
                OutcomeDefinition::SustainedThirteenWeeks => {
                    let in_range: Vec<&job_start::Model> = jobs
                        .iter()
                        .filter(|j| j.start_date >= from && j.start_date <= to)
                        .collect();
                    let first = in_range.iter().map(|j| j.start_date).min()?;
                    (first + Duration::days(SUSTAINED_DAYS) <= today).then(|| {
                        (
                            c.id,
                            in_range.iter().any(|j| {
                                let last = j.end_date.unwrap_or(today).min(today);
                                (last - j.start_date).num_days() >= SUSTAINED_DAYS
                            }),
                        )
                    })
                }
                OutcomeDefinition::IpsAdPrimary => {
                    (c.referral_date >= from && c.referral_date <= to).then(|| {
                        let window_end = c.referral_date + Duration::days(IPS_AD_DAYS);
                        let hours: f64 = jobs
                            .iter()
                            .filter(|j| j.competitive)
                            .map(|j| hours_within(j, c.referral_date, window_end, today))
                            .sum();
                        (c.id, hours >= IPS_AD_HOURS)
                    })
                }
            }
        })
        .collect()
}

/// One assignment's span: from, and to (none while it is open).
type Span = (DateTime<Utc>, Option<DateTime<Utc>>);

/// The clients on a scope's caseloads over a range.
pub(crate) struct Caseload {
    /// Clients referred by the range's end and on a caseload at some time in it.
    pub clients: Vec<client::Model>,
    /// Each client's specialist: their newest assignment in the range.
    pub holder: HashMap<Uuid, Uuid>,
    /// Each client's assignments to the scope's specialists: from, and to (while open: none).
    pub periods: HashMap<Uuid, Vec<Span>>,
}

impl Caseload {
    /// The clients referred by `to` and on the caseloads at some time from `from` to `to`.
    pub fn within(&self, from: NaiveDate, to: NaiveDate) -> Vec<client::Model> {
        let (start, end) = (start_of(from), end_of(to));
        self.clients
            .iter()
            .filter(|c| c.referral_date <= to)
            .filter(|c| {
                self.periods.get(&c.id).is_some_and(|periods| {
                    periods
                        .iter()
                        .any(|(a, b)| *a <= end && b.is_none_or(|b| b >= start))
                })
            })
            .cloned()
            .collect()
    }
}

/// The clients on the scope's caseloads at some time in the range.
pub(crate) async fn caseload(
    db: &DatabaseConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Caseload, ApiError> {
    let ids: Vec<Uuid> = scope.specialists.iter().map(|s| s.id).collect();
    let (start, end) = (start_of(from), end_of(to));
    let assignments = caseload_assignment::Entity::find()
        .filter(caseload_assignment::Column::SpecialistId.is_in(ids))
        .filter(caseload_assignment::Column::AssignedFrom.lte(end))
        .order_by_asc(caseload_assignment::Column::AssignedFrom)
        .all(db)
        .await?;
    let mut holder: HashMap<Uuid, Uuid> = HashMap::new();
    let mut periods: HashMap<Uuid, Vec<_>> = HashMap::new();
    for a in assignments
        .iter()
        .filter(|a| a.assigned_to.is_none_or(|t| t >= start))
    {
        holder.insert(a.client_id, a.specialist_id);
        periods
            .entry(a.client_id)
            .or_default()
            .push((a.assigned_from, a.assigned_to));
    }
    let clients = client::Entity::find()
        .filter(client::Column::Id.is_in(holder.keys().copied()))
        .filter(client::Column::ReferralDate.lte(to))
        .order_by_asc(client::Column::Id)
        .all(db)
        .await?;
    Ok(Caseload {
        clients,
        holder,
        periods,
    })
}

/// The calendar quarters a range touches, each clipped to the range: (label, first, last day).
pub fn quarters(from: NaiveDate, to: NaiveDate) -> Vec<(String, NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut next = NaiveDate::from_ymd_opt(from.year(), from.month0() / 3 * 3 + 1, 1);
    while let Some(first) = next.filter(|q| *q <= to) {
        next = if first.month() == 10 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 3, 1)
        };
        let last = next.and_then(|n| n.pred_opt()).unwrap_or(to);
        out.push((
            format!("{} Q{}", first.year(), first.month0() / 3 + 1),
            first.max(from),
            last.min(to),
        ));
    }
    out
}

/// An outcome computed over a scope and range.
pub struct Computed {
    /// The whole scope.
    pub total: OutcomeCell,
    /// Each group, when split.
    pub groups: Vec<OutcomeCell>,
    /// Each calendar quarter of the range.
    pub by_quarter: Vec<OutcomeCell>,
}

/// Computes an outcome for `scope`, split as asked.
pub async fn outcomes(
    db: &DatabaseConnection,
    me: &Viewer,
    scope: &Scope,
    definition: OutcomeDefinition,
    split: Option<OutcomeSplit>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Computed, ApiError> {
    if split == Some(OutcomeSplit::SubstanceGroup) && me.role != Role::TeamLead {
        return Err(ApiError::Forbidden);
    }
    let caseload = caseload(db, scope, from, to).await?;
    let (clients, holder) = (&caseload.clients, &caseload.holder);
    let mut jobs: HashMap<Uuid, Vec<job_start::Model>> = HashMap::new();
    for j in job_start::Entity::find()
        .filter(job_start::Column::ClientId.is_in(clients.iter().map(|c| c.id)))
        .all(db)
        .await?
    {
        jobs.entry(j.client_id).or_default().push(j);
    }
    let today = crate::clock::today();
    let results = evaluate(definition, clients, &jobs, from, to, today);
    let achieved = results.iter().filter(|(_, ok)| *ok).count();
    let total = cell("All", results.len(), achieved);
    // The series behind the total: the same rule over each quarter of the range.
    let by_quarter = quarters(from, to)
        .into_iter()
        .map(|(label, first, last)| {
            let cohort = caseload.within(first, last);
            let results = evaluate(definition, &cohort, &jobs, first, last, today);
            let achieved = results.iter().filter(|(_, ok)| *ok).count();
            cell(&label, results.len(), achieved)
        })
        .collect();

    // Each client's group: a key (ids, so two people with one name stay apart) and its label.
    let group_of: HashMap<Uuid, (String, String)> = match split {
        None => {
            return Ok(Computed {
                total,
                groups: Vec::new(),
                by_quarter,
            });
        }
        Some(OutcomeSplit::Team) => {
            let teams: HashMap<Uuid, String> = team::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|t| (t.id, t.name))
                .collect();
            clients
                .iter()
                .map(|c| {
                    let name = teams.get(&c.team_id).cloned().unwrap_or_default();
                    (c.id, (c.team_id.to_string(), name))
                })
                .collect()
        }
        Some(OutcomeSplit::Specialist) => {
            let names: HashMap<Uuid, String> = scope
                .specialists
                .iter()
                .map(|s| (s.id, s.name.clone()))
                .collect();
            clients
                .iter()
                .map(|c| {
                    let specialist = holder.get(&c.id).copied().unwrap_or_default();
                    let name = names.get(&specialist).cloned().unwrap_or_default();
                    (c.id, (specialist.to_string(), name))
                })
                .collect()
        }
        Some(OutcomeSplit::SubstanceGroup) => {
            crate::audit::record_now(
                db,
                AuditEntry {
                    actor_id: me.id(),
                    action: AuditAction::SensitiveRead,
                    client_id: None,
                    purpose: Some("SERVICE_REPORTING"),
                    detail: "primarySubstanceGroup (outcomes by group, counts only)",
                },
            )
            .await?;
            // Special-category facts are read only for clients the caller reaches now; anyone
            // counted by assignment history alone falls in a group of their own.
            let reached = scope
                .reach
                .reached(db, clients.iter().map(|c| c.id))
                .await?;
            let mut newest: HashMap<Uuid, (i32, Option<String>)> = HashMap::new();
            for row in client_sensitive::Entity::find()
                .filter(client_sensitive::Column::ClientId.is_in(reached.iter().copied()))
                .all(db)
                .await?
            {
                let slot = newest.entry(row.client_id).or_insert((0, None));
                if row.version > slot.0 {
                    *slot = (row.version, row.primary_substance_group);
                }
            }
            clients
                .iter()
                .map(|c| {
                    let group = if reached.contains(&c.id) {
                        newest
                            .get(&c.id)
                            .and_then(|(_, g)| g.clone())
                            .map_or_else(|| "Not recorded".to_string(), |g| group_label(&g))
                    } else {
                        OUT_OF_REACH_GROUP.to_string()
                    };
                    (c.id, (group.clone(), group))
                })
                .collect()
        }
    };
    let mut counts: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for (client, ok) in &results {
        let entry = counts
            .entry(group_of.get(client).cloned().unwrap_or_default())
            .or_insert((0, 0));
        entry.0 += 1;
        entry.1 += usize::from(*ok);
    }
    let mut keys: Vec<&(String, String)> = counts.keys().collect();
    keys.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    let sized: Vec<(String, usize, usize)> = keys
        .into_iter()
        .map(|key| (key.1.clone(), counts[key].0, counts[key].1))
        .collect();
    Ok(Computed {
        groups: group_cells(&total, &sized),
        total,
        by_quarter,
    })
}

fn group_label(stored: &str) -> String {
    match stored {
        "OPIATES" => "Opiates",
        "NON_OPIATES_ONLY" => "Non-opiates only",
        "ALCOHOL_ONLY" => "Alcohol only",
        "NON_OPIATES_AND_ALCOHOL" => "Non-opiates and alcohol",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).expect("date") + Duration::days(n)
    }

    fn person(n: u128, referred: i64) -> client::Model {
        let at = crate::clock::now();
        client::Model {
            id: Uuid::from_u128(n),
            team_id: Uuid::nil(),
            name: format!("Client {n}"),
            name_key: format!("client {n}"),
            phone: None,
            email: None,
            town: None,
            postcode: None,
            referral_date: day(referred),
            referral_source: "SELF_REFERRAL".into(),
            employment_at_referral: None,
            keyworker_name: None,
            keyworker_contact: None,
            status: "ACTIVE".into(),
            created_by_id: Uuid::nil(),
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn job(
        client: u128,
        start: i64,
        end: Option<i64>,
        hours: f64,
        competitive: bool,
    ) -> job_start::Model {
        job_start::Model {
            id: Uuid::now_v7(),
            client_id: Uuid::from_u128(client),
            application_id: None,
            employer_id: None,
            employer_name: "Employer".into(),
            title: "Job".into(),
            soc_code: None,
            start_date: day(start),
            hours_per_week: hours,
            hourly_pay: 12.21,
            contract_type: "PERMANENT".into(),
            competitive,
            end_date: end.map(day),
            end_reason: None,
            recorded_by_id: Uuid::nil(),
            recorded_at: crate::clock::now(),
            version: 1,
        }
    }

    #[test]
    fn each_definition_comes_out_as_worked_out_by_hand() {
        // Range day −400 to day 0 (today). Six clients, referred on day −380 unless said:
        //   1: 16 h competitive from day −300, still working;
        //   2: 3 h competitive from day −200 to −190;
        //   3: no job;
        //   4: 20 h NOT competitive from day −100, still working;
        //   5: referred day −380 while working 30 h competitive since day −385;
        //   6: 10 h competitive from day −20.
        let clients: Vec<client::Model> = (1..=6).map(|n| person(n, -380)).collect();
        let mut jobs: HashMap<Uuid, Vec<job_start::Model>> = HashMap::new();
        for j in [
            job(1, -300, None, 16.0, true),
            job(2, -200, Some(-190), 3.0, true),
            job(4, -100, None, 20.0, false),
            job(5, -385, None, 30.0, true),
            job(6, -20, None, 10.0, true),
        ] {
            jobs.entry(j.client_id).or_default().push(j);
        }
        let run = |d| {
            let mut hits: Vec<(u128, bool)> =
                evaluate(d, &clients, &jobs, day(-400), day(0), day(0))
                    .into_iter()
                    .map(|(id, ok)| (id.as_u128(), ok))
                    .collect();
            hits.sort_unstable();
            hits
        };
        // Job start (≥ 4 h, started in the range): 1, 4, 5, 6 — not 2 (3 h), not 3.
        assert_eq!(
            run(OutcomeDefinition::JobStart),
            [
                (1, true),
                (2, false),
                (3, false),
                (4, true),
                (5, true),
                (6, true)
            ]
        );
        // Employment rate: 5 was working at referral, so is not in the cohort; 1, 2 (any paid
        // hours), 4 and 6 started work after referral; 3 did not.
        assert_eq!(
            run(OutcomeDefinition::EmploymentRate),
            [(1, true), (2, true), (3, false), (4, true), (6, true)]
        );
        // Sustainment: cohort = a first job in the range at least 91 days ago: 1, 2, 4, 5 (6
        // started 20 days ago, 3 has none). 2 lasted 10 days; the rest are past 91.
        assert_eq!(
            run(OutcomeDefinition::SustainedThirteenWeeks),
            [(1, true), (2, false), (4, true), (5, true)]
        );
        // IPS-AD: competitive hours within 548 days of referral, at least 7: 1 (plenty), 2 (11
        // days × 3/7 = 4.7 h: no), 3 (none), 4 (not competitive: no), 5 (plenty), 6 (21 days ×
        // 10/7 = 30 h).
        assert_eq!(
            run(OutcomeDefinition::IpsAdPrimary),
            [
                (1, true),
                (2, false),
                (3, false),
                (4, false),
                (5, true),
                (6, true)
            ]
        );
        // Referred before the range: not in the IPS-AD cohort.
        let early = vec![person(9, -500)];
        assert!(
            evaluate(
                OutcomeDefinition::IpsAdPrimary,
                &early,
                &jobs,
                day(-400),
                day(0),
                day(0)
            )
            .is_empty()
        );
    }

    #[test]
    fn recorded_employment_at_referral_decides_who_the_employment_rate_counts() {
        // Three clients referred on day −380:
        //   1: recorded as employed at referral (a job not on record) → not in the cohort;
        //   2: recorded as economically inactive, started 16 h on day −300 → in it, in work;
        //   3: not recorded, with a job on record since day −385 → working at referral: not in it.
        let mut clients: Vec<client::Model> = (1..=3).map(|n| person(n, -380)).collect();
        clients[0].employment_at_referral = Some("EMPLOYED".into());
        clients[1].employment_at_referral = Some("ECONOMICALLY_INACTIVE".into());
        let mut jobs: HashMap<Uuid, Vec<job_start::Model>> = HashMap::new();
        for j in [
            job(2, -300, None, 16.0, true),
            job(3, -385, None, 30.0, true),
        ] {
            jobs.entry(j.client_id).or_default().push(j);
        }
        let cohort: Vec<(u128, bool)> = evaluate(
            OutcomeDefinition::EmploymentRate,
            &clients,
            &jobs,
            day(-400),
            day(0),
            day(0),
        )
        .into_iter()
        .map(|(id, ok)| (id.as_u128(), ok))
        .collect();
        assert_eq!(cohort, [(2, true)]);
    }

    #[test]
    fn a_range_runs_over_the_calendar_quarters_it_touches() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(
            quarters(d(2025, 11, 10), d(2026, 4, 2)),
            [
                ("2025 Q4".to_string(), d(2025, 11, 10), d(2025, 12, 31)),
                ("2026 Q1".to_string(), d(2026, 1, 1), d(2026, 3, 31)),
                ("2026 Q2".to_string(), d(2026, 4, 1), d(2026, 4, 2)),
            ]
        );
        assert_eq!(
            quarters(d(2026, 7, 1), d(2026, 7, 1)),
            [("2026 Q3".to_string(), d(2026, 7, 1), d(2026, 7, 1))]
        );
    }

    #[test]
    fn small_groups_and_small_counts_are_suppressed() {
        assert_eq!(cell("A", 4, 2).display, "<5");
        assert_eq!(cell("A", 4, 0).clients, None);
        assert_eq!(cell("A", 20, 3).display, "<5 of 20");
        assert_eq!(
            cell("A", 20, 17).achieved,
            None,
            "3 not in work would re-identify"
        );
        assert_eq!(cell("A", 20, 0).display, "0 of 20 (0%)");
        assert_eq!(cell("A", 20, 10).display, "10 of 20 (50%)");
    }

    fn displays(groups: &[(&str, usize, usize)]) -> Vec<String> {
        let (clients, achieved) = groups.iter().fold((0, 0), |(n, k), g| (n + g.1, k + g.2));
        let total = cell("All", clients, achieved);
        let groups: Vec<(String, usize, usize)> = groups
            .iter()
            .map(|(g, n, k)| (g.to_string(), *n, *k))
            .collect();
        group_cells(&total, &groups)
            .into_iter()
            .map(|c| c.display)
            .collect()
    }

    #[test]
    fn a_lone_suppressed_group_takes_the_smallest_other_with_it() {
        // A has 3 people: the total (33, 16) less B and C would give A's 3 and 1, so the smallest
        // other group, B, is withheld as well; C stays.
        assert_eq!(
            displays(&[("A", 3, 1), ("B", 10, 5), ("C", 20, 10)]),
            ["<5", "*", "10 of 20 (50%)"]
        );
        // A's 2 in work out of 10 is hidden; the total's 18 less B's 6 and C's 10 would give it,
        // so B's count is withheld (its size, 12, stays).
        assert_eq!(
            displays(&[("A", 10, 2), ("B", 12, 6), ("C", 20, 10)]),
            ["<5 of 10", "* of 12", "10 of 20 (50%)"]
        );
        // Two suppressed groups already protect each other.
        assert_eq!(
            displays(&[("A", 3, 1), ("B", 4, 1), ("C", 20, 10)]),
            ["<5", "<5", "10 of 20 (50%)"]
        );
        // A suppressed total gives nothing away.
        assert_eq!(displays(&[("A", 3, 1), ("B", 1, 0)]), ["<5", "<5"]);
    }
}
