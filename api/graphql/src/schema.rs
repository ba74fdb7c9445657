//! The staff GraphQL schema: query and mutation roots merged from each context, the Relay `Node`
//! interface, and the limits every request runs under.

use async_graphql::{Context, ID, Interface, MergedObject, Object, Result, Schema};
use sea_orm::DatabaseConnection;

use crate::auth::{Viewer, viewer};
use crate::clients::mutation::ClientMutation;
use crate::clients::query::ClientQuery;
use crate::clients::types::Client;
use crate::employers::mutation::EmployerMutation;
use crate::employers::query::EmployerQuery;
use crate::employers::service as employers;
use crate::employers::types::{Employer, EmployerContact, Engagement};
use crate::error::ApiError;
use crate::ids::{self, Kind};
use crate::staff::mutation::StaffMutation;
use crate::staff::query::StaffQuery;
use crate::staff::types::{Staff, Team};
use crate::vacancies::mutation::VacancyMutation;
use crate::vacancies::query::VacancyQuery;
use crate::vacancies::types::Vacancy;

/// The staff schema.
pub type StaffSchema = Schema<QueryRoot, MutationRoot, crate::live::StaffSubscription>;

/// Description of the `DateTime` scalar in both schemas.
pub const DATE_TIME: &str =
    "A moment in time, RFC 3339 with an offset, e.g. `2026-11-26T09:30:00Z`. Returned in UTC.";

/// Most ids one `nodes` call resolves.
pub const MAX_NODES: usize = 100;

/// Anything with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global id."))]
#[expect(
    clippy::large_enum_variant,
    reason = "a Node lives only while one field resolves; boxing would buy nothing"
)]
pub enum Node {
    /// A team.
    Team(Team),
    /// A member of staff.
    Staff(Staff),
    /// An employer.
    Employer(Employer),
    /// A contact person at an employer.
    EmployerContact(EmployerContact),
    /// An engagement with an employer.
    Engagement(Engagement),
    /// A job vacancy.
    Vacancy(Vacancy),
    /// A client (only within your reach).
    Client(Client),
    /// A client's application (only within your reach).
    Application(crate::pipeline::types::Application),
    /// A job a client started (only within your reach).
    JobStart(crate::pipeline::types::JobStart),
    /// One version of a client's consent (only within your reach).
    Consent(crate::consent::types::Consent),
    /// A registered integrator (admins only).
    Integrator(crate::integrations::registry::IntegratorRecord),
    /// A treatment team.
    TreatmentTeam(crate::staff::types::TreatmentTeam),
    /// A referral (only one you see).
    Referral(crate::referrals::types::Referral),
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

async fn load_node(
    db: &DatabaseConnection,
    me: &Viewer,
    id: &ID,
) -> Result<Option<Node>, ApiError> {
    let Some((kind, uuid)) = ids::decode(id) else {
        return Ok(None);
    };
    if !crate::keyworker_fence::may_fetch(me, kind, uuid) {
        return Ok(None);
    }
    Ok(match kind {
        Kind::Team => crate::staff::service::find_team(db, uuid)
            .await?
            .map(|m| Node::Team(Team(m))),
        Kind::Staff => crate::staff::service::find_staff(db, uuid)
            .await?
            .map(|m| Node::Staff(Staff(m))),
        Kind::Employer => employers::find_employer(db, uuid)
            .await?
            .map(|m| Node::Employer(Employer(m))),
        Kind::EmployerContact => employers::find_contact(db, uuid)
            .await?
            .map(|m| Node::EmployerContact(EmployerContact(m))),
        Kind::Engagement => crate::engagements::service::find_engagement(db, uuid)
            .await?
            .map(|m| Node::Engagement(Engagement(m))),
        Kind::Vacancy => crate::vacancies::service::find_vacancy(db, uuid)
            .await?
            .map(|m| Node::Vacancy(Vacancy(m))),
        Kind::Client => crate::clients::access::find_client(db, me, uuid)
            .await?
            .map(|m| Node::Client(Client(m))),
        Kind::Application => crate::pipeline::service::find_application(db, me, uuid)
            .await?
            .map(|m| Node::Application(crate::pipeline::types::Application(m))),
        Kind::JobStart => crate::pipeline::service::find_job_start(db, me, uuid)
            .await?
            .map(|m| Node::JobStart(crate::pipeline::types::JobStart(m))),
        Kind::Consent => crate::consent::service::find_version(db, me, uuid)
            .await?
            .map(|m| Node::Consent(crate::consent::types::Consent(m))),
        Kind::Integrator if me.role == crate::auth::Role::Admin => {
            ipsmatch_core::integrations::registry::find(db, uuid)
                .await?
                .map(|m| Node::Integrator(crate::integrations::registry::IntegratorRecord(m)))
        }
        Kind::TreatmentTeam => crate::referrals::service::find_treatment_team(db, uuid)
            .await?
            .map(|m| Node::TreatmentTeam(crate::staff::types::TreatmentTeam(m))),
        Kind::Referral => crate::referrals::access::find_referral(db, me, uuid)
            .await?
            .map(|m| Node::Referral(crate::referrals::types::Referral(m))),
        // A series is not an object (its versions are); integrators are for admins; keyworker
        // consents, diary entries and better-off checks are reached through their client.
        Kind::ConsentSeries
        | Kind::Integrator
        | Kind::KeyworkerConsent
        | Kind::DiaryEntry
        | Kind::BetterOffCheck => None,
    })
}

#[Object]
impl NodeQuery {
    /// Any record by its global id; null when there is none you can see.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> Result<Option<Node>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(load_node(db, me, &id).await?)
    }

