//! Clients and their caseloads: registration, dated status episodes, assignment to specialists,
//! who may see whom (`access`), special-category facts behind a stated purpose, and the versioned
//! vocational profile and job preferences that drive matching, and outreach attempts before any
//! discharge.

pub mod access;
pub mod inputs;
pub mod matching;
pub mod model;
pub mod mutation;
pub mod outreach;
pub mod query;
pub mod service;
pub mod suggestions;
pub mod types;
