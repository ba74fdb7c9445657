//! GraphQL types of the employer engagement CRM: employers, their sites and contacts, and engagements.

pub use super::inputs::{
    EmployerArchiveInput, EmployerContactArchiveInput, EmployerContactCreateInput,
    EmployerContactUpdateInput, EmployerCreateInput, EmployerFilter, EmployerLocationInput,
    EmployerRestoreInput, EmployerUpdateInput,
};
pub use super::model::{
    ContactChannel, EmployerSize, EngagementMode, EngagementPurpose, RelationshipStage, Sector,
};
use crate::dates::Date;
pub use crate::engagements::inputs::{
    EngagementCorrectInput, EngagementCreateInput, EngagementFilter, EngagementRetractInput,
};
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};
use crate::staff::types::{Staff, required_staff};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entities::{employer, employer_contact, employer_location, engagement};

/// An employer the service builds a relationship with.
#[derive(Clone)]
pub struct Employer(pub employer::Model);

/// An employer the service builds a relationship with.
#[Object]
impl Employer {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Employer, self.0.id)
    }

    /// Who the employer is (shared with the integrator schema).
    #[graphql(flatten)]
    async fn facts(&self) -> EmployerFacts<'_> {
        EmployerFacts(&self.0)
    }

    /// Where the relationship stands.
    async fn stage(&self) -> Result<RelationshipStage> {
        Ok(RelationshipStage::from_db(&self.0.stage)?)
    }

    /// What the service has learned about the employer's openness to hiring people in recovery.
    async fn openness_notes(&self) -> Option<&str> {
        self.0.openness_notes.as_deref()
    }

    /// Has said it welcomes applicants in recovery (e.g. a recovery-friendly employer pledge).
    async fn recovery_friendly(&self) -> bool {
        self.0.recovery_friendly
    }

    /// The specialist who leads the relationship.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        let Some(owner) = self.0.owner_id else {
            return Ok(None);
        };
        let staff = loaders(ctx)?
            .staff
            .load_one(owner)
            .await
            .map_err(load_failed)?;
        Ok(staff.map(Staff))
    }

    /// Sites where people would work, in the order given.
    async fn locations(&self, ctx: &Context<'_>) -> Result<Vec<EmployerLocation>> {
        let rows = loaders(ctx)?
            .locations_of_employer
            .load_one(self.0.id)
            .await
            .map_err(load_failed)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(EmployerLocation)
            .collect())
    }

    /// People at the employer, by name.
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Include archived contacts.", default = false)] include_archived: bool,
    ) -> Result<Vec<EmployerContact>> {
        let rows = loaders(ctx)?
            .contacts_of_employer
            .load_one(self.0.id)
            .await
            .map_err(load_failed)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|c| include_archived || c.archived_at.is_none())
            .map(EmployerContact)
            .collect())
    }

    /// Engagements with this employer, newest first (current entries only).
    #[graphql(complexity = "crate::pagination::complexity(child_complexity, first, last)")]
    async fn engagements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Order of the list (default: newest contact first).")] order_by: Option<
            crate::engagements::inputs::EngagementOrder,
        >,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<EngagementConnection> {
        let filter = EngagementFilter {
            employer_id: Some(ipsmatch_core::ids::encode(Kind::Employer, self.0.id)),
            ..Default::default()
        };
        let args = crate::pagination::PageArgs::new(first, after, last, before);
        super::query::engagement_page(ctx, filter, order_by.unwrap_or_default(), args).await
    }

    /// True when archived: kept for history, left out of lists by default.
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }

    /// When it was archived.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Who an employer is: the facts every audience may see, flattened into the staff and the
/// integrator `Employer` (the staff one adds the relationship: stage, notes, owner, contacts,
/// engagements).
pub struct EmployerFacts<'a>(pub &'a employer::Model);

