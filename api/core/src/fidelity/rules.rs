//! The fidelity rules, written once: what counts as a client's first employer contact, as a
//! contact with the client, as a follow-up of a missed appointment and as a better-off check
//! before a start, and the windows of the in-work support rhythm. The measures look back with
//! them over a range; the work queue (`work_queue`) runs the same rules forwards from today.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{
    application, application_stage, client, diary_entry, engagement, engagement_client,
    outreach_attempt, support_contact,
};

use crate::diary::model::{Attendance, DiaryParty, DiaryPlace};
use crate::error::ApiError;

/// Days after a start, or after a job ends, within which a contact is due.
pub const PROMPT_DAYS: i64 = 3;
/// The week before a start, in which a face-to-face contact is due.
pub const BEFORE_START_DAYS: i64 = 7;
/// Month one of a job: four weekly windows from the start.
pub const MONTH_ONE_DAYS: i64 = 28;
/// After month one: one contact in each window of this many days.
pub const MONTHLY_DAYS: i64 = 30;
/// A client with no contact for this many days is due one.
pub const NO_CONTACT_DAYS: i64 = 14;
/// Days within which a missed appointment is followed up.
pub const FOLLOW_UP_DAYS: i64 = 3;
/// A consent expiring within this many days is due to be renewed (or let go).
pub const CONSENT_NOTICE_DAYS: i64 = 14;

/// One contact with a client (an in-work support contact or a diary entry they attended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contact {
    /// The day.
    pub day: NaiveDate,
    /// In person.
    pub face_to_face: bool,
}

fn any_between(contacts: &[Contact], first: NaiveDate, last: NaiveDate, in_person: bool) -> bool {
    contacts
        .iter()
        .any(|c| c.day >= first && c.day <= last && (c.face_to_face || !in_person))
}

/// Whether support around one job followed the IPS rhythm up to `until` (its end, or today): a
/// face-to-face contact in the week before the start, one within 3 days after it, one in each week
/// of month one, and one in each 30-day window after. Only windows that have fully passed are
/// required.
pub fn followed_rhythm(contacts: &[Contact], start: NaiveDate, until: NaiveDate) -> bool {
    if !any_between(
        contacts,
        start - Duration::days(BEFORE_START_DAYS),
        start - Duration::days(1),
        true,
    ) {
        return false;
    }
    if until >= start + Duration::days(PROMPT_DAYS)
        && !any_between(contacts, start, start + Duration::days(PROMPT_DAYS), false)
    {
        return false;
    }
    for week in 0..4 {
        let (first, last) = (
            start + Duration::days(7 * week),
            start + Duration::days(7 * week + 6),
        );
        if last <= until && !any_between(contacts, first, last, false) {
            return false;
        }
    }
    let mut first = start + Duration::days(MONTH_ONE_DAYS);
    loop {
        let last = first + Duration::days(MONTHLY_DAYS - 1);
        if last > until {
            return true;
        }
        if !any_between(contacts, first, last, false) {
            return false;
        }
        first = last + Duration::days(1);
    }
}

/// When the next in-work contact for a job is due, by the rhythm, given the contacts so far (on
/// `today`): before the start, a face-to-face contact in the week before; then within 3 days of
/// the start; then a week after the last contact in month one, a month after it later.
pub fn next_support_due(contacts: &[Contact], start: NaiveDate, today: NaiveDate) -> NaiveDate {
    if today < start {
        return if any_between(
            contacts,
            start - Duration::days(BEFORE_START_DAYS),
            start - Duration::days(1),
            true,
        ) {
            start + Duration::days(PROMPT_DAYS)
        } else {
            start - Duration::days(1)
        };
    }
    let last = contacts
        .iter()
        .map(|c| c.day)
        .filter(|d| *d >= start && *d <= today)
        .max();
    match last {
        None => start + Duration::days(PROMPT_DAYS),
        Some(last) if last < start + Duration::days(MONTH_ONE_DAYS) => last + Duration::days(7),
        Some(last) => last + Duration::days(MONTHLY_DAYS),
    }
}

/// Whether a job that ended on `end` had a contact within 3 days.
pub fn contacted_after_end(contacts: &[Contact], end: NaiveDate) -> bool {
    any_between(contacts, end, end + Duration::days(PROMPT_DAYS), false)
}

/// The contacts with each client: in-work support contacts (either party) and diary entries with
/// the client that they attended.
pub fn contacts_by_client(
    support: &[support_contact::Model],
    diary: &[(diary_entry::Model, Vec<Uuid>)],
) -> HashMap<Uuid, Vec<Contact>> {
    let mut out: HashMap<Uuid, Vec<Contact>> = HashMap::new();
    for s in support {
        out.entry(s.client_id).or_default().push(Contact {
            day: s.occurred_at.date_naive(),
            face_to_face: s.mode == "FACE_TO_FACE",
        });
    }
    for (e, clients) in diary {
        if e.with_whom != DiaryParty::Client.as_db()
            || e.attendance.as_deref() != Some(Attendance::Attended.as_db())
        {
            continue;
        }
        let face_to_face = DiaryPlace::from_db(&e.place).is_ok_and(DiaryPlace::face_to_face);
        for c in clients {
            out.entry(*c).or_default().push(Contact {
                day: e.at.date_naive(),
                face_to_face,
            });
        }
    }
    out
}

