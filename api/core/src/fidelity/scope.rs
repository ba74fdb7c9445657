//! Whose practice a report measures, and the days of its range as instants.

use entities::staff;

/// The specialists a report covers, with their FTE, and the reach of the caller it is for.
pub struct Scope {
    /// What it is called in the report.
    pub label: String,
    /// The specialists.
    pub specialists: Vec<staff::Model>,
    /// The team, when the report is a team's (its treatment teams are the funnel's).
    pub team: Option<uuid::Uuid>,
    /// Which clients the caller reaches now: names and client objects in the report go only to
    /// them.
    pub reach: crate::clients::access::ClientScope,
}

pub use crate::dates::{end_of, start_of};
