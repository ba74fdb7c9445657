//! Consent reads beyond a client's own fields: consents about to lapse across the caller's reach.

use async_graphql::{Context, Object, Result};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entities::{client, disclosure_consent};

use super::types::*;
use crate::auth::viewer;
use crate::clients::access::ClientScope;
use crate::error::ApiError;

/// Consent queries.
#[derive(Default)]
pub struct ConsentQuery;

#[Object]
impl ConsentQuery {
    /// Consents in force that lapse within `days` days, for clients you reach; soonest first.
    async fn consents_expiring(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days ahead to look (1 to 365).")] days: i32,
    ) -> Result<Vec<Consent>> {
        let me = viewer(ctx)?;
        if !(1..=365).contains(&days) {
            return Err(ApiError::BadUserInput("`days` must be between 1 and 365".into()).into());
        }
        let db = ctx.data::<DatabaseConnection>()?;
        let clients: Vec<uuid::Uuid> = ClientScope::of(me)
            .apply(client::Entity::find())
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let rows = disclosure_consent::Entity::find()
            .filter(disclosure_consent::Column::ClientId.is_in(clients))
            .order_by_desc(disclosure_consent::Column::Version)
            .all(db)
            .await?;
        let now = Utc::now();
        let horizon = now + Duration::days(i64::from(days));
        let mut newest: Vec<disclosure_consent::Model> = Vec::new();
        for row in rows {
            if !newest.iter().any(|n| n.consent_id == row.consent_id) {
                newest.push(row);
            }
        }
        let mut lapsing: Vec<disclosure_consent::Model> = newest
            .into_iter()
            .filter(|c| {
                c.status == ConsentStatus::Active.as_db()
                    && c.expires_at > now
                    && c.expires_at <= horizon
            })
            .collect();
        lapsing.sort_by_key(|c| c.expires_at);
        Ok(lapsing.into_iter().map(Consent).collect())
    }
}
