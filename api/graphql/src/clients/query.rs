//! Client queries: a specialist sees their caseload, a team lead their team's clients, an admin
//! none. Out-of-reach ids answer like missing ones.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use super::access::find_client;
use super::inputs::ClientOrder;
use super::service;
use super::types::*;
use crate::auth::viewer;
use crate::ids::{self, Kind};
use crate::pagination::{PageArgs, complexity, wants_total};

/// Client queries.
#[derive(Default)]
pub struct ClientQuery;

#[Object]
impl ClientQuery {
    /// One client; null when there is none you can reach.
    async fn client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client's id.")] id: ID,
    ) -> Result<Option<Client>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let Some(uuid) = ids::decode_as(&id, Kind::Client) else {
            return Ok(None);
        };
        Ok(find_client(db, me, uuid).await?.map(Client))
    }

    /// The clients you can reach (your caseload; your team's as a team lead), by name.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one GraphQL argument of the field"
    )]
    async fn clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which clients to list.")] filter: Option<ClientFilter>,
        #[graphql(desc = "Order of the list (default: by name, A to Z).")] order_by: Option<
            ClientOrder,
        >,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<ClientConnection> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page = service::list_clients(
            db,
            me,
            &filter.unwrap_or_default(),
            order_by.unwrap_or_default(),
            &args,
            wants_total(ctx),
        )
        .await?;
        Ok(page.map(Client).into())
    }
}
