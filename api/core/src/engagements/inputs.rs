//! What engagement commands and the engagement list take.

use chrono::{DateTime, Utc};

use crate::dates::Date;
use crate::employers::model::{EngagementMode, EngagementPurpose};
use crate::ids::GlobalId;
use crate::patch::Patch;

/// Narrows the engagement list.
#[derive(Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EngagementFilter {
    /// Only engagements with this employer.
    pub employer_id: Option<GlobalId>,
    /// Only engagements made by this specialist.
    pub specialist_id: Option<GlobalId>,
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
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub include_superseded: bool,
}

/// A new engagement with an employer.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EngagementCreateInput {
    /// The employer contacted.
    pub employer_id: GlobalId,
    /// The person spoken to.
    pub contact_id: Option<GlobalId>,
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
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub client_ids: Vec<GlobalId>,
}

/// A correction: a new entry that supersedes `id`. Absent fields keep the corrected entry's
/// values; null clears an optional one.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EngagementCorrectInput {
    /// The entry to correct (must be current).
    pub id: GlobalId,
    /// Corrected contact person (null clears).
    pub contact_id: Patch<GlobalId>,
    /// Corrected time.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Corrected mode.
    pub mode: Option<EngagementMode>,
    /// Corrected purpose.
    pub purpose: Option<EngagementPurpose>,
    /// Corrected outcome.
    pub outcome: Option<String>,
    /// Corrected next step (null clears).
    pub next_step: Patch<String>,
    /// Corrected due date (null clears).
    pub next_step_due: Patch<Date>,
}

/// A retraction: withdraws an entry recorded in error, keeping it readable.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EngagementRetractInput {
    /// The entry to withdraw (must be current).
    pub id: GlobalId,
    /// Why it is withdrawn.
    pub reason: String,
}

/// What a list of engagements is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum EngagementOrderField {
    /// When the contact took place.
    OccurredAt,
    /// When the entry was written.
    RecordedAt,
}

/// How to order a list of engagements (ties broken by id, so pages never overlap).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EngagementOrder {
    /// What to order by.
    pub field: EngagementOrderField,
    /// Which way.
    pub direction: crate::pagination::OrderDirection,
}

impl Default for EngagementOrder {
    /// OccurredAt descending, as the list ran before it could be ordered.
    fn default() -> Self {
        EngagementOrder {
            field: EngagementOrderField::OccurredAt,
            direction: crate::pagination::OrderDirection::Desc,
        }
    }
}
