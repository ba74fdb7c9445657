//! Clients and their caseloads: registration, dated status episodes, assignment to specialists,
//! who may see whom (`access`), special-category facts behind a stated purpose, and the versioned
//! vocational profile and job preferences that drive matching, and outreach attempts before any
//! discharge.

pub mod access;
pub mod inputs;
pub mod model;
pub mod outreach;
pub mod records;
pub mod service;
