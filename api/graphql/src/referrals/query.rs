//! Referral and treatment-team queries, and the referral funnel.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use super::inputs::ReferralFilter;
use super::service;
use super::types::{Referral, ReferralConnection, TreatmentTeamConnection};
use crate::auth::viewer;
use crate::dates::Date;
use crate::ids::{self, Kind};
use crate::pagination::{PageArgs, complexity, wants_total};
use ipsmatch_core::fidelity::inputs::FidelityScopeInput;
use ipsmatch_core::fidelity::referrals::{ReferralFunnel, funnel_for};

/// Referral and treatment-team queries.
#[derive(Default)]
pub struct ReferralQuery;

#[Object]
impl ReferralQuery {
    /// Treatment teams, by name; only those one team of specialists serves when `teamId` is given.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    async fn treatment_teams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those this team of specialists serves.")] team_id: Option<ID>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<TreatmentTeamConnection> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let team = team_id
            .as_deref()
            .map(|id| ids::decode_as(id, Kind::Team).unwrap_or_default());
        let args = PageArgs::new(first, after, last, before);
        let page = service::list_treatment_teams(db, team, &args, wants_total(ctx)).await?;
        Ok(page.map(crate::staff::types::TreatmentTeam).into())
    }

    /// The referrals you see, newest referral first: a keyworker's own; for specialists and team
    /// leads, those from the treatment teams their team serves.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which referrals to list.")] filter: Option<ReferralFilter>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<ReferralConnection> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page =
            service::list_referrals(db, me, &filter.unwrap_or_default(), &args, wants_total(ctx))
                .await?;
        Ok(page.map(Referral).into())
    }

    /// One referral you see; null when there is none you can see.
    async fn referral(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The referral's global id.")] id: ID,
    ) -> Result<Option<Referral>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let Some(uuid) = ids::decode_as(&id, Kind::Referral) else {
            return Ok(None);
        };
        Ok(super::access::find_referral(db, me, uuid)
            .await?
            .map(Referral))
    }

    /// Referrals made from `from` to `to` from the treatment teams in scope (a team's: those it
    /// serves; a specialist's: those they are attached to), with how far each went. Counts only.
    #[graphql(complexity = 100)]
    async fn referral_funnel(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose referrals (default: yours, or your team's as a team lead).")]
        scope: Option<FidelityScopeInput>,
        #[graphql(desc = "First day (inclusive).")] from: Date,
        #[graphql(desc = "Last day (inclusive).")] to: Date,
    ) -> Result<ReferralFunnel> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let scope = scope.unwrap_or(FidelityScopeInput {
            specialist_id: None,
            team_id: None,
        });
        Ok(funnel_for(db, me, &scope, from.0, to.0).await?)
    }
}
