//! Staff and team mutations: admin only.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::{Role, require_role};

/// Staff and team mutations.
#[derive(Default)]
pub struct StaffMutation;

#[Object]
impl StaffMutation {
    /// Creates a team. Admin only.
    async fn team_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: TeamCreateInput,
    ) -> Result<TeamCreatePayload> {
        require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        TeamCreatePayload::from_result(service::create_team(db, input).await, Team)
    }

    /// Adds a member of staff. Admin only.
    async fn staff_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: StaffCreateInput,
    ) -> Result<StaffCreatePayload> {
        require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        StaffCreatePayload::from_result(service::create_staff(db, input).await, Staff)
    }

    /// Changes a member of staff's name, role, team or FTE. Admin only.
    async fn staff_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: StaffUpdateInput,
    ) -> Result<StaffUpdatePayload> {
        let admin = require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        StaffUpdatePayload::from_result(service::update_staff(db, admin.id(), input).await, Staff)
    }

    /// Deactivates a member of staff: their tokens stop working at once. Admin only.
    async fn staff_deactivate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: StaffDeactivateInput,
    ) -> Result<StaffDeactivatePayload> {
        let admin = require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        StaffDeactivatePayload::from_result(
            service::deactivate_staff(db, admin.id(), input).await,
            Staff,
        )
    }
}
