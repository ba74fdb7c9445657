//! Employer, contact and engagement queries. Any signed-in member of staff may read the CRM.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use super::inputs::EmployerOrder;
use super::service;
use super::types::*;
use crate::auth::viewer;
use crate::dates::Date;
use crate::engagements::inputs::EngagementOrder;
use crate::ids::{self, Kind};
use crate::pagination::{PageArgs, complexity, wants_total};

/// Employer CRM queries.
#[derive(Default)]
pub struct EmployerQuery;

#[Object]
impl EmployerQuery {
    /// One employer; null when there is none with this id.
    async fn employer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The employer's id.")] id: ID,
    ) -> Result<Option<Employer>> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let Some(uuid) = ids::decode_as(&id, Kind::Employer) else {
            return Ok(None);
        };
        Ok(service::find_employer(db, uuid).await?.map(Employer))
    }

    /// Employers by name (archived ones only when asked for).
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one GraphQL argument of the field"
    )]
    async fn employers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which employers to list.")] filter: Option<EmployerFilter>,
        #[graphql(desc = "Order of the list (default: by name, A to Z).")] order_by: Option<
            EmployerOrder,
        >,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<EmployerConnection> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page = service::list_employers(
            db,
            &filter.unwrap_or_default(),
            order_by.unwrap_or_default(),
            &args,
            wants_total(ctx),
        )
        .await?;
        Ok(page.map(Employer).into())
    }

    /// Engagements, newest first (current entries unless asked otherwise).
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one GraphQL argument of the field"
    )]
    async fn engagements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which engagements to list.")] filter: Option<EngagementFilter>,
        #[graphql(desc = "Order of the list (default: newest contact first).")] order_by: Option<
            EngagementOrder,
        >,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<EngagementConnection> {
        let args = PageArgs::new(first, after, last, before);
        engagement_page(
            ctx,
            filter.unwrap_or_default(),
            order_by.unwrap_or_default(),
            args,
        )
        .await
    }

    /// The caller's open follow-ups: engagements whose next step is due on or before `dueBy` and
    /// with whose employer nobody has had contact since. Soonest first.
    async fn follow_ups_due(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Latest due date to include (default: today, UTC).")] due_by: Option<Date>,
    ) -> Result<Vec<Engagement>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let due_by = due_by.map_or_else(ipsmatch_core::clock::today, |d| d.0);
        Ok(
            crate::engagements::service::follow_ups_due(db, me.id(), due_by)
                .await?
                .into_iter()
                .map(Engagement)
                .collect(),
        )
    }
}

/// A page of engagements for the top-level list and for `Employer.engagements`.
pub(super) async fn engagement_page(
    ctx: &Context<'_>,
    filter: EngagementFilter,
    order: EngagementOrder,
    args: PageArgs,
) -> Result<EngagementConnection> {
    viewer(ctx)?;
    let db = ctx.data::<DatabaseConnection>()?;
    let page =
        crate::engagements::service::list_engagements(db, &filter, order, &args, wants_total(ctx))
            .await?;
    Ok(page.map(Engagement).into())
}
