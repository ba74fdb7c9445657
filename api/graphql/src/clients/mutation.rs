//! Client mutations: specialists and team leads, each within their reach; admins have none.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::viewer;

/// Client mutations.
#[derive(Default)]
pub struct ClientMutation;

#[Object]
impl ClientMutation {
    /// Registers a client on a specialist's caseload (yours, as a specialist). Nothing about
    /// readiness, substance use or history is asked: zero exclusion.
    async fn client_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new client.")] input: ClientRegisterInput,
    ) -> Result<ClientRegisterPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ClientRegisterPayload::from_result(service::register_client(db, me, input).await, Client)
    }

    /// Changes a client's details; a stale `version` is refused with `STALE_VERSION`.
    async fn client_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: ClientUpdateInput,
    ) -> Result<ClientUpdatePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ClientUpdatePayload::from_result(service::update_client(db, me, input).await, Client)
    }

    /// Starts a new status episode; the current one ends on the day the new one starts.
    async fn client_status_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new status.")] input: ClientStatusChangeInput,
    ) -> Result<ClientStatusChangePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ClientStatusChangePayload::from_result(service::change_status(db, me, input).await, Client)
    }

    /// Moves a client to another specialist of their team (team leads); the history stays.
    async fn client_assign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reassignment.")] input: ClientAssignInput,
    ) -> Result<ClientAssignPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ClientAssignPayload::from_result(service::assign_client(db, me, input).await, Client)
    }

    /// Records a new version of a client's special-category facts (audited).
    async fn client_sensitive_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The facts as the client gave them.")] input: ClientSensitiveRecordInput,
    ) -> Result<ClientSensitiveRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ClientSensitiveRecordPayload::from_result(
            service::record_sensitive(db, me, input).await,
            Client,
        )
    }

    /// Records a new version of a client's vocational profile.
    async fn vocational_profile_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The profile.")] input: VocationalProfileRecordInput,
    ) -> Result<VocationalProfileRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        VocationalProfileRecordPayload::from_result(
            service::record_profile(db, me, input).await,
            VocationalProfile,
        )
    }

    /// Records a new version of a client's job preferences.
    async fn job_preferences_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The preferences.")] input: JobPreferencesRecordInput,
    ) -> Result<JobPreferencesRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        JobPreferencesRecordPayload::from_result(
            service::record_preferences(db, me, input).await,
            JobPreferences,
        )
    }
}
