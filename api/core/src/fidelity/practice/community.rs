//! Time in the community: of the minutes a specialist spent with clients (attended diary entries),
//! the share outside the office — out in the community, at employers' premises or at the client's
//! home (phone and video count as client-facing time in the office).

use entities::diary_entry;

use crate::diary::model::{Attendance, DiaryParty, DiaryPlace};
use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint, measure};
use crate::fidelity::thresholds::Thresholds;

/// The measure over the scope's diary entries in the range.
pub fn measure_of(
    thresholds: &Thresholds,
    diary: &[diary_entry::Model],
) -> Result<FidelityMeasure, ApiError> {
    let mut by_place: Vec<(DiaryPlace, i64)> = DiaryPlace::ALL.iter().map(|p| (*p, 0)).collect();
    for e in diary {
        if e.with_whom != DiaryParty::Client.as_db()
            || e.attendance.as_deref() != Some(Attendance::Attended.as_db())
        {
            continue;
        }
        let Ok(place) = DiaryPlace::from_db(&e.place) else {
            continue;
        };
        if let Some(slot) = by_place.iter_mut().find(|(p, _)| *p == place) {
            slot.1 += i64::from(e.minutes.unwrap_or(0).max(0));
        }
    }
    let total: i64 = by_place.iter().map(|(_, m)| m).sum();
    let outside: i64 = by_place
        .iter()
        .filter(|(p, _)| p.in_the_community())
        .map(|(_, m)| m)
        .sum();
    let series = by_place
        .iter()
        .map(|(p, m)| SeriesPoint::new(place_label(*p), *m as f64))
        .collect();
    measure(
        thresholds,
        "time_in_community",
        "Client-facing minutes spent outside the office (community, employers, clients' homes), %",
        (total > 0).then(|| (outside as f64 * 1000.0 / total as f64).round() / 10.0),
        series,
    )
}

fn place_label(place: DiaryPlace) -> &'static str {
    match place {
        DiaryPlace::Community => "In the community",
        DiaryPlace::EmployerPremises => "At employers",
        DiaryPlace::ClientHome => "At clients' homes",
        DiaryPlace::Office => "In the office",
        DiaryPlace::Phone => "By phone",
        DiaryPlace::Video => "By video",
    }
}
