//! Whose practice a report measures, and the days of its range as instants.

use chrono::{DateTime, NaiveDate, Utc};

use entities::staff;

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

/// The last second of `day`.
pub fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 59)
        .map_or_else(crate::clock::now, |t| t.and_utc())
}

/// The first second of `day`.
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .map_or_else(crate::clock::now, |t| t.and_utc())
}