/// A missed appointment (a planned entry with the client marked did-not-attend).
pub fn is_missed(entry: &diary_entry::Model) -> bool {
    entry.with_whom == DiaryParty::Client.as_db()
        && entry.attendance.as_deref() == Some(Attendance::DidNotAttend.as_db())
}

/// The first day `missed` (with `client`) was followed up: an entry that says it follows it up
/// and took place (attended, or tried and missed — not cancelled, not still to come), a later
/// attended contact with the client or their keyworker about them, or an outreach attempt from
/// that day on. A meeting that only lists the client follows up nothing.
pub fn followed_up_on(
    missed: &diary_entry::Model,
    client: Uuid,
    diary: &[(diary_entry::Model, Vec<Uuid>)],
    outreach: &[outreach_attempt::Model],
) -> Option<NaiveDate> {
    let attended =
        |e: &diary_entry::Model| e.attendance.as_deref() == Some(Attendance::Attended.as_db());
    let by_diary = diary
        .iter()
        .filter(|(e, clients)| {
            let happened = matches!(
                e.attendance.as_deref(),
                Some(a) if a != Attendance::Cancelled.as_db()
            );
            let with_them = e.with_whom == DiaryParty::Client.as_db()
                || e.with_whom == DiaryParty::Keyworker.as_db();
            e.id != missed.id
                && clients.contains(&client)
                && e.at > missed.at
                && ((e.follows_up_id == Some(missed.id) && happened) || (with_them && attended(e)))
        })
        .map(|(e, _)| e.at.date_naive())
        .min();
    let by_outreach = outreach
        .iter()
        .filter(|a| a.client_id == client && a.attempted_on >= missed.at.date_naive())
        .map(|a| a.attempted_on)
        .min();
    by_diary.into_iter().chain(by_outreach).min()
}

