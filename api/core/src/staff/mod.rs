//! Teams and staff: who works in the service, in which team, with which role and FTE.

pub mod inputs;
pub mod service;
