//! What a fidelity or outcomes request names: whose practice.

use crate::ids::GlobalId;

/// Whose practice to measure: one specialist, or a whole team (give one).
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct FidelityScopeInput {
    /// One specialist (default: yourself, as a specialist).
    pub specialist_id: Option<GlobalId>,
    /// A team's specialists together.
    pub team_id: Option<GlobalId>,
}
