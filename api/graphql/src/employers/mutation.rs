//! Employer CRM mutations. Staff of any role manage employers and contacts; specialists and team
//! leads record engagements.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::viewer;

/// Employer CRM mutations.
#[derive(Default)]
pub struct EmployerMutation;

#[Object]
impl EmployerMutation {
    /// Records a new employer with its sites.
    async fn employer_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerCreateInput,
    ) -> Result<EmployerCreatePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EmployerCreatePayload::from_result(service::create_employer(db, input).await, Employer)
    }

    /// Changes an employer; a stale `version` is refused with `STALE_VERSION`.
    async fn employer_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerUpdateInput,
    ) -> Result<EmployerUpdatePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EmployerUpdatePayload::from_result(service::update_employer(db, input).await, Employer)
    }

    /// Archives an employer: kept with its history, left out of lists, no new engagements.
    async fn employer_archive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerArchiveInput,
    ) -> Result<EmployerArchivePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EmployerArchivePayload::from_result(
            service::set_employer_archived(db, &input.id, true).await,
            Employer,
        )
    }

    /// Brings an archived employer back.
    async fn employer_restore(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerRestoreInput,
    ) -> Result<EmployerRestorePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EmployerRestorePayload::from_result(
            service::set_employer_archived(db, &input.id, false).await,
            Employer,
        )
    }

    /// Adds a contact person to an employer.
    async fn employer_contact_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerContactCreateInput,
    ) -> Result<EmployerContactCreatePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EmployerContactCreatePayload::from_result(
            service::create_contact(db, input).await,
            EmployerContact,
        )
    }

    /// Changes a contact; a stale `version` is refused with `STALE_VERSION`.
    async fn employer_contact_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerContactUpdateInput,
    ) -> Result<EmployerContactUpdatePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EmployerContactUpdatePayload::from_result(
            service::update_contact(db, input).await,
            EmployerContact,
        )
    }

    /// Archives a contact who left or is no longer a contact.
    async fn employer_contact_archive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerContactArchiveInput,
    ) -> Result<EmployerContactArchivePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EmployerContactArchivePayload::from_result(
            service::archive_contact(db, &input.id).await,
            EmployerContact,
        )
    }

    /// Records a contact the caller made with an employer. Specialists and team leads only.
    async fn engagement_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EngagementCreateInput,
    ) -> Result<EngagementCreatePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EngagementCreatePayload::from_result(
            crate::engagements::service::create_engagement(db, me, input).await,
            Engagement,
        )
    }

    /// Corrects an entry by recording a new one that supersedes it. The entry's specialist, or a
    /// team lead of their team, only.
    async fn engagement_correct(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EngagementCorrectInput,
    ) -> Result<EngagementCorrectPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EngagementCorrectPayload::from_result(
            crate::engagements::service::correct_engagement(db, me, input).await,
            Engagement,
        )
    }

    /// Withdraws an entry recorded in error; the entry stays readable with the reason.
    async fn engagement_retract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EngagementRetractInput,
    ) -> Result<EngagementRetractPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        EngagementRetractPayload::from_result(
            crate::engagements::service::retract_engagement(db, me, input).await,
            Engagement,
        )
    }
}
