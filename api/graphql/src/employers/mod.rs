//! The GraphQL side of `employers`: objects, queries and mutations over [`ipsmatch_core::employers`].

pub use ipsmatch_core::employers::*;

pub mod mutation;
pub mod query;
pub mod types;
