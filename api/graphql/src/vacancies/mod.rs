//! The GraphQL side of `vacancies`: objects, queries and mutations over [`ipsmatch_core::vacancies`].

pub use ipsmatch_core::vacancies::*;

pub mod mutation;
pub mod query;
pub mod types;
