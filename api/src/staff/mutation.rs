//! Staff and team mutations: admin only.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::{Role, require_role};
use crate::error::into_payload;

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
        let (team, user_errors) = into_payload(service::create_team(db, input).await)?;
        Ok(TeamCreatePayload {
            team: team.map(Team),
            user_errors,
        })
    }

    /// Adds a member of staff. Admin only.
    async fn staff_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: StaffCreateInput,
    ) -> Result<StaffCreatePayload> {
        require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        let (staff, user_errors) = into_payload(service::create_staff(db, input).await)?;
        Ok(StaffCreatePayload {
            staff: staff.map(Staff),
            user_errors,
        })
    }

    /// Changes a member of staff's name, role, team or FTE. Admin only.
    async fn staff_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: StaffUpdateInput,
    ) -> Result<StaffUpdatePayload> {
        require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        let (staff, user_errors) = into_payload(service::update_staff(db, input).await)?;
        Ok(StaffUpdatePayload {
            staff: staff.map(Staff),
            user_errors,
        })
    }

    /// Deactivates a member of staff: their tokens stop working at once. Admin only.
    async fn staff_deactivate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: StaffDeactivateInput,
    ) -> Result<StaffDeactivatePayload> {
        let admin = require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        let (staff, user_errors) =
            into_payload(service::deactivate_staff(db, admin.id(), input).await)?;
        Ok(StaffDeactivatePayload {
            staff: staff.map(Staff),
            user_errors,
        })
    }
}
