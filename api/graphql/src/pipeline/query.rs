//! `applications`: the applications of the clients you reach (your caseload; your team's as a team
//! lead), for a pipeline board, in the order asked.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::inputs::{ApplicationFilter, ApplicationOrder};
use super::types::{Application, ApplicationConnection};
use crate::auth::viewer;
use crate::pagination::{PageArgs, complexity, wants_total};

/// Pipeline queries.
#[derive(Default)]
pub struct PipelineQuery;

#[Object]
impl PipelineQuery {
    /// Applications of the clients you can reach, newest first unless asked otherwise.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one GraphQL argument of the field"
    )]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which applications to list.")] filter: Option<ApplicationFilter>,
        #[graphql(desc = "Order of the list (default: newest first).")] order_by: Option<
            ApplicationOrder,
        >,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<ApplicationConnection> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page = super::service::list_applications(
            db,
            me,
            &filter.unwrap_or_default(),
            order_by.unwrap_or_default(),
            &args,
            wants_total(ctx),
        )
        .await?;
        Ok(page.map(Application).into())
    }
}
