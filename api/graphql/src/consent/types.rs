//! GraphQL types of disclosure consent: consent versions, discussions, the disclosure log, and the
//! employer-facing `DisclosedProfile` (only consented items, withheld ones absent).

pub use super::inputs::{
    ClientIntroduceInput, ConsentChangeInput, ConsentGrantInput, ConsentRevokeInput,
    DisclosureDiscussionRecordInput,
};
pub use super::model::{
    CaptureMethod, ConsentPurpose, ConsentStatus, DisclosedItem, DisclosedProfile, Discloser,
    DisclosureAct, DisclosureItem, DisclosureLevel,
};
use crate::dates::Date;
use crate::employers::model::ContactChannel;
use crate::employers::types::{
    Employer, EmployerContact, contact_by_id, employer_by_id, required_employer,
};
use crate::ids::{self, Kind};
use crate::staff::types::{Staff, required_staff};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entities::{disclosure_consent, disclosure_discussion, disclosure_event};

fn stored_items(text: &str) -> Result<Vec<DisclosureItem>> {
    Ok(text
        .split(',')
        .filter(|s| !s.is_empty())
        .map(DisclosureItem::from_db)
        .collect::<Result<_, _>>()?)
}

/// One version of a client's consent to tell a named employer.
pub struct Consent(pub disclosure_consent::Model);

/// One version of a client's consent to tell a named employer.
#[Object]
impl Consent {
    /// This version's own id (every version has its own; `node(id:)` returns this version).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Consent, self.0.id)
    }

    /// The consent this is a version of: the same for every version, and what `consentChange` and
    /// `consentRevoke` take (a version's `id` works there too, for its series).
    async fn series_id(&self) -> ID {
        ids::encode(Kind::ConsentSeries, self.0.consent_id)
    }

    /// Version number (1 when granted; each change or revocation adds one).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The named employer.
    async fn employer(&self, ctx: &Context<'_>) -> Result<Employer> {
        required_employer(ctx, self.0.employer_id, "employer_id").await
    }

    /// The one contact it is limited to, if any.
    async fn contact(&self, ctx: &Context<'_>) -> Result<Option<EmployerContact>> {
        contact_by_id(ctx, self.0.contact_id).await
    }

    /// The one contact it is limited to, if any.
    #[graphql(deprecation = "Use `contact { id }`.")]
    async fn contact_id(&self) -> Option<ID> {
        self.0
            .contact_id
            .map(|c| ids::encode(Kind::EmployerContact, c))
    }

    /// What it is for.
    async fn purpose(&self) -> Result<ConsentPurpose> {
        Ok(ConsentPurpose::from_db(&self.0.purpose)?)
    }

    /// How much may be told.
    async fn level(&self) -> Result<DisclosureLevel> {
        Ok(DisclosureLevel::from_db(&self.0.level)?)
    }

    /// Exactly which items.
    async fn items(&self) -> Result<Vec<DisclosureItem>> {
        stored_items(&self.0.items)
    }

    /// Who may tell.
    async fn who_discloses(&self) -> Result<Discloser> {
        Ok(Discloser::from_db(&self.0.who_discloses)?)
    }

    /// The exact words the client agreed to.
    async fn wording(&self) -> &str {
        &self.0.wording
    }

    /// How it was captured.
    async fn captured_how(&self) -> Result<CaptureMethod> {
        Ok(CaptureMethod::from_db(&self.0.captured_how)?)
    }

    /// Who captured it.
    async fn captured_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.captured_by_id, "captured_by_id").await
    }

    /// When it was captured.
    async fn captured_at(&self) -> DateTime<Utc> {
        self.0.captured_at
    }

    /// From when it applies.
    async fn effective_from(&self) -> DateTime<Utc> {
        self.0.effective_from
    }

    /// When it lapses (always set).
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }

    /// Active or revoked (see `inForce` for expiry too).
    async fn status(&self) -> Result<ConsentStatus> {
        Ok(ConsentStatus::from_db(&self.0.status)?)
    }

    /// True when this version is active, has started, has not expired, names the employer by the
    /// name it has now (a rename suspends it until the client confirms), and allows some telling.
    async fn in_force(&self, ctx: &Context<'_>) -> Result<bool> {
        let employer = employer_by_id(ctx, self.0.employer_id).await?;
        let name = employer.map(|e| e.0.name).unwrap_or_default();
        Ok(super::gate::in_force(&self.0, &name, ipsmatch_core::clock::now()).is_ok())
    }

    /// The employer's name as the client agreed to it (null for versions recorded before names
    /// were kept).
    async fn employer_name_agreed(&self) -> Option<&str> {
        self.0.employer_name.as_deref()
    }

    /// Why it changed or was revoked.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A conversation with the client about disclosure.
