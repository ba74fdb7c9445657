//! The GraphQL side of fidelity: `fidelity`, `outcomes`, `reportLink` and `workQueue` over
//! [`ipsmatch_core::fidelity`].

pub use ipsmatch_core::fidelity::*;

pub mod query;
pub mod work_queue;
