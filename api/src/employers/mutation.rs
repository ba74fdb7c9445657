//! Employer CRM mutations. Staff of any role manage employers and contacts; specialists and team
//! leads record engagements.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::viewer;
use crate::error::into_payload;

/// Employer CRM mutations.
#[derive(Default)]
pub struct EmployerMutation;

fn employer_payload(
    result: Result<entities::employer::Model, crate::error::ServiceError>,
) -> Result<EmployerPayload> {
    let (employer, user_errors) = into_payload(result)?;
    Ok(EmployerPayload {
        employer: employer.map(Employer),
        user_errors,
    })
}

fn contact_payload(
    result: Result<entities::employer_contact::Model, crate::error::ServiceError>,
) -> Result<EmployerContactPayload> {
    let (contact, user_errors) = into_payload(result)?;
    Ok(EmployerContactPayload {
        contact: contact.map(EmployerContact),
        user_errors,
    })
}

fn engagement_payload(
    result: Result<entities::engagement::Model, crate::error::ServiceError>,
) -> Result<EngagementPayload> {
    let (engagement, user_errors) = into_payload(result)?;
    Ok(EngagementPayload {
        engagement: engagement.map(Engagement),
        user_errors,
    })
}

#[Object]
impl EmployerMutation {
    /// Records a new employer with its sites.
    async fn employer_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerCreateInput,
    ) -> Result<EmployerPayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        employer_payload(service::create_employer(db, input).await)
    }

    /// Changes an employer; a stale `version` is refused with `STALE_VERSION`.
    async fn employer_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerUpdateInput,
    ) -> Result<EmployerPayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        employer_payload(service::update_employer(db, input).await)
    }

    /// Archives an employer: kept with its history, left out of lists, no new engagements.
    async fn employer_archive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerArchiveInput,
    ) -> Result<EmployerPayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        employer_payload(service::set_employer_archived(db, &input.id, true).await)
    }

    /// Brings an archived employer back.
    async fn employer_restore(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerArchiveInput,
    ) -> Result<EmployerPayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        employer_payload(service::set_employer_archived(db, &input.id, false).await)
    }

    /// Adds a contact person to an employer.
    async fn employer_contact_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerContactCreateInput,
    ) -> Result<EmployerContactPayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        contact_payload(service::create_contact(db, input).await)
    }

    /// Changes a contact; a stale `version` is refused with `STALE_VERSION`.
    async fn employer_contact_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerContactUpdateInput,
    ) -> Result<EmployerContactPayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        contact_payload(service::update_contact(db, input).await)
    }

    /// Archives a contact who left or is no longer a contact.
    async fn employer_contact_archive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EmployerContactArchiveInput,
    ) -> Result<EmployerContactPayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        contact_payload(service::archive_contact(db, &input.id).await)
    }

    /// Records a contact the caller made with an employer. Specialists and team leads only.
    async fn engagement_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EngagementCreateInput,
    ) -> Result<EngagementPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        engagement_payload(service::create_engagement(db, me, input).await)
    }

    /// Corrects an entry by recording a new one that supersedes it. The entry's specialist, or a
    /// team lead of their team, only.
    async fn engagement_correct(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EngagementCorrectInput,
    ) -> Result<EngagementPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        engagement_payload(service::correct_engagement(db, me, input).await)
    }

    /// Withdraws an entry recorded in error; the entry stays readable with the reason.
    async fn engagement_retract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: EngagementRetractInput,
    ) -> Result<EngagementPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        engagement_payload(service::retract_engagement(db, me, input).await)
    }
}
