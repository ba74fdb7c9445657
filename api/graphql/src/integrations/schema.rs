//! The integrator schema served at `/integrations/graphql`: vacancies, employers (who they are, not
//! the service's notes on them), sync mutations, the change feed and a live vacancy subscription.
//! No client, staff, engagement or consent type exists in it, so no query can reach one.

use std::sync::Arc;

use async_graphql::{Context, ID, Interface, MergedObject, Object, Result, Schema, Subscription};
use futures_util::{Stream, StreamExt as _};
use sea_orm::DatabaseConnection;

use super::access::{Scope, require_scope};
use super::feed::{self, ChangeEntity};
use super::sync;
use super::types::*;
use super::types::{Change, ChangePage};
use crate::employers::inputs::EmployerFilter;
use crate::employers::model::Sector;
use crate::error::{ApiError, ServiceError};
use crate::ids::{self, Kind};
use crate::pagination::{PageArgs, complexity, wants_total};
use crate::vacancies::indexer::SearchIndex;
use crate::vacancies::inputs::VacancyFilter;
use crate::vacancies::model::VacancyStatus;

/// The integrator schema.
pub type IntegratorSchema = Schema<IntegratorQuery, IntegratorMutation, IntegratorSubscription>;

crate::connection_types!(
    VacancyConnection,
    VacancyEdge,
    Vacancy,
    "A page of vacancies.",
    "A vacancy with its cursor."
);
crate::connection_types!(
    EmployerConnection,
    EmployerEdge,
    Employer,
    "A page of employers.",
    "An employer with its cursor."
);

/// The calling integrator, as `viewer` shows it.
pub struct IntegratorViewer(super::access::Integrator);

/// The calling integrator.
#[Object]
impl IntegratorViewer {
    /// Its registration (`node(id:)` returns it by this id).
    async fn integrator(&self) -> super::registry::IntegratorRecord {
        super::registry::IntegratorRecord(self.0.record.clone())
    }

    /// The scopes this token carries: those both registered and asked for.
    async fn granted_scopes(&self) -> &[Scope] {
        &self.0.scopes
    }
}

/// Anything with a global id in this schema.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global id."))]
#[expect(
    clippy::large_enum_variant,
    reason = "a Node lives only while one field resolves; boxing would buy nothing"
)]
pub enum Node {
    /// A vacancy.
    Vacancy(Vacancy),
    /// An employer.
    Employer(Employer),
    /// The calling integrator (no other).
    Integrator(super::registry::IntegratorRecord),
}

/// Drafts are the service's own work in progress: integrators never see them.
fn visible(row: entities::vacancy::Model) -> Option<Vacancy> {
    feed::integrator_may_see(&row).then_some(Vacancy(row))
}

async fn vacancy_by_id(db: &DatabaseConnection, id: &ID) -> Result<Option<Vacancy>, ApiError> {
    let Some(uuid) = ids::decode_as(id, Kind::Vacancy) else {
        return Ok(None);
    };
    Ok(crate::vacancies::service::find_vacancy(db, uuid)
        .await?
        .and_then(visible))
}

async fn employer_by_id(db: &DatabaseConnection, id: &ID) -> Result<Option<Employer>, ApiError> {
    let Some(uuid) = ids::decode_as(id, Kind::Employer) else {
        return Ok(None);
    };
    Ok(crate::employers::service::find_employer(db, uuid)
        .await?
        .map(Employer))
}

/// Every query of the integrator schema.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct IntegratorQuery(IntegratorReads);

/// Reads.
#[derive(Default)]
pub struct IntegratorReads;

/// Reads: vacancies, employers and the change feed.
#[Object]
impl IntegratorReads {
    /// The calling integrator: its registration and the scopes its registration allows (the
    /// token may carry fewer: `grantedScopes`).
    async fn viewer(&self, ctx: &Context<'_>) -> Result<IntegratorViewer> {
        let me = ctx
            .data_opt::<super::access::Integrator>()
            .ok_or(ApiError::Unauthenticated)?;
        Ok(IntegratorViewer(me.clone()))
    }

