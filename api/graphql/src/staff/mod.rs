//! The GraphQL side of `staff`: objects, queries and mutations over [`ipsmatch_core::staff`].

pub use ipsmatch_core::staff::*;

pub mod mutation;
pub mod query;
pub mod types;
