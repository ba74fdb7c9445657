//! Consent mutations: grant, change, revoke, discussions, and introductions.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::viewer;

/// Consent mutations.
#[derive(Default)]
pub struct ConsentMutation;

#[Object]
impl ConsentMutation {
    /// Records a client's consent to tell one named employer exactly these items.
    async fn consent_grant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consent as the client gave it.")] input: ConsentGrantInput,
    ) -> Result<ConsentGrantPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ConsentGrantPayload::from_result(service::grant(db, me, input).await, Consent)
    }

    /// Changes a consent's terms (a new version; the earlier one stays readable).
    async fn consent_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new terms.")] input: ConsentChangeInput,
    ) -> Result<ConsentChangePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ConsentChangePayload::from_result(service::change(db, me, input).await, Consent)
    }

    /// Revokes a consent; it takes effect at once.
    async fn consent_revoke(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The revocation.")] input: ConsentRevokeInput,
    ) -> Result<ConsentRevokePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ConsentRevokePayload::from_result(service::revoke(db, me, input).await, Consent)
    }

    /// Records a conversation with the client about disclosure.
    async fn disclosure_discussion_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The conversation.")] input: DisclosureDiscussionRecordInput,
    ) -> Result<DisclosureDiscussionRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        DisclosureDiscussionRecordPayload::from_result(
            service::record_discussion(db, me, input).await,
            DisclosureDiscussion,
        )
    }

    /// Introduces a client to an employer, telling exactly the items asked for (each must be
    /// consented; nothing is silently trimmed). Logged, and answered with what the employer may see.
    async fn client_introduce(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The introduction.")] input: ClientIntroduceInput,
    ) -> Result<ClientIntroducePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ClientIntroducePayload::from_result(super::introduce::introduce(db, me, input).await, |p| p)
    }
}