    /// A vacancy, an employer or the calling integrator by global id; null for anything else.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> Result<Option<Node>> {
        let db = ctx.data::<DatabaseConnection>()?;
        match ids::decode(&id).map(|(kind, _)| kind) {
            Some(Kind::Vacancy) => {
                require_scope(ctx, Scope::VacanciesRead)?;
                Ok(vacancy_by_id(db, &id).await?.map(Node::Vacancy))
            }
            Some(Kind::Employer) => {
                require_scope(ctx, Scope::EmployersRead)?;
                Ok(employer_by_id(db, &id).await?.map(Node::Employer))
            }
            Some(Kind::Integrator) => {
                let me = ctx
                    .data_opt::<super::access::Integrator>()
                    .ok_or(ApiError::Unauthenticated)?;
                let own = ids::decode_as(&id, Kind::Integrator) == Some(me.id());
                Ok(own.then(|| {
                    Node::Integrator(super::registry::IntegratorRecord(me.record.clone()))
                }))
            }
            _ => {
                // Still only for a signed-in integrator.
                ctx.data_opt::<super::access::Integrator>()
                    .ok_or(ApiError::Unauthenticated)?;
                Ok(None)
            }
        }
    }

    /// One vacancy; null when there is none with this id (drafts are never shown).
    async fn vacancy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vacancy's id.")] id: ID,
    ) -> Result<Option<Vacancy>> {
        require_scope(ctx, Scope::VacanciesRead)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(vacancy_by_id(db, &id).await?)
    }

    /// Vacancies, newest first (drafts are never shown).
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    async fn vacancies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which vacancies to list.")] filter: Option<VacancyFilter>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<VacancyConnection> {
        require_scope(ctx, Scope::VacanciesRead)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut filter = filter.unwrap_or_default();
        let statuses = filter
            .statuses
            .take()
            .unwrap_or_else(|| VacancyStatus::ALL.to_vec());
        filter.statuses = Some(
            statuses
                .into_iter()
                .filter(|s| *s != VacancyStatus::Draft)
                .collect(),
        );
        let args = PageArgs::new(first, after, last, before);
        let page = crate::vacancies::service::list_vacancies(
            db,
            &filter,
            Default::default(),
            &args,
            wants_total(ctx),
        )
        .await?;
        Ok(page.map(Vacancy).into())
    }

    /// One employer; null when there is none with this id.
    async fn employer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The employer's id.")] id: ID,
    ) -> Result<Option<Employer>> {
        require_scope(ctx, Scope::EmployersRead)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(employer_by_id(db, &id).await?)
    }

    /// Employers by name.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one GraphQL argument of the field"
    )]
    async fn employers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words that must appear in the name.")] text: Option<String>,
        #[graphql(desc = "Only these sectors.")] sectors: Option<Vec<Sector>>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<EmployerConnection> {
        require_scope(ctx, Scope::EmployersRead)?;
        if let Some(text) = &text {
            crate::limits::check_name_text("text", text)?;
        }
        let db = ctx.data::<DatabaseConnection>()?;
        let filter = EmployerFilter {
            text,
            sectors,
            ..EmployerFilter::default()
        };
        let args = PageArgs::new(first, after, last, before);
        let page = crate::employers::service::list_employers(
            db,
            &filter,
            Default::default(),
            &args,
            wants_total(ctx),
        )
        .await?;
        Ok(page.map(Employer).into())
    }

    /// Changes to vacancies and employers in commit order, after a cursor (from the start when
    /// absent). Poll with the returned `endCursor`: no change is skipped or repeated, across
    /// restarts too. Needs the read scope of each type asked for.
    #[graphql(
        complexity = "crate::pagination::complexity_up_to(child_complexity, Some(first), feed::MAX_PAGE as i32)"
    )]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Resume after this cursor (`endCursor` of the last page).")] after: Option<
            String,
        >,
        #[graphql(desc = "How many changes (at most 1,000; default 100).", default = 100)]
        first: i32,
        #[graphql(desc = "Which kinds of record (default: those your scopes can read).")]
        types: Option<Vec<ChangeEntity>>,
    ) -> Result<ChangePage> {
        let types = match types {
            Some(types) => {
                for t in &types {
                    require_scope(ctx, read_scope(*t))?;
                }
                types
            }
            None => {
                let integrator = ctx
                    .data_opt::<super::access::Integrator>()
                    .ok_or(ApiError::Unauthenticated)?;
                let readable: Vec<ChangeEntity> = [ChangeEntity::Vacancy, ChangeEntity::Employer]
                    .into_iter()
                    .filter(|t| integrator.scopes.contains(&read_scope(*t)))
                    .collect();
                if readable.is_empty() {
                    return Err(ApiError::Forbidden.into());
                }
                readable
            }
        };
        if !(1..=feed::MAX_PAGE as i32).contains(&first) {
            return Err(
                ApiError::BadUserInput(format!("`first` must be 1 to {}", feed::MAX_PAGE)).into(),
            );
        }
        let after = after
            .as_deref()
            .map(feed::read_cursor)
            .transpose()?
            .unwrap_or(0);
        let db = ctx.data::<DatabaseConnection>()?;
        let search = ctx.data::<Arc<SearchIndex>>()?;
        Ok(ChangePage(
            feed::read(db, search.applied_seq(), after, first as u64, &types).await?,
        ))
    }
}

