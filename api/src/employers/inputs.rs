//! GraphQL inputs and filters of the employers context (what services take until they take commands).

use super::model::{
    ContactChannel, EmployerSize, EngagementMode, EngagementPurpose, RelationshipStage, Sector,
};
use crate::dates::Date;
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

/// Narrows the employer list.
#[derive(InputObject, Default)]
pub struct EmployerFilter {
    /// Words that must appear in the name (any case).
    pub text: Option<String>,
    /// Only these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Only these relationship stages.
    pub stages: Option<Vec<RelationshipStage>>,
    /// Only employers whose relationship this member of staff leads.
    pub owner_id: Option<ID>,
    /// Include archived employers (default false).
    #[graphql(default)]
    pub include_archived: bool,
}

/// Narrows the engagement list.
#[derive(InputObject, Default)]
pub struct EngagementFilter {
    /// Only engagements with this employer.
    pub employer_id: Option<ID>,
    /// Only engagements made by this specialist.
    pub specialist_id: Option<ID>,
    /// Only these modes.
    pub modes: Option<Vec<EngagementMode>>,
    /// Only these purposes.
    pub purposes: Option<Vec<EngagementPurpose>>,
    /// Only engagements at or after this moment.
    pub from: Option<DateTime<Utc>>,
    /// Only engagements before this moment.
    pub to: Option<DateTime<Utc>>,
    /// Include entries that were later corrected or retracted, and the retractions themselves
    /// (default false: the current record only).
    #[graphql(default)]
    pub include_superseded: bool,
}

/// A site of an employer.
#[derive(InputObject, Clone)]
pub struct EmployerLocationInput {
    /// What the employer calls the site.
    pub label: String,
    /// Street address.
    pub address: Option<String>,
    /// Town or city.
    pub town: Option<String>,
    /// Postcode as written.
    pub postcode: Option<String>,
    /// Latitude in degrees (WGS84); give with longitude.
    pub latitude: Option<f64>,
    /// Longitude in degrees (WGS84); give with latitude.
    pub longitude: Option<f64>,
}

/// Fields of a new employer.
#[derive(InputObject)]
pub struct EmployerCreateInput {
    /// Trading name; unique (ignoring case and spacing).
    pub name: String,
    /// Industry.
    pub sector: Sector,
    /// Headcount band.
    pub size: EmployerSize,
    /// Where the relationship stands (default PROSPECT).
    #[graphql(default_with = "RelationshipStage::Prospect")]
    pub stage: RelationshipStage,
    /// What the service knows about the employer's openness to hiring people in recovery.
    pub openness_notes: Option<String>,
    /// Has said it welcomes applicants in recovery.
    #[graphql(default)]
    pub recovery_friendly: bool,
    /// Signed up to Disability Confident.
    #[graphql(default)]
    pub disability_confident: bool,
    /// Web site.
    pub website: Option<String>,
    /// The specialist or team lead who leads the relationship.
    pub owner_id: Option<ID>,
    /// Sites, in display order.
    #[graphql(default)]
    pub locations: Vec<EmployerLocationInput>,
}

/// Changes to an employer; absent fields stay as they are, null clears an optional field.
#[derive(InputObject)]
pub struct EmployerUpdateInput {
    /// Which employer.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New trading name.
    pub name: Option<String>,
    /// New industry.
    pub sector: Option<Sector>,
    /// New headcount band.
    pub size: Option<EmployerSize>,
    /// New relationship stage.
    pub stage: Option<RelationshipStage>,
    /// New openness notes (null clears).
    pub openness_notes: MaybeUndefined<String>,
    /// Welcomes applicants in recovery.
    pub recovery_friendly: Option<bool>,
    /// Signed up to Disability Confident.
    pub disability_confident: Option<bool>,
    /// New web site (null clears).
    pub website: MaybeUndefined<String>,
    /// New relationship lead (null clears).
    pub owner_id: MaybeUndefined<ID>,
    /// Replaces every site when given.
    pub locations: Option<Vec<EmployerLocationInput>>,
}

/// Which employer to archive.
#[derive(InputObject)]
pub struct EmployerArchiveInput {
    /// Which employer.
    pub id: ID,
}

/// Which archived employer to bring back.
#[derive(InputObject)]
pub struct EmployerRestoreInput {
    /// Which employer.
    pub id: ID,
}

/// Fields of a new employer contact.
#[derive(InputObject)]
pub struct EmployerContactCreateInput {
    /// The employer they work for.
    pub employer_id: ID,
    /// Full name.
    pub name: String,
    /// Their job at the employer.
    pub job_title: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address; unique within the employer.
    pub email: Option<String>,
    /// How they prefer to be reached (default EMAIL).
    #[graphql(default_with = "ContactChannel::Email")]
    pub preferred_channel: ContactChannel,
    /// Notes about working with them.
    pub notes: Option<String>,
}

/// Changes to a contact; absent fields stay as they are, null clears an optional field.
#[derive(InputObject)]
pub struct EmployerContactUpdateInput {
    /// Which contact.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New full name.
    pub name: Option<String>,
    /// New job title (null clears).
    pub job_title: MaybeUndefined<String>,
    /// New phone number (null clears).
    pub phone: MaybeUndefined<String>,
    /// New e-mail address (null clears).
    pub email: MaybeUndefined<String>,
    /// New preferred channel.
    pub preferred_channel: Option<ContactChannel>,
    /// New notes (null clears).
    pub notes: MaybeUndefined<String>,
}

/// Which contact to archive.
#[derive(InputObject)]
pub struct EmployerContactArchiveInput {
    /// Which contact.
    pub id: ID,
}

/// A new engagement with an employer.
#[derive(InputObject)]
pub struct EngagementCreateInput {
    /// The employer contacted.
    pub employer_id: ID,
    /// The person spoken to.
    pub contact_id: Option<ID>,
    /// When the contact took place (not in the future).
    pub occurred_at: DateTime<Utc>,
    /// How it took place.
    pub mode: EngagementMode,
    /// What it was for.
    pub purpose: EngagementPurpose,
    /// What came of it.
    pub outcome: String,
    /// The agreed next step.
    pub next_step: Option<String>,
    /// When the next step is due (needs a next step).
    pub next_step_due: Option<Date>,
    /// Clients the contact was on behalf of. Naming a client needs their consent for this employer
    /// (at least service affiliation, told by the specialist); each is logged as a disclosure.
    #[graphql(default)]
    pub client_ids: Vec<ID>,
}

/// A correction: a new entry that supersedes `id`. Absent fields keep the corrected entry's
/// values; null clears an optional one.
#[derive(InputObject)]
pub struct EngagementCorrectInput {
    /// The entry to correct (must be current).
    pub id: ID,
    /// Corrected contact person (null clears).
    pub contact_id: MaybeUndefined<ID>,
    /// Corrected time.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Corrected mode.
    pub mode: Option<EngagementMode>,
    /// Corrected purpose.
    pub purpose: Option<EngagementPurpose>,
    /// Corrected outcome.
    pub outcome: Option<String>,
    /// Corrected next step (null clears).
    pub next_step: MaybeUndefined<String>,
    /// Corrected due date (null clears).
    pub next_step_due: MaybeUndefined<Date>,
}

/// A retraction: withdraws an entry recorded in error, keeping it readable.
#[derive(InputObject)]
pub struct EngagementRetractInput {
    /// The entry to withdraw (must be current).
    pub id: ID,
    /// Why it is withdrawn.
    pub reason: String,
}
