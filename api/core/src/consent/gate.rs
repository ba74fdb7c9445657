//! The consent gate: the one way anything about a client reaches an employer. [`disclose`] takes
//! the per-client-and-employer lock, checks the newest consent versions against the act (employer,
//! contact, purpose, items, level, who tells, in force), appends the disclosure to the
//! hash-chained log and hands back a [`Disclosed`] — a value only this module can make, which every
//! employer-facing write takes. "In force" is defined once, here ([`in_force`]), for the gate, the
//! alerts and the schema alike.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use entities::{disclosure_consent, employer, employer_contact};

use super::model::{
    ConsentPurpose, ConsentStatus, Discloser, DisclosureAct, DisclosureItem, DisclosureLevel,
};
use super::service::{Act, lock_pair, log, newest_versions};
use crate::db::now;
use crate::error::{ServiceError, UserErrorCode};

/// The purposes of consent that allow each act. One table: the README shows it, and the consent
/// class test drives every gated mutation with a consent of every other purpose.
pub fn purposes_allowing(act: DisclosureAct) -> &'static [ConsentPurpose] {
    use ConsentPurpose as P;
    match act {
        DisclosureAct::Introduction => &[P::Introduction, P::Application, P::Liaison],
        DisclosureAct::Application => &[P::Application, P::Liaison],
        DisclosureAct::Engagement => &[P::Introduction, P::Application, P::Liaison],
        DisclosureAct::InWorkSupport => &[P::InWorkSupport, P::Liaison],
    }
}

/// Why a consent version is not in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lapse {
    /// The client withdrew it.
    Revoked,
    /// Its term ran out.
    Expired(DateTime<Utc>),
    /// It takes effect later.
    NotYet(DateTime<Utc>),
    /// The client chose not to be named to this employer.
    LevelNone,
    /// The employer has been renamed since the client agreed: suspended until the client confirms.
    EmployerRenamed {
        /// The name the client agreed to.
        agreed: String,
        /// The name the employer has now.
        now: String,
    },
}

impl Lapse {
    /// In words, for a user error or an alert (names of employers only, nothing about the client).
    pub fn describe(&self) -> String {
        match self {
            Lapse::Revoked => "the consent for this employer was revoked".into(),
            Lapse::Expired(at) => format!(
                "the consent for this employer expired on {}",
                at.date_naive()
            ),
            Lapse::NotYet(at) => format!("the consent takes effect on {}", at.date_naive()),
            Lapse::LevelNone => "the client chose not to be named to this employer".into(),
            Lapse::EmployerRenamed { agreed, now } => format!(
                "the client agreed to \"{agreed}\", which is now \"{now}\": the consent is suspended until the client confirms it again (consentChange)"
            ),
        }
    }
}

/// Whether `consent` (one version) is in force at `at` for an employer now called
/// `employer_name`. The one definition of "in force".
pub fn in_force(
    consent: &disclosure_consent::Model,
    employer_name: &str,
    at: DateTime<Utc>,
) -> Result<(), Lapse> {
    if consent.status != ConsentStatus::Active.as_db() {
        return Err(Lapse::Revoked);
    }
    if at >= consent.expires_at {
        return Err(Lapse::Expired(consent.expires_at));
    }
    if at < consent.effective_from {
        return Err(Lapse::NotYet(consent.effective_from));
    }
    if consent.level == DisclosureLevel::None.as_db() {
        return Err(Lapse::LevelNone);
    }
    if let Some(agreed) = &consent.employer_name
        && agreed != employer_name
    {
        return Err(Lapse::EmployerRenamed {
            agreed: agreed.clone(),
            now: employer_name.to_string(),
        });
    }
    Ok(())
}

/// One act of telling an employer about a client.
pub struct Telling<'a> {
    /// The client told about.
    pub client_id: Uuid,
    /// The employer told.
    pub employer_id: Uuid,
    /// The person told, if one.
    pub contact_id: Option<Uuid>,
    /// The vacancy it is about, if one (it must be this employer's).
    pub vacancy_id: Option<Uuid>,
    /// What kind of act (decides the purposes that allow it).
    pub act: DisclosureAct,
    /// The items told (service affiliation at least).
    pub items: &'a [DisclosureItem],
    /// The channel (face to face, phone, e-mail).
    pub channel: &'a str,
    /// Who tells.
    pub actor_id: Uuid,
    /// The input field to name when refused.
    pub field: &'a str,
}

