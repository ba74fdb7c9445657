//! GraphQL inputs and filters of the staff context (what services take until they take commands).

use crate::auth::Role;
use async_graphql::{ID, InputObject};

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
