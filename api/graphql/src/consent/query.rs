//! Consent reads beyond a client's own fields: consents about to lapse across the caller's reach.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::types::*;
use crate::auth::viewer;

/// Consent queries.
#[derive(Default)]
pub struct ConsentQuery;

/// Work at an employer the client's consent no longer covers (revoked, expired, or suspended
/// because the employer was renamed since the client agreed): the specialist must not speak for
/// the client there until it is renewed or confirmed.
#[derive(async_graphql::SimpleObject)]
pub struct ConsentAlert {
    /// The client.
    pub client: crate::clients::types::Client,
    /// The employer.
    pub employer: Option<crate::employers::types::Employer>,
    /// What lapsed.
    pub reason: String,
    /// An open application there, sent by the specialist or jointly.
    pub application: Option<crate::pipeline::types::Application>,
    /// A current job there (in-work support with the employer is now refused).
    pub job: Option<crate::pipeline::types::JobStart>,
}

#[Object]
impl ConsentQuery {
    /// Open applications and current jobs at employers whose consent from the client was revoked or
    /// has expired, and consents suspended by an employer's rename, for clients you reach.
    async fn consent_alerts(&self, ctx: &Context<'_>) -> Result<Vec<ConsentAlert>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::alerts::consent_alerts(db, me)
            .await?
            .into_iter()
            .map(|a| ConsentAlert {
                client: crate::clients::types::Client(a.client),
                employer: a.employer.map(crate::employers::types::Employer),
                reason: a.reason,
                application: a.application.map(crate::pipeline::types::Application),
                job: a.job.map(crate::pipeline::types::JobStart),
            })
            .collect())
    }

    /// Consents in force that lapse within `days` days, for clients you reach; soonest first.
    async fn consents_expiring(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days ahead to look (1 to 365).")] days: i32,
    ) -> Result<Vec<Consent>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::alerts::consents_expiring(db, me, days)
            .await?
            .into_iter()
            .map(Consent)
            .collect())
    }
}