/// Each client's first employer contact on or after their referral: a current face-to-face
/// engagement naming them, or their own contact with the employer (an application reaching
/// interview) — the rapid-search item counts either.
pub async fn first_employer_contacts(
    db: &impl ConnectionTrait,
    clients: &[client::Model],
) -> Result<HashMap<Uuid, NaiveDate>, ApiError> {
    let referral: HashMap<Uuid, NaiveDate> =
        clients.iter().map(|c| (c.id, c.referral_date)).collect();
    let mut first: HashMap<Uuid, NaiveDate> = HashMap::new();
    let mut note = |client: Uuid, day: NaiveDate| {
        if referral.get(&client).is_some_and(|r| day >= *r) {
            let entry = first.entry(client).or_insert(day);
            *entry = (*entry).min(day);
        }
    };
    let ids: Vec<Uuid> = clients.iter().map(|c| c.id).collect();
    for chunk in ids.chunks(500) {
        let links = engagement_client::Entity::find()
            .filter(engagement_client::Column::ClientId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        let linked: Vec<Uuid> = links.iter().map(|l| l.engagement_id).collect();
        // Current entries only: a correction's date replaces the original's.
        let superseded: HashSet<Uuid> = engagement::Entity::find()
            .filter(engagement::Column::SupersedesId.is_in(linked.clone()))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|e| e.supersedes_id)
            .collect();
        let named: HashMap<Uuid, engagement::Model> = engagement::Entity::find()
            .filter(engagement::Column::Id.is_in(linked))
            .filter(engagement::Column::Mode.eq("FACE_TO_FACE"))
            .filter(engagement::Column::RetractionReason.is_null())
            .all(db)
            .await?
            .into_iter()
            .filter(|e| !superseded.contains(&e.id))
            .map(|e| (e.id, e))
            .collect();
        for l in &links {
            if let Some(e) = named.get(&l.engagement_id) {
                note(l.client_id, e.occurred_at.date_naive());
            }
        }
        let applications = application::Entity::find()
            .filter(application::Column::ClientId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        let owner: HashMap<Uuid, Uuid> = applications.iter().map(|a| (a.id, a.client_id)).collect();
        for stage in application_stage::Entity::find()
            .filter(application_stage::Column::ApplicationId.is_in(owner.keys().copied()))
            .filter(application_stage::Column::Stage.eq("INTERVIEW"))
            .all(db)
            .await?
        {
            if let Some(client) = owner.get(&stage.application_id) {
                note(*client, stage.on_date);
            }
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).expect("date") + Duration::days(i64::from(day) - 1)
    }

    fn met(days: &[NaiveDate]) -> Vec<Contact> {
        days.iter()
            .map(|day| Contact {
                day: *day,
                face_to_face: true,
            })
            .collect()
    }

    #[test]
    fn the_support_rhythm_needs_every_window_that_has_passed() {
        // Start on day 15: before (day 10, in the week before), within 3 days (day 16), weeks of
        // month one (16, 22, 29, 36), then a window of 30 days from day 43 to 72 (day 60).
        let kept = met(&[d(10), d(16), d(22), d(29), d(36), d(60)]);
        assert!(followed_rhythm(&kept, d(15), d(75)));
        // Nothing before the start.
        assert!(!followed_rhythm(&kept[1..], d(15), d(75)));
        // A missed week in month one (days 29–35).
        let gap = met(&[d(10), d(16), d(22), d(36), d(60)]);
        assert!(!followed_rhythm(&gap, d(15), d(75)));
        // ...unless the job ended before that week was over.
        assert!(followed_rhythm(&gap, d(15), d(30)));
        // The first monthly window (days 43–72) has no contact.
        assert!(!followed_rhythm(&kept[..5], d(15), d(75)));
        assert!(followed_rhythm(&kept[..5], d(15), d(70)));
    }

    #[test]
    fn the_contact_before_a_start_is_face_to_face_in_the_week_before() {
        // Day 6 is nine days before a start on day 15: outside the week (days 8–14).
        let early = met(&[d(6), d(16), d(22), d(29), d(36)]);
        assert!(!followed_rhythm(&early, d(15), d(40)));
        // Day 10 by phone: inside the week, but not in person.
        let mut by_phone = met(&[d(10), d(16), d(22), d(29), d(36)]);
        by_phone[0].face_to_face = false;
        assert!(!followed_rhythm(&by_phone, d(15), d(40)));
        // After the start a phone call counts.
        let mut later_phone = met(&[d(10), d(16), d(22), d(29), d(36)]);
        later_phone[2].face_to_face = false;
        assert!(followed_rhythm(&later_phone, d(15), d(40)));
    }

    fn entry(
        with_whom: &str,
        day: u32,
        attendance: Option<&str>,
        follows_up: Option<Uuid>,
    ) -> diary_entry::Model {
        diary_entry::Model {
            id: Uuid::now_v7(),
            specialist_id: Uuid::nil(),
            with_whom: with_whom.into(),
            treatment_team_id: None,
            at: d(day).and_hms_opt(10, 0, 0).expect("time").and_utc(),
            planned: true,
            attendance: attendance.map(Into::into),
            place: "OFFICE".into(),
            minutes: None,
            note: None,
            follows_up_id: follows_up,
            recorded_by_id: Uuid::nil(),
            recorded_at: d(day).and_hms_opt(10, 0, 0).expect("time").and_utc(),
            version: 1,
        }
    }

    #[test]
    fn a_missed_appointment_is_followed_up_by_a_contact_not_by_a_listing() {
        let client = Uuid::now_v7();
        let missed = entry("CLIENT", 10, Some("DID_NOT_ATTEND"), None);
        let follow = |e: diary_entry::Model| {
            let diary = vec![(missed.clone(), vec![client]), (e, vec![client])];
            followed_up_on(&missed, client, &diary, &[])
        };
        // A call that says it follows it up; an attended visit; their keyworker about them.
        assert_eq!(
            follow(entry("CLIENT", 11, Some("ATTENDED"), Some(missed.id))),
            Some(d(11))
        );
        assert_eq!(
            follow(entry("CLIENT", 12, Some("DID_NOT_ATTEND"), Some(missed.id))),
            Some(d(12)),
            "tried counts"
        );
        assert_eq!(
            follow(entry("KEYWORKER", 13, Some("ATTENDED"), None)),
            Some(d(13))
        );
        // Not: a cancelled or still-to-come follow-up, a meeting that lists them, a work coach.
        assert_eq!(
            follow(entry("CLIENT", 11, Some("CANCELLED"), Some(missed.id))),
            None
        );
        assert_eq!(follow(entry("CLIENT", 11, None, Some(missed.id))), None);
        assert_eq!(
            follow(entry("TREATMENT_TEAM_MEETING", 11, Some("ATTENDED"), None)),
            None
        );
        assert_eq!(
            follow(entry("WORK_COACH", 11, Some("ATTENDED"), None)),
            None
        );
    }

    #[test]
    fn the_next_support_contact_falls_due_by_the_rhythm() {
        // Before a start on day 15 with no contact in the week before: due the day before.
        assert_eq!(next_support_due(&[], d(15), d(9)), d(14));
        // Met on day 12: next due within 3 days of the start.
        assert_eq!(next_support_due(&met(&[d(12)]), d(15), d(13)), d(18));
        // Started, no contact since: due by day 18.
        assert_eq!(next_support_due(&met(&[d(12)]), d(15), d(20)), d(18));
        // Month one: a week after the last contact (day 22 → day 29).
        assert_eq!(next_support_due(&met(&[d(16), d(22)]), d(15), d(24)), d(29));
        // After month one (from day 43): a month after the last (day 50 → day 80).
        assert_eq!(next_support_due(&met(&[d(16), d(50)]), d(15), d(55)), d(80));
    }
}
