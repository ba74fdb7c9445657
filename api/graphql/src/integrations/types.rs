//! Types of the integrator schema. Its `Vacancy` and `Employer` are their own types: they share the
//! vacancy's facts with the staff schema but reach nothing about clients, engagements or staff.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use entities::{employer, vacancy};

use crate::employers::types::EmployerFacts;

use super::feed::{self, ChangeEntity, ChangeKind};
pub use super::inputs::*;
use crate::error::UserError;
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};
use crate::vacancies::types::{VacancyDetails, employer_row, hiring_name};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

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
    async fn job_posting_json_ld(&self, ctx: &Context<'_>) -> Result<Json> {
        let employer = employer_row(ctx, &self.0).await?;
        Ok(Json(super::job_posting::to_json_ld(
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

/// One change, with the record as it is now.
pub struct Change(pub feed::Change);

/// One change, with the record as it is now.
#[Object]
impl Change {
    /// Resume the feed after this change by passing this as `after`.
    async fn cursor(&self) -> &str {
        &self.0.cursor
    }

    /// The change-log sequence number (increasing; may have gaps).
    async fn sequence(&self) -> i64 {
        self.0.sequence
    }

    /// What kind of record.
    async fn entity(&self) -> ChangeEntity {
        self.0.entity
    }

    /// What happened.
    async fn kind(&self) -> ChangeKind {
        self.0.kind
    }

    /// The record's global id.
    async fn record_id(&self) -> ID {
        self.0.record_id.clone().into()
    }

    /// When the change committed.
    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }

    /// The vacancy as it is now (null for employer changes and deleted vacancies).
    async fn vacancy(&self, ctx: &Context<'_>) -> Result<Option<Vacancy>> {
        if self.0.entity != ChangeEntity::Vacancy {
            return Ok(None);
        }
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(
            crate::vacancies::service::find_vacancy(db, self.0.entity_id)
                .await?
                .filter(feed::integrator_may_see)
                .map(Vacancy),
        )
    }

    /// The employer as it is now (null for vacancy changes and deleted employers).
    async fn employer(&self, ctx: &Context<'_>) -> Result<Option<Employer>> {
        if self.0.entity != ChangeEntity::Employer {
            return Ok(None);
        }
        let row = loaders(ctx)?
            .employers
            .load_one(self.0.entity_id)
            .await
            .map_err(load_failed)?;
        Ok(row.map(Employer))
    }
}

/// A page of the feed.
pub struct ChangePage(pub feed::ChangePage);

/// A page of the feed.
#[Object]
impl ChangePage {
    /// The changes, oldest first.
    async fn changes(&self) -> Vec<Change> {
        self.0.changes.iter().cloned().map(Change).collect()
    }

    /// Pass as `after` for the next page (also when this page is empty: it may skip changes of
    /// types you did not ask for).
    async fn end_cursor(&self) -> &str {
        &self.0.end_cursor
    }

    /// More changes are already available after `endCursor`.
    async fn has_more(&self) -> bool {
        self.0.has_more
    }
}

/// A JSON value (RFC 8259), sent as itself rather than as text.
pub struct Json(pub serde_json::Value);

/// A JSON value (RFC 8259), sent as itself rather than as text.
#[async_graphql::Scalar(
    name = "JSON",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc8259"
)]
impl async_graphql::ScalarType for Json {
    fn parse(value: async_graphql::Value) -> async_graphql::InputValueResult<Self> {
        Ok(Json(value.into_json()?))
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::from_json(self.0.clone()).unwrap_or_default()
    }
}
