//! Types of the integrator schema. Its `Vacancy` and `Employer` are their own types: they share the
//! vacancy's facts with the staff schema but reach nothing about clients, engagements or staff.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use entities::{employer, vacancy};

use crate::employers::types::EmployerFacts;

use crate::employers::model::{EmployerSize, Sector};
use crate::error::UserError;
use crate::ids::{self, Kind};
use crate::vacancies::inputs::VacancyFactsInput;
use crate::vacancies::model::{ContractType, VacancyStatus};
use crate::vacancies::types::{VacancyDetails, employer_row, hiring_name};

/// A job vacancy.
#[derive(Clone)]
pub struct Vacancy(pub vacancy::Model);

/// A job vacancy.
#[Object(name = "Vacancy")]
impl Vacancy {
    /// Opaque global id (the same id the staff API uses).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Vacancy, self.0.id)
    }

    /// The vacancy's facts.
    #[graphql(flatten)]
    async fn details(&self) -> VacancyDetails<'_> {
        VacancyDetails(&self.0)
    }

    /// The employer's record, when the service knows the employer.
    async fn employer(&self, ctx: &Context<'_>) -> Result<Option<Employer>> {
        Ok(employer_row(ctx, &self.0).await?.map(Employer))
    }

    /// The hiring organisation's name: the employer record's, or the one the source gave.
    async fn employer_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        hiring_name(ctx, &self.0).await
    }

    /// The vacancy as a schema.org `JobPosting` (JSON-LD), for job boards.
    async fn job_posting_json_ld(
        &self,
        ctx: &Context<'_>,
    ) -> Result<async_graphql::Json<serde_json::Value>> {
        let employer = employer_row(ctx, &self.0).await?;
        Ok(async_graphql::Json(super::job_posting::to_json_ld(
            &self.0,
            employer.as_ref(),
        )))
    }
}

/// An employer, as integrators see it: who they are, not the service's relationship with them.
#[derive(Clone)]
pub struct Employer(pub employer::Model);

/// An employer.
#[Object(name = "Employer")]
impl Employer {
    /// Opaque global id (the same id the staff API uses).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Employer, self.0.id)
    }

    /// Who the employer is.
    #[graphql(flatten)]
    async fn facts(&self) -> EmployerFacts<'_> {
        EmployerFacts(&self.0)
    }
}

/// A vacancy as a source sends it. Keyed by `externalId` within the call's source. An OPEN
/// vacancy whose closing date has passed is stored as EXPIRED.
#[derive(InputObject, Clone, Debug, PartialEq)]
pub struct VacancySyncItem {
    /// The vacancy's id at the source.
    pub external_id: String,
    /// The vacancy's facts.
    #[graphql(flatten)]
    pub facts: VacancyFactsInput,
    /// The employer's id at the same source (sent with `employersUpsert`): links the record.
    pub employer_external_id: Option<String>,
    /// The kind of contract (default PERMANENT).
    #[graphql(default_with = "ContractType::Permanent")]
    pub contract_type: ContractType,
    /// OPEN (default), FILLED or CLOSED.
    #[graphql(default_with = "VacancyStatus::Open")]
    pub status: VacancyStatus,
}

/// A batch of vacancies from one source.
#[derive(InputObject, Debug)]
pub struct VacanciesUpsertInput {
    /// The source key the integrator was registered with.
    pub source: String,
    /// The vacancies (at most 1,000). Give these or `jobPostings`.
    pub items: Option<Vec<VacancySyncItem>>,
    /// The vacancies as schema.org `JobPosting` JSON-LD objects (at most 1,000); `identifier` is
    /// the external id. Give these or `items`.
    pub job_postings: Option<Vec<async_graphql::Json<serde_json::Value>>>,
    /// This batch is the source's whole list: expire its open vacancies that are not in it.
    #[graphql(default)]
    pub expire_missing: bool,
    /// Makes a retried call return the first call's result instead of applying it again (kept for
    /// the life of the database; the same key with different arguments is refused).
    pub idempotency_key: Option<String>,
}

/// An employer as a source sends it. Keyed by `externalId` within the call's source.
#[derive(InputObject, Clone, Debug, PartialEq)]
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
#[derive(InputObject, Debug)]
pub struct EmployersUpsertInput {
    /// The source key the integrator was registered with.
    pub source: String,
    /// The employers (at most 1,000).
    pub items: Vec<EmployerSyncItem>,
    /// As for `vacanciesUpsert`.
    pub idempotency_key: Option<String>,
}

/// What a sync did with one item.
#[derive(
    async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize,
)]
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
#[derive(SimpleObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
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
    pub id: Option<ID>,
}

/// The counts and per-item results of a sync call.
#[derive(SimpleObject, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
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

/// The result of `vacanciesUpsert`.
#[derive(SimpleObject)]
pub struct VacanciesUpsertPayload {
    /// Counts; null when the whole call was refused.
    pub summary: Option<SyncSummary>,
    /// Each item's result, in the order sent.
    pub results: Vec<SyncItemResult>,
    /// Why the whole call was refused (source, batch size, idempotency key); empty otherwise.
    pub user_errors: Vec<UserError>,
}

/// The result of `employersUpsert`.
#[derive(SimpleObject)]
pub struct EmployersUpsertPayload {
    /// Counts; null when the whole call was refused.
    pub summary: Option<SyncSummary>,
    /// Each item's result, in the order sent.
    pub results: Vec<SyncItemResult>,
    /// Why the whole call was refused; empty otherwise.
    pub user_errors: Vec<UserError>,
}
