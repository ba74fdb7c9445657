//! One fidelity measure as the API and the report show it: its value, anchor, target and the
//! series behind it, and [`measure`], which places a value on the fidelity scale from the
//! configured thresholds.

use uuid::Uuid;

use entities::client;

use super::thresholds::{Better, Thresholds};
use crate::error::ApiError;

/// One labelled number behind a measure (a week, a specialist, a client).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct SeriesPoint {
    /// What the number is for (an ISO week `2026-W45`, a name). A client's point is labelled with
    /// their name only for a caller who reaches the client now; otherwise
    /// "a client outside your reach".
    pub label: String,
    /// The number.
    pub value: f64,
    /// The client the point is about, for the reach check.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub client: Option<Uuid>,
}

impl SeriesPoint {
    /// A point that is about no client (a week, a specialist, a band).
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        SeriesPoint {
            label: label.into(),
            value,
            client: None,
        }
    }

    /// A point about one client, labelled with their name (until the reach check).
    pub fn of_client(client: &client::Model, value: f64) -> Self {
        SeriesPoint {
            label: client.name.clone(),
            value,
            client: Some(client.id),
        }
    }
}

/// One fidelity measure.
#[derive(Clone, Debug)]
pub struct FidelityMeasure {
    /// Stable key, e.g. `caseload_per_fte`.
    pub key: String,
    /// What it measures, for a person.
    pub label: String,
    /// The value over the scope and range; null when there is nothing to measure.
    pub value: Option<f64>,
    /// The fidelity-scale anchor it reaches (1 to 5); null with no value.
    pub anchor: Option<i32>,
    /// The level good practice aims for.
    pub target: f64,
    /// Which way is better.
    pub better: Better,
    /// The four bounds between anchors 1–2, 2–3, 3–4 and 4–5 (from configuration).
    pub bounds: Vec<f64>,
    /// The numbers behind the value.
    pub series: Vec<SeriesPoint>,
    /// A second series where the measure has one (the 4-week rolling mean of weekly contacts).
    pub rolling: Vec<SeriesPoint>,
    /// How many clients referred in the range are past the target with no face-to-face employer
    /// contact on their behalf yet (days-to-first-contact only; 0 for other measures), counted by
    /// assignment history whether or not you reach them now.
    pub clients_past_target_count: i32,
    /// Those of them the caller reaches now (the reach check has run: see [`redact`](super::service::redact)).
    pub clients_past_target: Vec<client::Model>,
}

/// A measure's value with its anchor and thresholds.
pub fn measure(
    thresholds: &Thresholds,
    key: &str,
    label: &str,
    value: Option<f64>,
    series: Vec<SeriesPoint>,
) -> Result<FidelityMeasure, ApiError> {
    let t = thresholds
        .of(key)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no threshold for {key}")))?;
    let value = value.map(|v| (v * 100.0).round() / 100.0);
    Ok(FidelityMeasure {
        key: key.into(),
        label: label.into(),
        value,
        anchor: value.map(|v| t.anchor(v)),
        target: t.target,
        better: t.better,
        bounds: t.bounds.to_vec(),
        series,
        rolling: Vec::new(),
        clients_past_target_count: 0,
        clients_past_target: Vec::new(),
    })
}
