//! Pipeline mutations: specialists and team leads, for clients within their reach.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::viewer;

/// Pipeline mutations.
#[derive(Default)]
pub struct PipelineMutation;

#[Object]
impl PipelineMutation {
    /// Starts a client's application to a vacancy (one per client and vacancy).
    async fn application_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application.")] input: ApplicationCreateInput,
    ) -> Result<ApplicationCreatePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ApplicationCreatePayload::from_result(
            service::create_application(db, me, input).await,
            Application,
        )
    }

    /// Moves an application forward, or ends it as NOT_PROGRESSED with a reason.
    async fn application_advance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The step.")] input: ApplicationAdvanceInput,
    ) -> Result<ApplicationAdvancePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ApplicationAdvancePayload::from_result(
            service::advance_application(db, me, input).await,
            Application,
        )
    }

    /// Records a job the client started (its application, if named, moves to STARTED).
    async fn job_start_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The job.")] input: JobStartRecordInput,
    ) -> Result<JobStartRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        JobStartRecordPayload::from_result(service::record_job_start(db, me, input).await, JobStart)
    }

    /// Records the end of a job, with the reason.
    async fn job_end_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The end.")] input: JobEndRecordInput,
    ) -> Result<JobEndRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        JobEndRecordPayload::from_result(service::record_job_end(db, me, input).await, JobStart)
    }

    /// Records an in-work support contact. With the employer it needs the client's disclosure
    /// consent: refused with `DISCLOSURE_NOT_CONSENTED` until consent is recorded.
    async fn support_contact_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact.")] input: SupportContactRecordInput,
    ) -> Result<SupportContactRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        SupportContactRecordPayload::from_result(
            service::record_support_contact(db, me, input).await,
            SupportContact,
        )
    }

    /// Records a better-off check with a client before a job start (or an offer) or a change of
    /// hours.
    async fn better_off_check_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The check.")] input: BetterOffCheckRecordInput,
    ) -> Result<BetterOffCheckRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        BetterOffCheckRecordPayload::from_result(
            ipsmatch_core::pipeline::better_off::record(db, me, input).await,
            BetterOffCheck,
        )
    }
}
