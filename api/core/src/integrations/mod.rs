//! The integrator surface: systems that sync vacancies and employers with ipsmatch (local
//! employment services, council schemes, employer applicant tracking systems). They have their own
//! tokens, their own schema at `/integrations/graphql`, idempotent bulk sync, schema.org JSON-LD,
//! and a change feed; they never reach anything about clients.

pub mod access;
pub mod feed;
pub mod inputs;
pub mod job_posting;
pub mod model;
pub mod registry;
pub mod sync;
