//! The work queue: for each client the caller reaches, what is due and why, most urgent first —
//! the fidelity rules (`rules`) run forwards from today. A first employer contact 30 days from
//! referral, an in-work contact by the support rhythm, a call within 3 days of a job ending, a
//! follow-up of a missed appointment, a contact after 14 days without one, a consent expiring
//! within 14 days, a better-off check before a start. Each item names what resolves it; recording
//! that removes it, because the queue is computed from the records every time.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{
    application, application_stage, caseload_assignment, client, disclosure_consent, job_start,
    keyworker_consent, outreach_attempt, support_contact,
};

use super::rules::{
    CONSENT_NOTICE_DAYS, Contact, FOLLOW_UP_DAYS, NO_CONTACT_DAYS, PROMPT_DAYS, contacts_by_client,
    first_employer_contacts, followed_up_on, is_missed, next_support_due,
};
use super::thresholds::Thresholds;
use crate::access::Viewer;
use crate::clients::access::ClientScope;
use crate::clients::model::ClientStatus;
use crate::consent::model::ConsentStatus;
use crate::error::ApiError;
use crate::ids::Kind;
use crate::pipeline::better_off::{checked_before, of_clients};
use crate::stored_enum;

/// An item shows this many days before it falls due (a consent: `CONSENT_NOTICE_DAYS`; in-work
/// support: `SUPPORT_NOTICE_DAYS`).
pub const NOTICE_DAYS: i64 = 3;
/// In-work support shows a week ahead: in month one the rhythm is weekly, so the next contact is
/// always on the week's list.
pub const SUPPORT_NOTICE_DAYS: i64 = 7;
/// Jobs that ended, missed appointments and offers older than this drop out of the queue (the
/// measures still count them).
const LOOK_BACK_DAYS: i64 = 30;

stored_enum! {
    /// What is due.
    pub enum DueKind {
        /// A first face-to-face employer contact on the client's behalf, 30 days from referral.
        FirstEmployerContact = "FIRST_EMPLOYER_CONTACT",
        /// An in-work support contact by the rhythm (weekly in month one, monthly after; in person
        /// in the week before a start).
        InWorkSupport = "IN_WORK_SUPPORT",
        /// A contact within 3 days of a job ending.
        ContactAfterJobEnd = "CONTACT_AFTER_JOB_END",
        /// A follow-up of an appointment the client missed.
        MissedAppointment = "MISSED_APPOINTMENT",
        /// A contact with a client not seen or spoken to for 14 days.
        NoRecentContact = "NO_RECENT_CONTACT",
        /// A consent that expires within 14 days: renew it with the client, or let it lapse.
        ConsentExpiring = "CONSENT_EXPIRING",
        /// A better-off check before a job start (or an offer being accepted).
        BetterOffCheck = "BETTER_OFF_CHECK",
    }
}

/// One thing due for one client.
#[derive(Clone, Debug, PartialEq)]
pub struct DueItem {
    /// What is due.
    pub kind: DueKind,
    /// For whom.
    pub client_id: Uuid,
    /// Their specialist now.
    pub specialist_id: Option<Uuid>,
    /// When it falls due.
    pub due_on: NaiveDate,
    /// Why, in words (dates and counts only).
    pub why: String,
    /// The mutation that resolves it.
    pub resolved_by: &'static str,
    /// The record it is about (a job, a consent, a missed appointment, an application).
    pub subject: Option<(Kind, Uuid)>,
}

impl DueItem {
    /// Days past due on `today` (0 when not yet due).
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        (today - self.due_on).num_days().max(0)
    }
}

/// The queue of the clients `viewer` reaches now (a specialist: their caseload; a team lead:
/// their team's, or one specialist's when `specialist` is given), most urgent first, with the rows
/// of the clients it is about.
pub async fn work_queue(
    db: &DatabaseConnection,
    thresholds: &Thresholds,
    viewer: &Viewer,
    specialist: Option<Uuid>,
    today: NaiveDate,
) -> Result<(Vec<DueItem>, HashMap<Uuid, client::Model>), ApiError> {
    let clients: Vec<client::Model> = ClientScope::of(viewer)
        .apply(client::Entity::find())
        .filter(client::Column::Status.ne(ClientStatus::Discharged.as_db()))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = clients.iter().map(|c| c.id).collect();
    let holders: HashMap<Uuid, Uuid> = caseload_assignment::Entity::find()
        .filter(caseload_assignment::Column::ClientId.is_in(ids.iter().copied()))
        .filter(caseload_assignment::Column::AssignedTo.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.client_id, a.specialist_id))
        .collect();
    let clients: Vec<client::Model> = clients
        .into_iter()
        .filter(|c| specialist.is_none() || holders.get(&c.id) == specialist.as_ref())
        .collect();
    let facts = Facts::read(db, &clients).await?;
    let target = thresholds
        .of("days_to_first_employer_contact")
        .map_or(30.0, |t| t.target) as i64;
    let mut items = Vec::new();
    for c in &clients {
        let mut due = due_for(c, &facts, target, today);
        for item in &mut due {
            item.specialist_id = holders.get(&c.id).copied();
        }
        items.extend(due);
    }
    items.sort_by(|a, b| {
        a.due_on
            .cmp(&b.due_on)
            .then(a.kind.rank().cmp(&b.kind.rank()))
            .then(a.client_id.cmp(&b.client_id))
    });
    Ok((items, clients.into_iter().map(|c| (c.id, c)).collect()))
}