/// Who an employer is.
#[Object(visible = false)]
impl EmployerFacts<'_> {
    /// Trading name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Industry (SIC 2007 section).
    async fn sector(&self) -> Result<Sector> {
        Ok(Sector::from_db(&self.0.sector)?)
    }

    /// Headcount band.
    async fn size(&self) -> Result<EmployerSize> {
        Ok(EmployerSize::from_db(&self.0.size)?)
    }

    /// Signed up to the UK Disability Confident scheme.
    async fn disability_confident(&self) -> bool {
        self.0.disability_confident
    }

    /// Web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Changes with every update; send it back with an update to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The integrator source that syncs this employer; null for employers kept by hand.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }

    /// The employer's id at that source.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
}

/// A site of an employer.
#[derive(Clone)]
pub struct EmployerLocation(pub employer_location::Model);

/// A site of an employer.
#[Object]
impl EmployerLocation {
    /// What the employer calls the site, e.g. "Head office" or "Leeds depot".
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// Street address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }

    /// Town or city.
    async fn town(&self) -> Option<&str> {
        self.0.town.as_deref()
    }

    /// Postcode as written.
    async fn postcode(&self) -> Option<&str> {
        self.0.postcode.as_deref()
    }

    /// Latitude in degrees (WGS84).
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }

    /// Longitude in degrees (WGS84).
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }
}

/// A person at an employer whom specialists deal with.
#[derive(Clone)]
pub struct EmployerContact(pub employer_contact::Model);

/// A person at an employer whom specialists deal with.
#[Object]
impl EmployerContact {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::EmployerContact, self.0.id)
    }

    /// The employer they work for.
    async fn employer(&self, ctx: &Context<'_>) -> Result<Employer> {
        required_employer(ctx, self.0.employer_id, "employer_id").await
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Their job at the employer, e.g. "Store manager".
    async fn job_title(&self) -> Option<&str> {
        self.0.job_title.as_deref()
    }

    /// Phone number as written.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// E-mail address (lower case).
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// How they prefer to be reached.
    async fn preferred_channel(&self) -> Result<ContactChannel> {
        Ok(ContactChannel::from_db(&self.0.preferred_channel)?)
    }

    /// Notes about working with them.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// True when archived (left the employer, or no longer a contact).
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Changes with every update; send it back with an update to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One contact between a specialist and an employer. Entries are never edited: a correction or a
/// retraction is a new entry that supersedes the old one, and both stay readable.
#[derive(Clone)]
pub struct Engagement(pub engagement::Model);

/// One contact between a specialist and an employer. Entries are never edited: a correction or a
/// retraction is a new entry that supersedes the old one, and both stay readable.
#[Object]
impl Engagement {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Engagement, self.0.id)
    }

    /// The employer contacted.
    async fn employer(&self, ctx: &Context<'_>) -> Result<Employer> {
        required_employer(ctx, self.0.employer_id, "employer_id").await
    }

    /// The specialist who made the contact.
    async fn specialist(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.specialist_id, "specialist_id").await
    }

    /// The person spoken to, if recorded.
    async fn contact(&self, ctx: &Context<'_>) -> Result<Option<EmployerContact>> {
        contact_by_id(ctx, self.0.contact_id).await
    }

    /// When the contact took place.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// How it took place.
    async fn mode(&self) -> Result<EngagementMode> {
        Ok(EngagementMode::from_db(&self.0.mode)?)
    }

    /// What it was for.
    async fn purpose(&self) -> Result<EngagementPurpose> {
        Ok(EngagementPurpose::from_db(&self.0.purpose)?)
    }

    /// What came of it.
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }

    /// The agreed next step, if any.
    async fn next_step(&self) -> Option<&str> {
        self.0.next_step.as_deref()
    }

    /// When the next step is due.
    async fn next_step_due(&self) -> Option<Date> {
        self.0.next_step_due.map(Date)
    }

    /// The entry this one corrects or retracts.
    async fn supersedes(&self, ctx: &Context<'_>) -> Result<Option<Engagement>> {
        let Some(id) = self.0.supersedes_id else {
            return Ok(None);
        };
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(crate::engagements::service::find_engagement(db, id)
            .await?
            .map(Engagement))
    }

    /// The entry that corrected or retracted this one; null while this entry is current.
    async fn superseded_by(&self, ctx: &Context<'_>) -> Result<Option<Engagement>> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(crate::engagements::service::find_superseding(db, self.0.id)
            .await?
            .map(Engagement))
    }

    /// True when this entry withdraws the one it supersedes (it was recorded in error).
    async fn retraction(&self) -> bool {
        self.0.retraction_reason.is_some()
    }

    /// Why the superseded entry was withdrawn.
    async fn retraction_reason(&self) -> Option<&str> {
        self.0.retraction_reason.as_deref()
    }

    /// Who wrote this entry (the specialist, or a team lead correcting it).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
    }

    /// When this entry was written.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }

    /// The clients this contact was on behalf of — only those you reach (a client out of your
    /// reach is not shown, nor counted).
    async fn clients(&self, ctx: &Context<'_>) -> Result<Vec<crate::clients::types::Client>> {
        let me = crate::auth::viewer(ctx)?;
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(
            crate::engagements::service::clients_named(db, me, self.0.id)
                .await?
                .into_iter()
                .map(crate::clients::types::Client)
                .collect(),
        )
    }
}

