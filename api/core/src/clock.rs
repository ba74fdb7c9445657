//! The one clock: every rule and record reads the time from here, never from `Utc::now()`.
//! Code run inside [`fixed`] sees that moment instead (a task-local setting, so tests running side
//! by side in one process do not see each other's time); everything else sees the system clock.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};

tokio::task_local! {
    static FIXED: DateTime<Utc>;
}

/// The time now, to the microsecond (what PostgreSQL keeps), so a value reads back unchanged on
/// either database.
pub fn now() -> DateTime<Utc> {
    let at = FIXED.try_with(|at| *at).unwrap_or_else(|_| Utc::now());
    truncate_to_micros(at)
}

/// A time cut to whole microseconds.
pub fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{SubsecRound, Timelike};
    t.trunc_subsecs(6)
        .with_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

/// Today's date (UTC).
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// Runs `work` with the clock stopped at `at`: every `now()` and `today()` inside it (on this
/// task) answers `at`.
pub async fn fixed<F: Future>(at: DateTime<Utc>, work: F) -> F::Output {
    FIXED.scope(at, work).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fixed_clock_holds_inside_its_scope_only() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T09:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let (inside, day) = fixed(at, async { (now(), today()) }).await;
        assert_eq!(inside, at);
        assert_eq!(day, at.date_naive());
        assert!(now() > at, "outside the scope the system clock answers");
    }
}
