//! GraphQL types of disclosure consent: consent versions, discussions, the disclosure log, and the
//! employer-facing `DisclosedProfile` (only consented items, withheld ones absent).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use entities::{disclosure_consent, disclosure_discussion, disclosure_event};

use crate::dates::Date;
use crate::employers::types::{ContactChannel, Employer};
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders, staff_by_id};
use crate::staff::types::Staff;
use crate::stored_enum;

stored_enum! {
    /// How much a client lets an employer be told.
    pub enum DisclosureLevel {
        /// Nothing: the client applies alone; no contact may name them.
        None = "NONE",
        /// Only that they are supported by an employment service.
        ServiceAffiliation = "SERVICE_AFFILIATION",
        /// Functional needs, adjustments, a neutral explanation of a gap.
        Partial = "PARTIAL",
        /// Dependence and/or treatment as well.
        Full = "FULL",
    }
}

stored_enum! {
    /// One thing an employer may be told.
    pub enum DisclosureItem {
        /// Supported by an employment service.
        ServiceAffiliation = "SERVICE_AFFILIATION",
        /// A neutral explanation of a gap in employment.
        EmploymentGapExplanation = "EMPLOYMENT_GAP_EXPLANATION",
        /// That there is a health condition, in general terms.
        GeneralHealthCondition = "GENERAL_HEALTH_CONDITION",
        /// History of substance use.
        SubstanceUseHistory = "SUBSTANCE_USE_HISTORY",
        /// Current treatment.
        CurrentTreatment = "CURRENT_TREATMENT",
        /// Appointments the working week must leave room for.
        AppointmentConstraints = "APPOINTMENT_CONSTRAINTS",
        /// Adjustments that help at work.
        ReasonableAdjustments = "REASONABLE_ADJUSTMENTS",
        /// Criminal record.
        CriminalRecord = "CRIMINAL_RECORD",
        /// Benefits received.
        BenefitsStatus = "BENEFITS_STATUS",
    }
}

impl DisclosureLevel {
    /// The items a consent at this level may list.
    pub fn allows(self, item: DisclosureItem) -> bool {
        use DisclosureItem as I;
        match self {
            DisclosureLevel::None => false,
            DisclosureLevel::ServiceAffiliation => item == I::ServiceAffiliation,
            DisclosureLevel::Partial => matches!(
                item,
                I::ServiceAffiliation
                    | I::EmploymentGapExplanation
                    | I::GeneralHealthCondition
                    | I::AppointmentConstraints
                    | I::ReasonableAdjustments
            ),
            DisclosureLevel::Full => true,
        }
    }
}

stored_enum! {
    /// What a consent is for.
    pub enum ConsentPurpose {
        /// Applying for a vacancy with this employer.
        Application = "APPLICATION",
        /// Introducing the client to the employer.
        Introduction = "INTRODUCTION",
        /// Supporting the client once in work there.
        InWorkSupport = "IN_WORK_SUPPORT",
        /// General liaison with the employer about the client.
        Liaison = "LIAISON",
    }
}

stored_enum! {
    /// Who may do the telling.
    pub enum Discloser {
        /// The client only.
        Client = "CLIENT",
        /// The specialist.
        Specialist = "SPECIALIST",
        /// Client and specialist together.
        Jointly = "JOINTLY",
    }
}

stored_enum! {
    /// How the client's consent was captured.
    pub enum CaptureMethod {
        /// In person, signed.
        InPersonSigned = "IN_PERSON_SIGNED",
        /// In person, spoken (recorded by the specialist).
        InPersonVerbal = "IN_PERSON_VERBAL",
        /// By phone, spoken.
        PhoneVerbal = "PHONE_VERBAL",
        /// Electronically (e-mail or form).
        Electronic = "ELECTRONIC",
    }
}

stored_enum! {
    /// Whether a consent version is in force (it also lapses at its expiry).
    pub enum ConsentStatus {
        /// In force until it expires.
        Active = "ACTIVE",
        /// Withdrawn by the client.
        Revoked = "REVOKED",
    }
}

stored_enum! {
    /// A kind of telling.
    pub enum DisclosureAct {
        /// Introducing the client to the employer.
        Introduction = "INTRODUCTION",
        /// An application sent by the specialist.
        Application = "APPLICATION",
        /// An engagement on the client's behalf.
        Engagement = "ENGAGEMENT",
        /// In-work support with the employer.
        InWorkSupport = "IN_WORK_SUPPORT",
    }
}

