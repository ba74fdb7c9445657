//! The IPS Grow quarterly export at `/reports/ips-grow.csv`: one row per client on the scope's
//! caseloads in the range, in the shape of IPS Grow's reporting tool — referral date, the day the
//! vocational profile was started, the first job start and its hours, later job starts and their
//! hours, and the discharge date and coded reason. Clients appear by their ipsmatch reference
//! (`Client.reference`: neither their name nor the database id), and only those the caller reaches
//! now; no free text and nothing special-category is in it. Same sign-in as the fidelity report.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use entities::{client_status_episode, job_start, vocational_profile};

use super::outcomes::caseload;
use super::scope::Scope;
use crate::error::ApiError;

/// The header row.
pub const COLUMNS: [&str; 12] = [
    "client_reference",
    "specialist",
    "referral_date",
    "employment_at_referral",
    "vocational_profile_started",
    "first_job_start",
    "first_job_hours_per_week",
    "subsequent_job_starts",
    "subsequent_job_hours_per_week",
    "discharge_date",
    "discharge_reason",
    "status",
];

/// One CSV cell: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@`
/// is neutralised so a spreadsheet never runs it as a formula.
pub fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn hours(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The export for `scope` from `from` to `to`.
pub async fn export(
    db: &DatabaseConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<String, ApiError> {
    let super::outcomes::Caseload {
        clients, holder, ..
    } = caseload(db, scope, from, to).await?;
    // A row names a client (by reference): only clients the caller reaches now are listed.
    let reached = scope
        .reach
        .reached(db, clients.iter().map(|c| c.id))
        .await?;
    let clients: Vec<_> = clients
        .into_iter()
        .filter(|c| reached.contains(&c.id))
        .collect();
    let ids: Vec<Uuid> = clients.iter().map(|c| c.id).collect();
    let names: HashMap<Uuid, &str> = scope
        .specialists
        .iter()
        .map(|s| (s.id, s.name.as_str()))
        .collect();
    let mut profile_started: HashMap<Uuid, NaiveDate> = HashMap::new();
    for p in vocational_profile::Entity::find()
        .filter(vocational_profile::Column::ClientId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        let day = p.recorded_at.date_naive();
        let slot = profile_started.entry(p.client_id).or_insert(day);
        *slot = (*slot).min(day);
    }
    let mut jobs: HashMap<Uuid, Vec<job_start::Model>> = HashMap::new();
    for j in job_start::Entity::find()
        .filter(job_start::Column::ClientId.is_in(ids.clone()))
        .order_by_asc(job_start::Column::StartDate)
        .all(db)
        .await?
    {
        jobs.entry(j.client_id).or_default().push(j);
    }
    let mut discharged: HashMap<Uuid, client_status_episode::Model> = HashMap::new();
    for e in client_status_episode::Entity::find()
        .filter(client_status_episode::Column::ClientId.is_in(ids))
        .filter(client_status_episode::Column::Status.eq("DISCHARGED"))
        .order_by_asc(client_status_episode::Column::StartedOn)
        .all(db)
        .await?
    {
        discharged.insert(e.client_id, e);
    }
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for c in &clients {
        let none = Vec::new();
        let jobs = jobs.get(&c.id).unwrap_or(&none);
        let first = jobs.first();
        let later = jobs.get(1..).unwrap_or_default();
        let discharge = discharged.get(&c.id);
        let specialist = holder
            .get(&c.id)
            .and_then(|s| names.get(s))
            .copied()
            .unwrap_or_default();
        let row = [
            crate::clients::service::reference(c.id),
            specialist.to_string(),
            c.referral_date.to_string(),
            c.employment_at_referral.clone().unwrap_or_default(),
            profile_started
                .get(&c.id)
                .map(ToString::to_string)
                .unwrap_or_default(),
            first.map(|j| j.start_date.to_string()).unwrap_or_default(),
            first.map(|j| hours(j.hours_per_week)).unwrap_or_default(),
            later
                .iter()
                .map(|j| j.start_date.to_string())
                .collect::<Vec<_>>()
                .join(";"),
            later
                .iter()
                .map(|j| hours(j.hours_per_week))
                .collect::<Vec<_>>()
                .join(";"),
            discharge
                .map(|e| e.started_on.to_string())
                .unwrap_or_default(),
            // The code only: free-text reasons can hold special-category facts.
            discharge.map_or_else(String::new, |e| {
                e.reason_code
                    .clone()
                    .unwrap_or_else(|| "NOT_RECORDED".into())
            }),
            c.status.clone(),
        ];
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("2026-01-01;2026-02-01"), "2026-01-01;2026-02-01");
    }
}