pub struct DisclosureDiscussion(pub disclosure_discussion::Model);

/// A conversation with the client about disclosure.
#[Object]
impl DisclosureDiscussion {
    /// The day.
    async fn discussed_on(&self) -> Date {
        Date(self.0.discussed_on)
    }

    /// The level the client prefers.
    async fn preferred_level(&self) -> Result<DisclosureLevel> {
        Ok(DisclosureLevel::from_db(&self.0.preferred_level)?)
    }

    /// Who they want to speak.
    async fn who_speaks(&self) -> Result<Discloser> {
        Ok(Discloser::from_db(&self.0.who_speaks)?)
    }

    /// When in the process they want it said.
    async fn when_to_disclose(&self) -> Option<&str> {
        self.0.when_to_disclose.as_deref()
    }

    /// Notes.
    async fn notes(&self) -> &str {
        &self.0.notes
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
    }
}

/// One act of telling an employer about the client, as logged.
pub struct Disclosure(pub disclosure_event::Model);

/// One act of telling an employer about the client, as logged.
#[Object]
impl Disclosure {
    /// Position in the log.
    async fn seq(&self) -> i64 {
        self.0.seq
    }

    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The employer told, as it is now (it may have been renamed since: see `employerNameWhenTold`).
    async fn employer(&self, ctx: &Context<'_>) -> Result<Employer> {
        required_employer(ctx, self.0.employer_id, "employer_id").await
    }

    /// The employer's name as the client agreed to it in the consent version relied on — the
    /// name of whom they agreed could be told (null for versions recorded before names were kept).
    async fn employer_name_when_told(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(super::service::find_consent_row(db, self.0.consent_row_id)
            .await?
            .and_then(|c| c.employer_name))
    }

    /// What kind of telling.
    async fn act(&self) -> Result<DisclosureAct> {
        Ok(DisclosureAct::from_db(&self.0.act)?)
    }

    /// By what channel.
    async fn channel(&self) -> Result<ContactChannel> {
        Ok(ContactChannel::from_db(&self.0.channel)?)
    }

    /// The items actually told.
    async fn items(&self) -> Result<Vec<DisclosureItem>> {
        stored_items(&self.0.items)
    }

    /// The consent version relied on.
    async fn consent(&self, ctx: &Context<'_>) -> Result<Consent> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        super::service::find_consent_row(db, self.0.consent_row_id)
            .await?
            .map(Consent)
            .ok_or_else(|| crate::loaders::missing_row("consent_row_id"))
    }

    /// The consent relied on (its series id).
    #[graphql(deprecation = "Use `consent { id seriesId }`.")]
    async fn consent_id(&self, ctx: &Context<'_>) -> Result<Option<ID>> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(super::service::find_consent_row(db, self.0.consent_row_id)
            .await?
            .map(|c| ids::encode(Kind::ConsentSeries, c.consent_id)))
    }

    /// The version of that consent relied on.
    async fn consent_version(&self) -> i32 {
        self.0.consent_version
    }

    /// Who told.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.actor_id, "actor_id").await
    }
}

crate::mutation_payload!(ClientIntroducePayload, profile: DisclosedProfile, "Result of `clientIntroduce`: what the employer may see.");

crate::mutation_payload!(ConsentGrantPayload, consent: Consent, "Result of `consentGrant`.");

crate::mutation_payload!(ConsentChangePayload, consent: Consent, "Result of `consentChange`.");

crate::mutation_payload!(ConsentRevokePayload, consent: Consent, "Result of `consentRevoke`.");

crate::mutation_payload!(DisclosureDiscussionRecordPayload, discussion: DisclosureDiscussion, "Result of `disclosureDiscussionRecord`.");
