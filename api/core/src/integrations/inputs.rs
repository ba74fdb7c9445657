//! What a sync call sends and gets back: vacancies and employers as a source keeps them, and each
//! item's outcome.

use super::model::ChangeKind;
use crate::employers::model::{EmployerSize, Sector};
use crate::error::UserError;
use crate::ids::GlobalId;
use crate::vacancies::inputs::VacancyFactsInput;
use crate::vacancies::model::{ContractType, VacancyStatus};

/// A vacancy as a source sends it. Keyed by `externalId` within the call's source. An OPEN
/// vacancy whose closing date has passed is stored as EXPIRED.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancySyncItem {
    /// The vacancy's id at the source.
    pub external_id: String,
    /// The vacancy's facts.
    #[cfg_attr(feature = "graphql", graphql(flatten))]
    pub facts: VacancyFactsInput,
    /// The employer's id at the same source (sent with `employersUpsert`): links the record.
    pub employer_external_id: Option<String>,
    /// The kind of contract (default PERMANENT).
    #[cfg_attr(feature = "graphql", graphql(default_with = "ContractType::Permanent"))]
    pub contract_type: ContractType,
    /// OPEN (default), FILLED or CLOSED.
    #[cfg_attr(feature = "graphql", graphql(default_with = "VacancyStatus::Open"))]
    pub status: VacancyStatus,
}

/// A batch of vacancies from one source.
#[derive(Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacanciesUpsertInput {
    /// The source key the integrator was registered with.
    pub source: String,
    /// The vacancies (at most 1,000). Give these or `jobPostings`.
    pub items: Option<Vec<VacancySyncItem>>,
    /// The vacancies as schema.org `JobPosting` JSON-LD objects (at most 1,000); `identifier` is
    /// the external id. Give these or `items`.
    pub job_postings: Option<Vec<serde_json::Value>>,
    /// This batch is the source's whole list: expire its open vacancies that are not in it.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub expire_missing: bool,
    /// Makes a retried call return the first call's result instead of applying it again (kept for
    /// the life of the database; the same key with different arguments is refused).
    pub idempotency_key: Option<String>,
}

/// An employer as a source sends it. Keyed by `externalId` within the call's source.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployerSyncItem {
    /// The employer's id at the source.
    pub external_id: String,
    /// Trading name. An employer the service already keeps under this name (and no source) is
    /// linked rather than duplicated.
    pub name: String,
    /// Industry (default OTHER_SERVICES for a new employer; kept when absent).
    pub sector: Option<Sector>,
    /// Size band (default SMALL for a new employer; kept when absent).
    pub size: Option<EmployerSize>,
    /// Web site.
    pub website: Option<String>,
    /// A Disability Confident employer (kept when absent).
    pub disability_confident: Option<bool>,
}

/// A batch of employers from one source.
#[derive(Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct EmployersUpsertInput {
    /// The source key the integrator was registered with.
    pub source: String,
    /// The employers (at most 1,000).
    pub items: Vec<EmployerSyncItem>,
    /// As for `vacanciesUpsert`.
    pub idempotency_key: Option<String>,
}

/// What a sync did with one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum SyncOutcome {
    /// A new record was created.
    Created,
    /// The record changed.
    Updated,
    /// The record already held exactly this; nothing was written.
    Unchanged,
    /// The item was refused; see its errors. Nothing was written for it.
    Rejected,
}

/// One item's result, in the order sent.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct SyncItemResult {
    /// Position of the item in the batch, from 0.
    pub index: i32,
    /// The item's external id as sent.
    pub external_id: Option<String>,
    /// What happened.
    pub outcome: SyncOutcome,
    /// Why the item was refused (empty otherwise). Fields are paths into the input, e.g.
    /// `["input", "items", "3", "title"]`.
    pub errors: Vec<UserError>,
    /// The record's global id; null when rejected.
    pub id: Option<GlobalId>,
}

/// The counts and per-item results of a sync call.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct SyncSummary {
    /// Items that created a record.
    pub created: i32,
    /// Items that changed a record.
    pub updated: i32,
    /// Items that were already up to date.
    pub unchanged: i32,
    /// Items refused.
    pub rejected: i32,
    /// Vacancies expired because a full snapshot (`expireMissing`) left them out.
    pub expired: i32,
    /// True when this is the stored result of an earlier call with the same idempotency key.
    pub replayed: bool,
}

/// Narrows `vacancyChanged`.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancyChangeFilter {
    /// Only these kinds of change.
    pub kinds: Option<Vec<ChangeKind>>,
    /// Only vacancies now in these statuses.
    pub statuses: Option<Vec<VacancyStatus>>,
    /// Only vacancies from this source (feed key, `DEVELOPED` or `EMPLOYER`).
    pub source: Option<String>,
    /// Only vacancies whose SOC code starts with these digits.
    pub occupation_prefix: Option<String>,
}
