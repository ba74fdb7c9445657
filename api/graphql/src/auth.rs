//! The caller as resolvers see it: the [`Viewer`] the HTTP layer put in the request, and a role
//! check.

pub use ipsmatch_core::access::{Role, Viewer, active_staff};

use crate::error::ApiError;

/// The authenticated caller, or `UNAUTHENTICATED`.
pub fn viewer<'a>(ctx: &async_graphql::Context<'a>) -> Result<&'a Viewer, ApiError> {
    ctx.data_opt::<Viewer>().ok_or(ApiError::Unauthenticated)
}

/// The authenticated caller if they hold one of `roles`; otherwise `UNAUTHENTICATED` or `FORBIDDEN`.
pub fn require_role<'a>(
    ctx: &async_graphql::Context<'a>,
    roles: &[Role],
) -> Result<&'a Viewer, ApiError> {
    let viewer = viewer(ctx)?;
    if roles.contains(&viewer.role) {
        Ok(viewer)
    } else {
        Err(ApiError::Forbidden)
    }
}
