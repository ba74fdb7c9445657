//! Staff and team queries.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::inputs::StaffFilter;
use super::service;
use super::types::{Staff, StaffConnection, TeamConnection};
use crate::auth::viewer;
use crate::pagination::{PageArgs, complexity, wants_total};

/// Staff and team queries.
#[derive(Default)]
pub struct StaffQuery;

#[Object]
impl StaffQuery {
    /// The signed-in member of staff.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Staff> {
        Ok(Staff(viewer(ctx)?.staff.clone()))
    }

    /// All teams, by name.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    async fn teams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<TeamConnection> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page = service::list_teams(db, &args, wants_total(ctx)).await?;
        Ok(page.map(super::types::Team).into())
    }

    /// Staff, by e-mail address.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    async fn staff_members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which staff to list.")] filter: Option<StaffFilter>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<StaffConnection> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page =
            service::list_staff(db, &filter.unwrap_or_default(), &args, wants_total(ctx)).await?;
        Ok(page.map(Staff).into())
    }
}
