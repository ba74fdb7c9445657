//! ipsmatch-graphql: the staff and integrator GraphQL schemas over [`ipsmatch_core`]. Resolvers
//! decode ids and inputs, call core, and wrap what it returns in the schema's objects; the queries
//! and the rules are core's (CI refuses a database query here). Per-request data — the caller and
//! the loaders — comes from the HTTP layer.

pub use ipsmatch_core::{
    access, audit, change_log, dates, demo, engagements, error, matching, private, stored_enum,
    validate,
};

pub mod auth;
pub mod clients;
pub mod consent;
pub mod diary;
pub mod employers;
pub mod fidelity;
pub mod ids;
pub mod integrations;
pub mod keyworker_fence;
pub mod limits;
pub mod live;
pub mod loaders;
pub mod pagination;
pub mod payload;
pub mod pipeline;
pub mod rate_limit;
pub mod referrals;
pub mod report_link;
pub mod schema;
pub mod staff;
pub mod vacancies;