crate::connection_types!(
    EmployerConnection,
    EmployerEdge,
    Employer,
    "A page of employers, by name.",
    "An employer with its cursor."
);

crate::connection_types!(
    EngagementConnection,
    EngagementEdge,
    Engagement,
    "A page of engagements, newest first.",
    "An engagement with its cursor."
);

crate::mutation_payload!(EmployerCreatePayload, employer: Employer, "Result of `employerCreate`.");

crate::mutation_payload!(EmployerUpdatePayload, employer: Employer, "Result of `employerUpdate`.");

crate::mutation_payload!(EmployerArchivePayload, employer: Employer, "Result of `employerArchive`.");

crate::mutation_payload!(EmployerRestorePayload, employer: Employer, "Result of `employerRestore`.");

crate::mutation_payload!(EmployerContactCreatePayload, contact: EmployerContact, "Result of `employerContactCreate`.");

crate::mutation_payload!(EmployerContactUpdatePayload, contact: EmployerContact, "Result of `employerContactUpdate`.");

crate::mutation_payload!(EmployerContactArchivePayload, contact: EmployerContact, "Result of `employerContactArchive`.");

crate::mutation_payload!(EngagementCreatePayload, engagement: Engagement, "Result of `engagementCreate`.");

crate::mutation_payload!(EngagementCorrectPayload, engagement: Engagement, "Result of `engagementCorrect`.");

crate::mutation_payload!(EngagementRetractPayload, engagement: Engagement, "Result of `engagementRetract`.");

/// An employer by id, through the request's loader.
pub async fn employer_by_id(ctx: &Context<'_>, id: uuid::Uuid) -> Result<Option<Employer>> {
    Ok(loaders(ctx)?
        .employers
        .load_one(id)
        .await
        .map_err(load_failed)?
        .map(Employer))
}

/// The employer a NOT NULL key points at (`what` names the key in the log when the row is gone).
pub async fn required_employer(ctx: &Context<'_>, id: uuid::Uuid, what: &str) -> Result<Employer> {
    employer_by_id(ctx, id)
        .await?
        .ok_or_else(|| crate::loaders::missing_row(what))
}

/// The contact an optional key points at, through the request's loader.
pub async fn contact_by_id(
    ctx: &Context<'_>,
    id: Option<uuid::Uuid>,
) -> Result<Option<EmployerContact>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(loaders(ctx)?
        .contacts
        .load_one(id)
        .await
        .map_err(load_failed)?
        .map(EmployerContact))
}
