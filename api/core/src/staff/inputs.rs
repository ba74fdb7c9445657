//! GraphQL inputs and filters of the staff context (what services take until they take commands).

use crate::access::Role;
use crate::ids::GlobalId;

/// Fields of a new team.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct TeamCreateInput {
    /// The team's name; unique.
    pub name: String,
    /// The treatment service site the team works in.
    pub site: String,
}

/// Fields of a new member of staff.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct StaffCreateInput {
    /// Full name.
    pub name: String,
    /// Work e-mail address; unique.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// Full-time equivalent, greater than 0 and at most 1.
    #[cfg_attr(feature = "graphql", graphql(default = 1.0))]
    pub fte: f64,
    /// Their team; required for team leads and specialists.
    pub team_id: Option<GlobalId>,
    /// A keyworker's treatment team; required for keyworkers, and only for them.
    pub treatment_team_id: Option<GlobalId>,
}

/// Changes to a member of staff; absent fields stay as they are.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct StaffUpdateInput {
    /// Who to change.
    pub id: GlobalId,
    /// The `version` you read; a different current version means someone else changed the record.
    pub version: i32,
    /// New full name.
    pub name: Option<String>,
    /// New full-time equivalent.
    pub fte: Option<f64>,
    /// New role.
    pub role: Option<Role>,
    /// New team.
    pub team_id: Option<GlobalId>,
    /// An active specialist to take over this person's open caseload when their role or team
    /// changes (each client a recorded reassignment). Without it, such a change of someone who
    /// holds clients is refused, saying how many.
    pub hand_over_to: Option<GlobalId>,
}

/// Which member of staff to deactivate.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct StaffDeactivateInput {
    /// Who to deactivate.
    pub id: GlobalId,
    /// An active specialist to take over their open caseload (each client a recorded
    /// reassignment). Without it, deactivating someone who holds clients is refused, saying how
    /// many.
    pub hand_over_to: Option<GlobalId>,
}

/// Narrows the staff list.
#[derive(Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct StaffFilter {
    /// Only members of this team.
    pub team_id: Option<GlobalId>,
    /// Only these roles.
    pub roles: Option<Vec<Role>>,
    /// Include deactivated staff (default false).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub include_inactive: bool,
}
