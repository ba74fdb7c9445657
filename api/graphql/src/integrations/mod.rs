//! The GraphQL side of `integrations`: objects, queries and mutations over [`ipsmatch_core::integrations`].

pub use ipsmatch_core::integrations::*;

pub mod access;
pub mod registry;
pub mod schema;
pub mod types;