/// Proof that an act passed the gate and is in the disclosure log (in the caller's transaction).
/// Only [`disclose`] makes one; every employer-facing write takes one.
#[derive(Debug)]
pub struct Disclosed {
    consent: disclosure_consent::Model,
    client_id: Uuid,
}

impl Disclosed {
    /// The consent version relied on.
    pub fn consent(&self) -> &disclosure_consent::Model {
        &self.consent
    }

    /// The client told about.
    pub fn client_id(&self) -> Uuid {
        self.client_id
    }
}

/// Passes `telling` through the gate inside the caller's transaction: checks it against the
/// client's consent for the employer under the pair lock, logs it, and returns the proof. Refused
/// with `DISCLOSURE_NOT_CONSENTED` (naming `telling.field` and saying what is missing) otherwise,
/// or `NOT_FOUND`/`ARCHIVED` when the employer, contact or vacancy is not one that can be told.
pub async fn disclose(
    conn: &impl ConnectionTrait,
    telling: Telling<'_>,
) -> Result<Disclosed, ServiceError> {
    disclose_at(conn, telling, now()).await
}

/// The gate judged as of `at` instead of now, for recording history (the demo data set writes a
/// year of it): every check is the same, and the consent must have been in force at `at`. Not
/// for the API, where every act happens now; crate-private so no resolver can reach it.
pub(crate) async fn disclose_at(
    conn: &impl ConnectionTrait,
    telling: Telling<'_>,
    at: DateTime<Utc>,
) -> Result<Disclosed, ServiceError> {
    let consent = check(conn, &telling, at).await?;
    log(
        conn,
        Act {
            consent: &consent,
            act: telling.act,
            channel: telling.channel,
            items: telling.items,
            contact_id: telling.contact_id,
            vacancy_id: telling.vacancy_id,
            actor_id: telling.actor_id,
        },
    )
    .await?;
    Ok(Disclosed {
        consent,
        client_id: telling.client_id,
    })
}

