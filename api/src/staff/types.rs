//! GraphQL types for teams and staff.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use entities::{staff, team};

use crate::auth::Role;
use crate::error::ApiError;
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};

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

/// A member of staff who signs in: admin, team lead or employment specialist.
#[derive(Clone)]
pub struct Staff(pub staff::Model);

/// A member of staff who signs in: admin, team lead or employment specialist.
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

/// Fields of a new team.
#[derive(InputObject)]
pub struct TeamCreateInput {
    /// The team's name; unique.
    pub name: String,
    /// The treatment service site the team works in.
    pub site: String,
}

/// Fields of a new member of staff.
#[derive(InputObject)]
pub struct StaffCreateInput {
    /// Full name.
    pub name: String,
    /// Work e-mail address; unique.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// Full-time equivalent, greater than 0 and at most 1.
    #[graphql(default = 1.0)]
    pub fte: f64,
    /// Their team; required for team leads and specialists.
    pub team_id: Option<ID>,
}

/// Changes to a member of staff; absent fields stay as they are.
#[derive(InputObject)]
pub struct StaffUpdateInput {
    /// Who to change.
    pub id: ID,
    /// The `version` you read; a different current version means someone else changed the record.
    pub version: i32,
    /// New full name.
    pub name: Option<String>,
    /// New full-time equivalent.
    pub fte: Option<f64>,
    /// New role.
    pub role: Option<Role>,
    /// New team.
    pub team_id: Option<ID>,
    /// An active specialist to take over this person's open caseload when their role or team
    /// changes (each client a recorded reassignment). Without it, such a change of someone who
    /// holds clients is refused, saying how many.
    pub hand_over_to: Option<ID>,
}

/// Which member of staff to deactivate.
#[derive(InputObject)]
pub struct StaffDeactivateInput {
    /// Who to deactivate.
    pub id: ID,
    /// An active specialist to take over their open caseload (each client a recorded
    /// reassignment). Without it, deactivating someone who holds clients is refused, saying how
    /// many.
    pub hand_over_to: Option<ID>,
}

/// Narrows the staff list.
#[derive(InputObject, Default)]
pub struct StaffFilter {
    /// Only members of this team.
    pub team_id: Option<ID>,
    /// Only these roles.
    pub roles: Option<Vec<Role>>,
    /// Include deactivated staff (default false).
    #[graphql(default)]
    pub include_inactive: bool,
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
