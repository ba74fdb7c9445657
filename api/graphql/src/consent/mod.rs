//! The GraphQL side of `consent`: objects, queries and mutations over [`ipsmatch_core::consent`].

pub use ipsmatch_core::consent::*;

pub mod keyworker;
pub mod mutation;
pub mod query;
pub mod types;