fn read_scope(entity: ChangeEntity) -> Scope {
    match entity {
        ChangeEntity::Vacancy => Scope::VacanciesRead,
        ChangeEntity::Employer => Scope::EmployersRead,
    }
}

/// Every mutation of the integrator schema.
#[derive(Default)]
pub struct IntegratorMutation;

fn sync_payload(
    result: Result<sync::SyncResult, ServiceError>,
) -> Result<(
    Option<SyncSummary>,
    Vec<SyncItemResult>,
    Vec<crate::error::UserError>,
)> {
    match result {
        Ok(result) => Ok((Some(result.summary), result.results, Vec::new())),
        Err(ServiceError::User(errors)) => Ok((None, Vec::new(), errors)),
        Err(ServiceError::Api(err)) => Err(err.into()),
    }
}

/// Sync: bulk, idempotent writes of the integrator's own vacancies and employers.
#[Object(name = "Mutation")]
impl IntegratorMutation {
    /// Creates, changes or (with `expireMissing`) expires the source's vacancies, keyed by
    /// external id. Each item succeeds or fails on its own; sending the same batch again changes
    /// nothing. Needs `vacancies:write`.
    async fn vacancies_upsert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The batch.")] input: VacanciesUpsertInput,
    ) -> Result<VacanciesUpsertPayload> {
        let integrator = require_scope(ctx, Scope::VacanciesWrite)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let result = sync::upsert_vacancies(db, integrator, input).await;
        if result.is_ok()
            && let Ok(search) = ctx.data::<Arc<SearchIndex>>()
        {
            search.nudge();
        }
        let (summary, results, user_errors) = sync_payload(result)?;
        Ok(VacanciesUpsertPayload {
            summary,
            results,
            user_errors,
        })
    }

    /// Creates or changes the source's employers, keyed by external id. An employer the service
    /// already keeps under the same name is linked, not duplicated. Needs `employers:write`.
    async fn employers_upsert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The batch.")] input: EmployersUpsertInput,
    ) -> Result<EmployersUpsertPayload> {
        let integrator = require_scope(ctx, Scope::EmployersWrite)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let (summary, results, user_errors) =
            sync_payload(sync::upsert_employers(db, integrator, input).await)?;
        Ok(EmployersUpsertPayload {
            summary,
            results,
            user_errors,
        })
    }
}

pub use super::inputs::VacancyChangeFilter;

/// Live updates for integrators.
#[derive(Default)]
pub struct IntegratorSubscription;

/// Live updates for integrators, over WebSocket (`graphql-transport-ws`).
#[Subscription(name = "Subscription")]
impl IntegratorSubscription {
    /// Each change to a vacancy from now on, once it is searchable, with the vacancy as it then
    /// is. Fed from the change log, so a change made through any replica arrives. Needs
    /// `vacancies:read`.
    async fn vacancy_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which changes.")] filter: Option<VacancyChangeFilter>,
    ) -> Result<impl Stream<Item = Change> + use<>> {
        require_scope(ctx, Scope::VacanciesRead)?;
        let db = ctx.data::<DatabaseConnection>()?.clone();
        let search = ctx.data::<Arc<SearchIndex>>()?;
        let filter = Arc::new(filter.unwrap_or_default());
        Ok(crate::live::changes(search).filter_map(move |row| {
            let db = db.clone();
            let filter = filter.clone();
            async move {
                let change = feed::change_of(&row)?;
                if change.entity != ChangeEntity::Vacancy {
                    return None;
                }
                let row = crate::live::logged(
                    "vacancyChanged",
                    crate::vacancies::service::find_vacancy(&db, row.entity_id).await,
                )??;
                let wanted = feed::vacancy_change_wanted(&filter, change.kind, &row);
                wanted.then_some(Change(change))
            }
        }))
    }
}

/// Builds the integrator schema with the same limits as the staff one.
pub fn build(
    limits: &crate::schema::Limits,
    db: DatabaseConnection,
    search: Arc<SearchIndex>,
    limiter: Arc<crate::rate_limit::RateLimiter>,
) -> IntegratorSchema {
    let mut builder = builder()
        .data(db)
        .data(search)
        .extension(crate::rate_limit::RateLimit(limiter))
        .extension(crate::limits::IntLiterals)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(50);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The integrator schema's SDL, as committed in `api/integrations.graphql`.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(crate::schema::sdl_options())
}

fn builder()
-> async_graphql::SchemaBuilder<IntegratorQuery, IntegratorMutation, IntegratorSubscription> {
    Schema::build(
        IntegratorQuery::default(),
        IntegratorMutation,
        IntegratorSubscription,
    )
    .override_output_type_description::<chrono::DateTime<chrono::Utc>>(crate::schema::DATE_TIME)
    .override_input_type_description::<chrono::DateTime<chrono::Utc>>(crate::schema::DATE_TIME)
}
