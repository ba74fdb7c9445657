//! The GraphQL side of `clients`: objects, queries and mutations over [`ipsmatch_core::clients`].

pub use ipsmatch_core::clients::*;

pub mod mutation;
pub mod outreach;
pub mod query;
pub mod suggestions;
pub mod types;
