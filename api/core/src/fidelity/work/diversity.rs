//! Diversity of job types and of employers among job starts, and competitive jobs.

use std::collections::HashMap;

use entities::job_start;

use super::jobs::{Jobs, share};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::thresholds::Thresholds;

/// Job-type diversity, employer diversity and competitive jobs over the jobs started in the range.
pub(super) fn measures(
    thresholds: &Thresholds,
    jobs: &Jobs,
) -> Result<Vec<FidelityMeasure>, ApiError> {
    let started = jobs.started();
    let label = |j: &job_start::Model| jobs.label(j);
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
    Ok(vec![job_types, employer_diversity, competitive])
}
