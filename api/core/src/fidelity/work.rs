//! Fidelity measures of the work with clients once jobs come: diversity of job types and of
//! employers, competitive jobs, the rhythm of in-work support, contact after a job ends, whether
//! disclosure was discussed more than once before the first employer contact, and whether
//! discharges followed outreach. Shares are percentages
//! of the cases the range holds; a measure with no cases has no value.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{
    client, client_status_episode, disclosure_discussion, engagement, engagement_client, job_start,
    outreach_attempt, support_contact,
};

use super::measure::{FidelityMeasure, SeriesPoint, measure};
use super::thresholds::Thresholds;
use crate::error::ApiError;

/// Support in the days before a start that counts as "contact before the start".
const BEFORE_START_DAYS: i64 = 14;
/// Days after a start, or after a job ends, within which a contact is due.
const PROMPT_DAYS: i64 = 3;
/// Outreach counted before a discharge: attempts in the 8 weeks up to it, at least two.
const OUTREACH_WINDOW_DAYS: i64 = 56;
const OUTREACH_ATTEMPTS: usize = 2;
/// Month one of a job: four weekly windows; after it, 30-day windows.
const MONTH_AFTER_DAYS: i64 = 30;

fn share(hits: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| hits as f64 * 100.0 / of as f64)
}

/// The support contacts of each client (either party), by day.
fn contact_days(contacts: &[support_contact::Model]) -> HashMap<Uuid, Vec<NaiveDate>> {
    let mut days: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for c in contacts {
        days.entry(c.client_id)
            .or_default()
            .push(c.occurred_at.date_naive());
    }
    days
}

fn any_between(days: &[NaiveDate], first: NaiveDate, last: NaiveDate) -> bool {
    days.iter().any(|d| *d >= first && *d <= last)
}

/// Whether support around one job followed the IPS rhythm up to `until` (its end, or today): a
/// contact in the two weeks before the start, one within 3 days after it, one in each week of month
/// one, and one in each 30-day window after. Only windows that have fully passed are required.
pub fn followed_rhythm(days: &[NaiveDate], start: NaiveDate, until: NaiveDate) -> bool {
    if !any_between(
        days,
        start - Duration::days(BEFORE_START_DAYS),
        start - Duration::days(1),
    ) {
        return false;
    }
    if until >= start + Duration::days(PROMPT_DAYS)
        && !any_between(days, start, start + Duration::days(PROMPT_DAYS))
    {
        return false;
    }
    for week in 0..4 {
        let (first, last) = (
            start + Duration::days(7 * week),
            start + Duration::days(7 * week + 6),
        );
        if last <= until && !any_between(days, first, last) {
            return false;
        }
    }
    let mut first = start + Duration::days(28);
    loop {
        let last = first + Duration::days(MONTH_AFTER_DAYS - 1);
        if last > until {
            return true;
        }
        if !any_between(days, first, last) {
            return false;
        }
        first = last + Duration::days(1);
    }
}

