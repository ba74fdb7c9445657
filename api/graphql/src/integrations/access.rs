//! Integrator access on the GraphQL side: [`ipsmatch_core::integrations::access`] and the scope
//! check resolvers run.

pub use ipsmatch_core::integrations::access::*;

use crate::error::ApiError;

/// The calling integrator if its token carries `scope`; otherwise `UNAUTHENTICATED` or `FORBIDDEN`.
pub fn require_scope<'a>(
    ctx: &async_graphql::Context<'a>,
    scope: Scope,
) -> Result<&'a Integrator, ApiError> {
    let integrator = ctx
        .data_opt::<Integrator>()
        .ok_or(ApiError::Unauthenticated)?;
    if integrator.scopes.contains(&scope) {
        Ok(integrator)
    } else {
        Err(ApiError::Forbidden)
    }
}