async fn employer_by_id(ctx: &Context<'_>, id: uuid::Uuid) -> Result<Option<Employer>> {
    Ok(loaders(ctx)?
        .employers
        .load_one(id)
        .await
        .map_err(load_failed)?
        .map(Employer))
}

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
    /// The consent (all its versions share this id).
    async fn id(&self) -> ID {
        ids::encode(Kind::Consent, self.0.consent_id)
    }

    /// Version number (1 when granted; each change or revocation adds one).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The named employer.
    async fn employer(&self, ctx: &Context<'_>) -> Result<Option<Employer>> {
        employer_by_id(ctx, self.0.employer_id).await
    }

    /// The one contact it is limited to, if any.
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
    async fn captured_by(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        staff_by_id(ctx, self.0.captured_by_id).await
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
        Ok(super::gate::in_force(&self.0, &name, Utc::now()).is_ok())
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
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        staff_by_id(ctx, self.0.recorded_by_id).await
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
    async fn employer(&self, ctx: &Context<'_>) -> Result<Option<Employer>> {
        employer_by_id(ctx, self.0.employer_id).await
    }

    /// The employer's name as the client agreed to it in the consent version relied on — the
    /// name of whom they agreed could be told (null for versions recorded before names were kept).
    async fn employer_name_when_told(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        use sea_orm::EntityTrait;
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(
            disclosure_consent::Entity::find_by_id(self.0.consent_row_id)
                .one(db)
                .await?
                .and_then(|c| c.employer_name),
        )
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

    /// The consent relied on.
    async fn consent_id(&self, ctx: &Context<'_>) -> Result<Option<ID>> {
        use sea_orm::EntityTrait;
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(
            disclosure_consent::Entity::find_by_id(self.0.consent_row_id)
                .one(db)
                .await?
                .map(|c| ids::encode(Kind::Consent, c.consent_id)),
        )
    }

    /// The version of that consent relied on.
    async fn consent_version(&self) -> i32 {
        self.0.consent_version
    }

    /// Who told.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        staff_by_id(ctx, self.0.actor_id).await
    }
}

/// One item an employer is told, in words.
#[derive(SimpleObject, Clone, Debug, PartialEq)]
pub struct DisclosedItem {
    /// Which item.
    pub item: DisclosureItem,
    /// What is said.
    pub statement: String,
}

/// What an employer may see about a client: built from the consent at the moment of asking, holding
/// only consented items (withheld ones are absent, not null).
#[derive(SimpleObject, Clone, Debug)]
pub struct DisclosedProfile {
    /// The client's name (an introduction names them).
    pub name: String,
    /// The consented items that were disclosed, in words; nothing else about the client (the
    /// consent's own wording stays with the consent).
    pub items: Vec<DisclosedItem>,
    /// The consent version this profile rests on.
    pub consent_version: i32,
}

/// Grants a new consent.
#[derive(InputObject)]
pub struct ConsentGrantInput {
    /// The client.
    pub client_id: ID,
    /// The named employer.
    pub employer_id: ID,
    /// Limit it to one contact at the employer.
    pub contact_id: Option<ID>,
    /// What it is for.
    pub purpose: ConsentPurpose,
    /// How much may be told.
    pub level: DisclosureLevel,
    /// Exactly which items (each allowed by the level).
    pub items: Vec<DisclosureItem>,
    /// Who may tell.
    pub who_discloses: Discloser,
    /// The exact words the client agreed to.
    pub wording: String,
    /// How it was captured.
    pub captured_how: CaptureMethod,
    /// From when (default now).
    pub effective_from: Option<DateTime<Utc>>,
    /// When it lapses (required; after `effectiveFrom`, at most two years on).
    pub expires_at: DateTime<Utc>,
}

/// Changes a consent: a new version with these terms (the old one stays readable).
#[derive(InputObject)]
pub struct ConsentChangeInput {
    /// The consent.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// How much may be told.
    pub level: DisclosureLevel,
    /// Exactly which items.
    pub items: Vec<DisclosureItem>,
    /// Who may tell.
    pub who_discloses: Discloser,
    /// The exact words the client agreed to.
    pub wording: String,
    /// How it was captured.
    pub captured_how: CaptureMethod,
    /// When it lapses.
    pub expires_at: DateTime<Utc>,
    /// Why it changed.
    pub note: Option<String>,
    /// When the employer has been renamed since the client agreed: its name now, as the client
    /// confirms it (required then; the consent stays suspended without it).
    pub confirm_employer_name: Option<String>,
}

/// Revokes a consent, at once.
#[derive(InputObject)]
pub struct ConsentRevokeInput {
    /// The consent.
    pub id: ID,
    /// How the client withdrew it.
    pub captured_how: CaptureMethod,
    /// Why (optional: the client owes no reason).
    pub note: Option<String>,
}

/// A conversation about disclosure.
#[derive(InputObject)]
pub struct DisclosureDiscussionRecordInput {
    /// The client.
    pub client_id: ID,
    /// The day (default today).
    pub discussed_on: Option<Date>,
    /// The level the client prefers.
    pub preferred_level: DisclosureLevel,
    /// Who they want to speak.
    pub who_speaks: Discloser,
    /// When in the process they want it said.
    pub when_to_disclose: Option<String>,
    /// Notes.
    #[graphql(default)]
    pub notes: String,
}

/// Introduces a client to an employer: a logged disclosure of exactly these items.
#[derive(InputObject)]
pub struct ClientIntroduceInput {
    /// The client.
    pub client_id: ID,
    /// The employer.
    pub employer_id: ID,
    /// The person told.
    pub contact_id: Option<ID>,
    /// The vacancy it is about.
    pub vacancy_id: Option<ID>,
    /// What is told (each must be consented).
    pub items: Vec<DisclosureItem>,
    /// By what channel.
    pub channel: ContactChannel,
}

crate::mutation_payload!(ClientIntroducePayload, profile: DisclosedProfile, "Result of `clientIntroduce`: what the employer may see.");
crate::mutation_payload!(ConsentGrantPayload, consent: Consent, "Result of `consentGrant`.");
crate::mutation_payload!(ConsentChangePayload, consent: Consent, "Result of `consentChange`.");
crate::mutation_payload!(ConsentRevokePayload, consent: Consent, "Result of `consentRevoke`.");
crate::mutation_payload!(DisclosureDiscussionRecordPayload, discussion: DisclosureDiscussion, "Result of `disclosureDiscussionRecord`.");