    /// Records by global id, in the order asked (at most 100); null for each you cannot see.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        let me = viewer(ctx)?;
        if ids.len() > MAX_NODES {
            return Err(ApiError::BadUserInput(format!("at most {MAX_NODES} ids at once")).into());
        }
        let db = ctx.data::<DatabaseConnection>()?;
        let mut found = Vec::with_capacity(ids.len());
        for id in &ids {
            found.push(load_node(db, me, id).await?);
        }
        Ok(found)
    }
}

/// Every query.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    NodeQuery,
    StaffQuery,
    EmployerQuery,
    VacancyQuery,
    ClientQuery,
    crate::pipeline::query::PipelineQuery,
    crate::consent::query::ConsentQuery,
    crate::fidelity::query::FidelityQuery,
    crate::fidelity::query::OutcomeQuery,
    crate::integrations::registry::IntegratorQuery,
    crate::referrals::query::ReferralQuery,
    crate::diary::types::DiaryQuery,
    crate::fidelity::work_queue::WorkQueueQuery,
);

/// Every mutation.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    StaffMutation,
    EmployerMutation,
    VacancyMutation,
    ClientMutation,
    crate::pipeline::mutation::PipelineMutation,
    crate::consent::mutation::ConsentMutation,
    crate::integrations::registry::IntegratorMutation,
    crate::clients::outreach::OutreachMutation,
    crate::referrals::mutation::ReferralMutation,
    crate::consent::keyworker::KeyworkerConsentMutation,
    crate::diary::types::DiaryMutation,
);

/// The limits both schemas run within (from the service's settings).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest selection accepted.
    pub max_depth: usize,
    /// Highest query cost accepted.
    pub max_complexity: usize,
    /// Whether introspection is on.
    pub introspection: bool,
}

/// What the staff schema runs on: the database, the index, the rate limiter, the report-link key,
/// and the configured match weights and fidelity thresholds.
pub struct StaffServices {
    /// The database.
    pub db: DatabaseConnection,
    /// The vacancy index.
    pub search: std::sync::Arc<crate::vacancies::indexer::SearchIndex>,
    /// The per-caller cost budget.
    pub limiter: std::sync::Arc<crate::rate_limit::RateLimiter>,
    /// Signs report links.
    pub links: std::sync::Arc<crate::report_link::LinkKey>,
    /// The match factors' weights.
    pub weights: crate::matching::MatchWeights,
    /// The fidelity scale's thresholds.
    pub thresholds: crate::fidelity::thresholds::Thresholds,
}

/// Builds the schema with the configured limits. Per-request data (the caller, loaders) is added
/// by the HTTP layer.
pub fn build_schema(limits: &Limits, services: StaffServices) -> StaffSchema {
    let mut builder = builder()
        .data(services.db)
        .data(services.search)
        .data(services.weights)
        .data(services.links)
        .data(services.thresholds)
        .extension(crate::rate_limit::RateLimit(services.limiter))
        .extension(crate::limits::IntLiterals)
        .extension(crate::keyworker_fence::KeyworkerFence)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(50);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// How both SDLs are printed, committed and served: with `@specifiedBy` on the scalars.
pub fn sdl_options() -> async_graphql::SDLExportOptions {
    async_graphql::SDLExportOptions::new().include_specified_by()
}

/// The schema's SDL, as committed in `api/schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl_with_options(sdl_options())
}

/// The schema's types, with descriptions for the scalars async-graphql brings.
fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, crate::live::StaffSubscription>
{
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        crate::live::StaffSubscription,
    )
    .override_output_type_description::<chrono::DateTime<chrono::Utc>>(DATE_TIME)
    .override_input_type_description::<chrono::DateTime<chrono::Utc>>(DATE_TIME)
}