/// The measures of job starts, support and disclosure discussions for the clients on the scope's
/// caseloads (`clients`), from `from` to `to`.
pub async fn measures(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    clients: &HashSet<Uuid>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<FidelityMeasure>, ApiError> {
    let names: HashMap<Uuid, String> = client::Entity::find()
        .filter(client::Column::Id.is_in(clients.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let jobs = job_start::Entity::find()
        .filter(job_start::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?;
    let started: Vec<&job_start::Model> = jobs
        .iter()
        .filter(|j| j.start_date >= from && j.start_date <= to)
        .collect();
    let label = |j: &job_start::Model| {
        format!(
            "{} — {}",
            names.get(&j.client_id).map_or("client", String::as_str),
            j.title
        )
    };

    // Diversity: distinct SOC unit groups (a job without a code counts as its own type) and
    // distinct employers (the record, or the name as given) among the job starts; the series
    // counts the starts of each.
    let tally = |key: &dyn Fn(&job_start::Model) -> (String, String)| -> Vec<SeriesPoint> {
        let mut counts: HashMap<String, (String, f64)> = HashMap::new();
        for j in &started {
            let (key, label) = key(j);
            counts.entry(key).or_insert((label, 0.0)).1 += 1.0;
        }
        let mut points: Vec<SeriesPoint> = counts
            .into_values()
            .map(|(label, value)| SeriesPoint::new(label, value))
            .collect();
        points.sort_by(|a, b| a.label.cmp(&b.label));
        points
    };
    let types = tally(&|j| match &j.soc_code {
        Some(code) => (code.clone(), format!("SOC {code}")),
        None => (format!("title:{}", j.title.to_lowercase()), j.title.clone()),
    });
    let employers = tally(&|j| match j.employer_id {
        Some(id) => (id.to_string(), j.employer_name.clone()),
        None => (
            format!("name:{}", j.employer_name.to_lowercase()),
            j.employer_name.clone(),
        ),
    });
    let per_job = |value: &dyn Fn(&job_start::Model) -> f64| -> Vec<SeriesPoint> {
        started
            .iter()
            .map(|j| SeriesPoint {
                label: label(j),
                value: value(j),
                client: Some(j.client_id),
            })
            .collect()
    };
    let job_types = measure(
        thresholds,
        "job_type_diversity",
        "Different job types (SOC unit groups) among job starts, %",
        share(types.len(), started.len()),
        types,
    )?;
    let employer_diversity = measure(
        thresholds,
        "employer_diversity",
        "Different employers among job starts, %",
        share(employers.len(), started.len()),
        employers,
    )?;
    let competitive = measure(
        thresholds,
        "competitive_jobs",
        "Competitive jobs among job starts, %",
        share(
            started.iter().filter(|j| j.competitive).count(),
            started.len(),
        ),
        per_job(&|j| if j.competitive { 1.0 } else { 0.0 }),
    )?;

    // In-work support: each job started in the range (and begun by today), and each job that
    // ended in the range at least 3 days ago.
    let contacts = support_contact::Entity::find()
        .filter(support_contact::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?;
    let days = contact_days(&contacts);
    let none: Vec<NaiveDate> = Vec::new();
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
        "Jobs whose in-work support kept the rhythm (before the start, within 3 days, weekly in month one, monthly after), %",
        share(kept, rhythm.len()),
        rhythm,
    )?;
    let ended: Vec<SeriesPoint> = jobs
        .iter()
        .filter_map(|j| Some((j, j.end_date?)))
        .filter(|(_, end)| {
            *end >= from && *end <= to && *end + Duration::days(PROMPT_DAYS) <= today
        })
        .map(|(j, end)| SeriesPoint {
            label: label(j),
            client: Some(j.client_id),
            value: if any_between(
                days.get(&j.client_id).unwrap_or(&none),
                end,
                end + Duration::days(PROMPT_DAYS),
            ) {
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

    // Discharges in the range, and whether at least two outreach attempts came in the 8 weeks
    // before (no discharge for missed appointments alone).
    let discharges = client_status_episode::Entity::find()
        .filter(client_status_episode::Column::ClientId.is_in(clients.iter().copied()))
        .filter(client_status_episode::Column::Status.eq("DISCHARGED"))
        .filter(client_status_episode::Column::StartedOn.between(from, to))
        .all(db)
        .await?;
    let attempts = outreach_attempt::Entity::find()
        .filter(outreach_attempt::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?;
    let mut outreach: Vec<SeriesPoint> = discharges
        .iter()
        .map(|d| SeriesPoint {
            label: names.get(&d.client_id).cloned().unwrap_or_default(),
            client: Some(d.client_id),
            value: attempts
                .iter()
                .filter(|a| {
                    a.client_id == d.client_id
                        && a.attempted_on <= d.started_on
                        && a.attempted_on >= d.started_on - Duration::days(OUTREACH_WINDOW_DAYS)
                })
                .count() as f64,
        })
        .collect();
    outreach.sort_by(|a, b| a.label.cmp(&b.label));
    let reached_out = outreach
        .iter()
        .filter(|p| p.value >= OUTREACH_ATTEMPTS as f64)
        .count();
    let discharge = measure(
        thresholds,
        "outreach_before_discharge",
        "Discharges that followed at least two outreach attempts in the 8 weeks before, %",
        share(reached_out, outreach.len()),
        outreach,
    )?;

    Ok(vec![
        job_types,
        employer_diversity,
        competitive,
        support,
        after_end,
        disclosure,
        discharge,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).expect("date") + Duration::days(i64::from(day) - 1)
    }

    #[test]
    fn the_support_rhythm_needs_every_window_that_has_passed() {
        // Start on day 15: before (day 10), within 3 days (day 16), weeks of month one (16, 22, 29,
        // 36), then a window of 30 days from day 43 to 72 (day 60).
        let kept = [d(10), d(16), d(22), d(29), d(36), d(60)];
        assert!(followed_rhythm(&kept, d(15), d(75)));
        // Nothing before the start.
        assert!(!followed_rhythm(&kept[1..], d(15), d(75)));
        // A missed week in month one (days 29–35).
        let gap = [d(10), d(16), d(22), d(36), d(60)];
        assert!(!followed_rhythm(&gap, d(15), d(75)));
        // ...unless the job ended before that week was over.
        assert!(followed_rhythm(&gap, d(15), d(30)));
        // The first monthly window (days 43–72) has no contact.
        assert!(!followed_rhythm(&kept[..5], d(15), d(75)));
        assert!(followed_rhythm(&kept[..5], d(15), d(70)));
    }
}
