//! GraphQL inputs and filters of the consent context (what services take until they take commands).

use super::model::{CaptureMethod, ConsentPurpose, Discloser, DisclosureItem, DisclosureLevel};
use crate::dates::Date;
use crate::employers::model::ContactChannel;
use crate::ids::GlobalId;
use chrono::{DateTime, Utc};

/// Grants a new consent.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ConsentGrantInput {
    /// The client.
    pub client_id: GlobalId,
    /// The named employer.
    pub employer_id: GlobalId,
    /// Limit it to one contact at the employer.
    pub contact_id: Option<GlobalId>,
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
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ConsentChangeInput {
    /// The consent.
    pub id: GlobalId,
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
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ConsentRevokeInput {
    /// The consent.
    pub id: GlobalId,
    /// How the client withdrew it.
    pub captured_how: CaptureMethod,
    /// Why (optional: the client owes no reason).
    pub note: Option<String>,
}

/// A conversation about disclosure.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct DisclosureDiscussionRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// The day (default today).
    pub discussed_on: Option<Date>,
    /// The level the client prefers.
    pub preferred_level: DisclosureLevel,
    /// Who they want to speak.
    pub who_speaks: Discloser,
    /// When in the process they want it said.
    pub when_to_disclose: Option<String>,
    /// Notes.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub notes: String,
}

/// Introduces a client to an employer: a logged disclosure of exactly these items.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientIntroduceInput {
    /// The client.
    pub client_id: GlobalId,
    /// The employer.
    pub employer_id: GlobalId,
    /// The person told.
    pub contact_id: Option<GlobalId>,
    /// The vacancy it is about.
    pub vacancy_id: Option<GlobalId>,
    /// What is told (each must be consented).
    pub items: Vec<DisclosureItem>,
    /// By what channel.
    pub channel: ContactChannel,
}
