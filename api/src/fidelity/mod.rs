//! The GraphQL side of `fidelity`: objects, queries and mutations over [`ipsmatch_core::fidelity`].

pub use ipsmatch_core::fidelity::*;

pub mod query;
pub mod report;
