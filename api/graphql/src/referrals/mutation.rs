//! Treatment-team and referral mutations.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::inputs::*;
use super::service;
use super::types::*;
use crate::auth::viewer;
use crate::staff::types::TreatmentTeam;

/// Treatment-team and referral mutations.
#[derive(Default)]
pub struct ReferralMutation;

#[Object]
impl ReferralMutation {
    /// Creates a treatment team served by a team of specialists. Admins and team leads (for their
    /// own team).
    async fn treatment_team_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: TreatmentTeamCreateInput,
    ) -> Result<TreatmentTeamCreatePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        TreatmentTeamCreatePayload::from_result(
            service::create_treatment_team(db, me, input).await,
            TreatmentTeam,
        )
    }

    /// Attaches a specialist to a treatment team (at most two each). Admins and the specialist's
    /// team lead.
    async fn treatment_team_specialist_attach(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The treatment team and the specialist.")]
        input: TreatmentTeamSpecialistInput,
    ) -> Result<TreatmentTeamSpecialistAttachPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        TreatmentTeamSpecialistAttachPayload::from_result(
            service::attach_specialist(db, me, input).await,
            TreatmentTeam,
        )
    }

    /// Detaches a specialist from a treatment team. Admins and the specialist's team lead.
    async fn treatment_team_specialist_detach(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The treatment team and the specialist.")]
        input: TreatmentTeamSpecialistInput,
    ) -> Result<TreatmentTeamSpecialistDetachPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        TreatmentTeamSpecialistDetachPayload::from_result(
            service::detach_specialist(db, me, input).await,
            TreatmentTeam,
        )
    }

    /// Refers someone to the IPS service: a keyworker from their own treatment team, or a
    /// specialist recording a referral that came another way.
    async fn referral_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The referral.")] input: ReferralCreateInput,
    ) -> Result<ReferralCreatePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ReferralCreatePayload::from_result(service::create_referral(db, me, input).await, Referral)
    }

    /// Moves an open referral forward: contacted, or first meeting. Specialists and team leads.
    async fn referral_advance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The step.")] input: ReferralAdvanceInput,
    ) -> Result<ReferralAdvancePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ReferralAdvancePayload::from_result(
            service::advance_referral(db, me, input).await,
            Referral,
        )
    }

    /// Registers the referred person as a client on a caseload, closing the referral.
    /// Specialists and team leads.
    async fn referral_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration.")] input: ReferralRegisterInput,
    ) -> Result<ReferralRegisterPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ReferralRegisterPayload::from_result(
            service::register_referral(db, me, input).await,
            |(referral, _client)| Referral(referral),
        )
    }

    /// Closes a referral that was not taken up, with a coded reason. Specialists and team leads.
    async fn referral_not_taken_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reason.")] input: ReferralNotTakenUpInput,
    ) -> Result<ReferralNotTakenUpPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        ReferralNotTakenUpPayload::from_result(
            service::close_not_taken_up(db, me, input).await,
            Referral,
        )
    }
}