async fn check(
    conn: &impl ConnectionTrait,
    telling: &Telling<'_>,
    at: DateTime<Utc>,
) -> Result<disclosure_consent::Model, ServiceError> {
    let refuse =
        |code: UserErrorCode, message: String| ServiceError::user(telling.field, code, message);
    lock_pair(conn, telling.client_id, telling.employer_id).await?;
    let Some(employer) = employer::Entity::find_by_id(telling.employer_id)
        .one(conn)
        .await?
    else {
        return Err(refuse(UserErrorCode::NotFound, "no such employer".into()));
    };
    if employer.archived_at.is_some() {
        return Err(refuse(
            UserErrorCode::Archived,
            "this employer is archived; restore it first".into(),
        ));
    }
    if let Some(contact_id) = telling.contact_id {
        let contact = employer_contact::Entity::find_by_id(contact_id)
            .one(conn)
            .await?;
        match contact {
            Some(c) if c.employer_id != employer.id => {
                return Err(refuse(
                    UserErrorCode::NotFound,
                    "no such contact at this employer".into(),
                ));
            }
            Some(c) if c.archived_at.is_some() => {
                return Err(refuse(
                    UserErrorCode::Archived,
                    "this contact is archived".into(),
                ));
            }
            Some(_) => {}
            None => {
                return Err(refuse(
                    UserErrorCode::NotFound,
                    "no such contact at this employer".into(),
                ));
            }
        }
    }
    if let Some(vacancy_id) = telling.vacancy_id {
        let vacancy = crate::vacancies::service::find_vacancy(conn, vacancy_id).await?;
        if vacancy.is_none_or(|v| v.employer_id != Some(employer.id)) {
            return Err(refuse(
                UserErrorCode::Invalid,
                "the vacancy is not this employer's".into(),
            ));
        }
    }
    let rows = disclosure_consent::Entity::find()
        .filter(disclosure_consent::Column::ClientId.eq(telling.client_id))
        .filter(disclosure_consent::Column::EmployerId.eq(telling.employer_id))
        .order_by_desc(disclosure_consent::Column::Version)
        .all(conn)
        .await?;
    let newest = newest_versions(rows);
    let not_consented = |message: String| refuse(UserErrorCode::DisclosureNotConsented, message);
    if newest.is_empty() {
        return Err(not_consented(
            "the client has given no consent for this employer: record one first".into(),
        ));
    }
    let allowed_purposes = purposes_allowing(telling.act);
    let mut reasons = Vec::new();
    for consent in &newest {
        if let Err(lapse) = in_force(consent, &employer.name, at) {
            reasons.push(lapse.describe());
            continue;
        }
        if consent.who_discloses == Discloser::Client.as_db() {
            reasons.push("the client chose to do the telling themselves".into());
            continue;
        }
        if consent.contact_id.is_some() && consent.contact_id != telling.contact_id {
            reasons.push("the consent covers another person at this employer".into());
            continue;
        }
        if !allowed_purposes
            .iter()
            .any(|p| p.as_db() == consent.purpose.as_str())
        {
            reasons.push(format!(
                "the consent is for {}, which does not cover {}",
                consent.purpose,
                telling.act.as_db()
            ));
            continue;
        }
        let allowed: Vec<&str> = consent.items.split(',').collect();
        let missing: Vec<&str> = telling
            .items
            .iter()
            .map(|i| i.as_db())
            .filter(|i| !allowed.contains(i))
            .collect();
        if !missing.is_empty() {
            reasons.push(format!("the consent does not cover {}", missing.join(", ")));
            continue;
        }
        return Ok(consent.clone());
    }
    reasons.dedup();
    Err(not_consented(reasons.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent(status: &str, level: &str, name: Option<&str>) -> disclosure_consent::Model {
        let at = crate::clock::now();
        disclosure_consent::Model {
            id: Uuid::nil(),
            consent_id: Uuid::nil(),
            version: 1,
            client_id: Uuid::nil(),
            employer_id: Uuid::nil(),
            contact_id: None,
            purpose: "APPLICATION".into(),
            level: level.into(),
            items: "SERVICE_AFFILIATION".into(),
            who_discloses: "SPECIALIST".into(),
            wording: "w".into(),
            captured_how: "IN_PERSON_SIGNED".into(),
            captured_by_id: Uuid::nil(),
            captured_at: at,
            effective_from: at - chrono::Duration::days(1),
            expires_at: at + chrono::Duration::days(1),
            status: status.into(),
            note: None,
            employer_name: name.map(str::to_string),
        }
    }

    #[test]
    fn in_force_is_one_definition_of_every_lapse() {
        let now = crate::clock::now();
        let ok = consent("ACTIVE", "SERVICE_AFFILIATION", Some("Acme"));
        assert_eq!(in_force(&ok, "Acme", now), Ok(()));
        assert_eq!(
            in_force(&consent("REVOKED", "FULL", None), "Acme", now),
            Err(Lapse::Revoked)
        );
        assert!(matches!(
            in_force(&ok, "Acme", now + chrono::Duration::days(2)),
            Err(Lapse::Expired(_))
        ));
        assert!(matches!(
            in_force(&ok, "Acme", now - chrono::Duration::days(2)),
            Err(Lapse::NotYet(_))
        ));
        assert_eq!(
            in_force(&consent("ACTIVE", "NONE", None), "Acme", now),
            Err(Lapse::LevelNone)
        );
        assert!(matches!(
            in_force(&ok, "Acme Staffing (ATS) Ltd", now),
            Err(Lapse::EmployerRenamed { .. })
        ));
    }

    #[test]
    fn in_work_support_consent_allows_only_in_work_support() {
        for act in [
            DisclosureAct::Introduction,
            DisclosureAct::Application,
            DisclosureAct::Engagement,
        ] {
            assert!(!purposes_allowing(act).contains(&ConsentPurpose::InWorkSupport));
        }
        assert!(
            purposes_allowing(DisclosureAct::InWorkSupport)
                .contains(&ConsentPurpose::InWorkSupport)
        );
    }
}