impl DueKind {
    /// Among items due the same day, which first.
    fn rank(self) -> usize {
        DueKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }
}

/// What the rules read about a set of clients, read once.
struct Facts {
    first_contact: HashMap<Uuid, NaiveDate>,
    jobs: Vec<job_start::Model>,
    contacts: HashMap<Uuid, Vec<Contact>>,
    diary: Vec<(entities::diary_entry::Model, Vec<Uuid>)>,
    outreach: Vec<outreach_attempt::Model>,
    checks: Vec<entities::better_off_check::Model>,
    offers: Vec<application::Model>,
    /// The day each offer was made (its OFFER step).
    offered_on: HashMap<Uuid, NaiveDate>,
    consents: Vec<disclosure_consent::Model>,
    keyworker_consents: Vec<keyworker_consent::Model>,
}

impl Facts {
    async fn read(db: &DatabaseConnection, clients: &[client::Model]) -> Result<Self, ApiError> {
        let ids: Vec<Uuid> = clients.iter().map(|c| c.id).collect();
        let jobs = job_start::Entity::find()
            .filter(job_start::Column::ClientId.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let support = support_contact::Entity::find()
            .filter(support_contact::Column::ClientId.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let diary = crate::diary::service::entries_of_clients(db, ids.iter().copied()).await?;
        let consents = disclosure_consent::Entity::find()
            .filter(disclosure_consent::Column::ClientId.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let keyworker_consents = keyworker_consent::Entity::find()
            .filter(keyworker_consent::Column::ClientId.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let offers = application::Entity::find()
            .filter(application::Column::ClientId.is_in(ids.iter().copied()))
            .filter(application::Column::Stage.eq("OFFER"))
            .all(db)
            .await?;
        let offered_on = application_stage::Entity::find()
            .filter(application_stage::Column::ApplicationId.is_in(offers.iter().map(|a| a.id)))
            .filter(application_stage::Column::Stage.eq("OFFER"))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.application_id, s.on_date))
            .collect();
        Ok(Facts {
            first_contact: first_employer_contacts(db, clients).await?,
            contacts: contacts_by_client(&support, &diary),
            jobs,
            diary,
            outreach: outreach_attempt::Entity::find()
                .filter(outreach_attempt::Column::ClientId.is_in(ids.iter().copied()))
                .all(db)
                .await?,
            checks: of_clients(db, ids.iter().copied()).await?,
            offers,
            offered_on,
            consents: crate::consent::service::newest_versions(consents),
            keyworker_consents: crate::consent::keyworker::newest_versions(keyworker_consents),
        })
    }
}

/// Everything due for one client on `today`.
fn due_for(c: &client::Model, facts: &Facts, target: i64, today: NaiveDate) -> Vec<DueItem> {
    let soon = today + Duration::days(NOTICE_DAYS);
    let none = Vec::new();
    let contacts = facts.contacts.get(&c.id).unwrap_or(&none);
    let status = ClientStatus::from_db(&c.status).unwrap_or(ClientStatus::Active);
    let item = |kind, due_on, why: String, resolved_by, subject| DueItem {
        kind,
        client_id: c.id,
        specialist_id: None,
        due_on,
        why,
        resolved_by,
        subject,
    };
    let mut out = Vec::new();

    // Rapid job search: a first employer contact within `target` days of referral.
    let first_due = c.referral_date + Duration::days(target);
    if status == ClientStatus::Active
        && !facts.first_contact.contains_key(&c.id)
        && first_due <= soon
    {
        out.push(item(
            DueKind::FirstEmployerContact,
            first_due,
            format!(
                "referred on {}: no face-to-face employer contact on their behalf yet (due within {target} days)",
                c.referral_date
            ),
            "engagementCreate",
            None,
        ));
    }

    // Jobs: support by the rhythm while in work (and the week before a start), a better-off
    // check before the start, a call within 3 days of the end.
    let mut in_work_item = false;
    for job in facts.jobs.iter().filter(|j| j.client_id == c.id) {
        let running = job.end_date.is_none_or(|end| end >= today);
        if running && job.start_date <= today + Duration::days(super::rules::BEFORE_START_DAYS) {
            let due = next_support_due(contacts, job.start_date, today);
            if due <= today + Duration::days(SUPPORT_NOTICE_DAYS) {
                in_work_item = true;
                let why = if today < job.start_date {
                    format!(
                        "starts work on {}: meet in person in the week before",
                        job.start_date
                    )
                } else {
                    format!(
                        "in work since {}: in-work support by the rhythm (weekly in month one, monthly after)",
                        job.start_date
                    )
                };
                out.push(item(
                    DueKind::InWorkSupport,
                    due,
                    why,
                    "supportContactRecord",
                    Some((Kind::JobStart, job.id)),
                ));
            }
        }
        if job.start_date >= today && !checked_before(&facts.checks, job) {
            out.push(item(
                DueKind::BetterOffCheck,
                (job.start_date - Duration::days(1)).max(today),
                format!(
                    "starts work on {} with no better-off check for this job",
                    job.start_date
                ),
                "betterOffCheckRecord",
                Some((Kind::JobStart, job.id)),
            ));
        }
        if let Some(end) = job.end_date
            && end <= today
            && end >= today - Duration::days(LOOK_BACK_DAYS)
            && !contacts.iter().any(|k| k.day >= end)
        {
            out.push(item(
                DueKind::ContactAfterJobEnd,
                end + Duration::days(PROMPT_DAYS),
                format!("a job ended on {end} with no contact since"),
                "supportContactRecord",
                Some((Kind::JobStart, job.id)),
            ));
        }
    }
    for offer in facts.offers.iter().filter(|a| a.client_id == c.id) {
        let checked = facts
            .checks
            .iter()
            .any(|k| k.application_id == Some(offer.id));
        let started = facts
            .jobs
            .iter()
            .any(|j| j.application_id == Some(offer.id));
        let on = facts
            .offered_on
            .get(&offer.id)
            .copied()
            .unwrap_or_else(|| offer.updated_at.date_naive());
        // An offer left at OFFER for over a month is stale, not due.
        if !checked && !started && on >= today - Duration::days(LOOK_BACK_DAYS) {
            out.push(item(
                DueKind::BetterOffCheck,
                on,
                format!("offered a job on {on}: work out whether they will be better off before they accept"),
                "betterOffCheckRecord",
                Some((Kind::Application, offer.id)),
            ));
        }
    }

    // Missed appointments not yet followed up.
    for (entry, named) in &facts.diary {
        let day = entry.at.date_naive();
        if named.contains(&c.id)
            && is_missed(entry)
            && day >= today - Duration::days(LOOK_BACK_DAYS)
            && followed_up_on(entry, c.id, &facts.diary, &facts.outreach).is_none()
        {
            out.push(item(
                DueKind::MissedAppointment,
                day + Duration::days(FOLLOW_UP_DAYS),
                format!("missed an appointment on {day}: not followed up yet"),
                "diaryEntryRecord",
                Some((Kind::DiaryEntry, entry.id)),
            ));
        }
    }

    // Two weeks without a contact (in-work clients have their rhythm instead).
    if matches!(status, ClientStatus::Active | ClientStatus::InWork) && !in_work_item {
        let last = contacts
            .iter()
            .map(|k| k.day)
            .filter(|d| *d <= today)
            .max()
            .unwrap_or(c.referral_date)
            .max(c.referral_date);
        let due = last + Duration::days(NO_CONTACT_DAYS);
        if due <= soon {
            out.push(item(
                DueKind::NoRecentContact,
                due,
                format!("no contact since {last}"),
                "diaryEntryRecord",
                None,
            ));
        }
    }

    // Consents that lapse within 14 days, unless a later one to the same recipient (for the same
    // purpose) runs on past that.
    let notice = today + Duration::days(CONSENT_NOTICE_DAYS);
    let now = crate::clock::now();
    let mut latest: HashMap<(Uuid, Option<Uuid>, &str), &disclosure_consent::Model> =
        HashMap::new();
    for consent in facts.consents.iter().filter(|k| {
        k.client_id == c.id
            && k.status == ConsentStatus::Active.as_db()
            && k.effective_from <= now
            && k.expires_at > now
    }) {
        let key = (
            consent.employer_id,
            consent.contact_id,
            consent.purpose.as_str(),
        );
        if latest
            .get(&key)
            .is_none_or(|kept| kept.expires_at < consent.expires_at)
        {
            latest.insert(key, consent);
        }
    }
    for consent in latest.values() {
        let expires = consent.expires_at.date_naive();
        if expires <= notice {
            out.push(item(
                DueKind::ConsentExpiring,
                expires,
                format!("a consent to tell an employer expires on {expires}"),
                "consentChange",
                Some((Kind::Consent, consent.id)),
            ));
        }
    }
    let mut latest: HashMap<Uuid, &keyworker_consent::Model> = HashMap::new();
    for consent in facts
        .keyworker_consents
        .iter()
        .filter(|k| k.client_id == c.id && crate::consent::keyworker::in_force(k, now))
    {
        if latest
            .get(&consent.keyworker_id)
            .is_none_or(|kept| kept.expires_at < consent.expires_at)
        {
            latest.insert(consent.keyworker_id, consent);
        }
    }
    for consent in latest.values() {
        let expires = consent.expires_at.date_naive();
        if expires <= notice {
            out.push(item(
                DueKind::ConsentExpiring,
                expires,
                format!("the consent to share progress with their keyworker expires on {expires}"),
                "keyworkerConsentGrant",
                Some((Kind::KeyworkerConsent, consent.id)),
            ));
        }
    }
    out
}
