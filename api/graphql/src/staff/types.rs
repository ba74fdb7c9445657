//! GraphQL types for teams and staff.

use crate::auth::Role;
use crate::error::ApiError;
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entities::{staff, team, treatment_team};
use sea_orm::DatabaseConnection;

pub use super::inputs::{
    StaffCreateInput, StaffDeactivateInput, StaffFilter, StaffUpdateInput, TeamCreateInput,
};

/// A team of employment specialists, usually one per treatment service site.
#[derive(Clone)]
pub struct Team(pub team::Model);

/// A team of employment specialists, usually one per treatment service site.
#[Object]
impl Team {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Team, self.0.id)
    }

    /// The team's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The treatment service site the team works in.
    async fn site(&self) -> &str {
        &self.0.site
    }

    /// Active members of the team, by name.
    async fn members(&self, ctx: &Context<'_>) -> Result<Vec<Staff>> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        Ok(super::service::active_members(db, self.0.id)
            .await?
            .into_iter()
            .map(Staff)
            .collect())
    }

    /// When the team was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A team in the treatment service (keyworkers at a site), served by one team of specialists.
#[derive(Clone)]
pub struct TreatmentTeam(pub treatment_team::Model);

/// A team in the treatment service (keyworkers at a site), served by one team of specialists.
#[Object]
impl TreatmentTeam {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::TreatmentTeam, self.0.id)
    }

    /// The team's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The treatment service site it works from.
    async fn site(&self) -> &str {
        &self.0.site
    }

    /// The team of employment specialists that serves it.
    async fn team(&self, ctx: &Context<'_>) -> Result<Team> {
        loaders(ctx)?
            .teams
            .load_one(self.0.team_id)
            .await
            .map_err(load_failed)?
            .map(Team)
            .ok_or_else(|| crate::loaders::missing_row("treatment_team.team_id"))
    }

    /// The specialists attached to it (each to at most two treatment teams), by name.
    async fn specialists(&self, ctx: &Context<'_>) -> Result<Vec<Staff>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(
            ipsmatch_core::referrals::service::attached_specialists(db, self.0.id)
                .await?
                .into_iter()
                .map(Staff)
                .collect(),
        )
    }

    /// Its active keyworkers, by name.
    async fn keyworkers(&self, ctx: &Context<'_>) -> Result<Vec<Staff>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(
            ipsmatch_core::referrals::service::keyworkers_of(db, self.0.id)
                .await?
                .into_iter()
                .map(Staff)
                .collect(),
        )
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A treatment team by id, through the request's loader.
pub async fn treatment_team_by_id(
    ctx: &Context<'_>,
    id: uuid::Uuid,
) -> Result<Option<TreatmentTeam>> {
    Ok(loaders(ctx)?
        .treatment_teams
        .load_one(id)
        .await
        .map_err(load_failed)?
        .map(TreatmentTeam))
}

/// A member of staff who signs in: admin, team lead, employment specialist or keyworker.
#[derive(Clone)]
pub struct Staff(pub staff::Model);

/// A member of staff who signs in: admin, team lead, employment specialist, or a treatment team's
/// keyworker.
#[Object]
impl Staff {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Staff, self.0.id)
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Work e-mail address (lower case).
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// What they may do.
    async fn role(&self) -> Result<Role> {
        Role::from_db(&self.0.role)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("unknown role")).into())
    }

    /// Full-time equivalent, between 0 (exclusive) and 1.
    async fn fte(&self) -> f64 {
        self.0.fte
    }

    /// False once deactivated: they can no longer sign in.
    async fn active(&self) -> bool {
        self.0.active
    }

    /// Their team; null for admins outside any team.
    async fn team(&self, ctx: &Context<'_>) -> Result<Option<Team>> {
        let Some(team_id) = self.0.team_id else {
            return Ok(None);
        };
        let team = loaders(ctx)?
            .teams
            .load_one(team_id)
            .await
            .map_err(load_failed)?;
        Ok(team.map(Team))
    }

    /// A keyworker's treatment team; null for everyone else.
    async fn treatment_team(&self, ctx: &Context<'_>) -> Result<Option<TreatmentTeam>> {
        match self.0.treatment_team_id {
            Some(id) => treatment_team_by_id(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The treatment teams a specialist is attached to (at most two), by name.
    async fn attached_treatment_teams(&self, ctx: &Context<'_>) -> Result<Vec<TreatmentTeam>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(
            ipsmatch_core::referrals::service::treatment_teams_of(db, self.0.id)
                .await?
                .into_iter()
                .map(TreatmentTeam)
                .collect(),
        )
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When they were deactivated, if they were.
    async fn deactivated_at(&self) -> Option<DateTime<Utc>> {
        self.0.deactivated_at
    }

    /// Changes with every update; send it back with an update to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

crate::connection_types!(
    TeamConnection,
    TeamEdge,
    Team,
    "A page of teams, by name.",
    "A team with its cursor."
);

crate::connection_types!(
    StaffConnection,
    StaffEdge,
    Staff,
    "A page of staff, by e-mail address.",
    "A member of staff with their cursor."
);

crate::mutation_payload!(TeamCreatePayload, team: Team, "Result of `teamCreate`.");

crate::mutation_payload!(StaffCreatePayload, staff: Staff, "Result of `staffCreate`.");

crate::mutation_payload!(StaffUpdatePayload, staff: Staff, "Result of `staffUpdate`.");

crate::mutation_payload!(StaffDeactivatePayload, staff: Staff, "Result of `staffDeactivate`.");

/// A member of staff by id, through the request's loader (for `recordedBy`-style fields).
/// A member of staff a NOT NULL key points at (`what` names the key in the log when the row is
/// gone).
pub async fn required_staff(
    ctx: &async_graphql::Context<'_>,
    id: uuid::Uuid,
    what: &str,
) -> async_graphql::Result<Staff> {
    staff_by_id(ctx, id)
        .await?
        .ok_or_else(|| crate::loaders::missing_row(what))
}

pub async fn staff_by_id(
    ctx: &async_graphql::Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<Option<Staff>> {
    Ok(loaders(ctx)?
        .staff
        .load_one(id)
        .await
        .map_err(load_failed)?
        .map(Staff))
}
