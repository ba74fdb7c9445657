//! The GraphQL side of `pipeline`: objects, queries and mutations over [`ipsmatch_core::pipeline`].

pub use ipsmatch_core::pipeline::*;

pub mod mutation;
pub mod query;
pub mod types;
