//! The GraphQL side of fidelity: `fidelity`, `outcomes` and `reportLink` over
//! [`ipsmatch_core::fidelity`].

pub use ipsmatch_core::fidelity::*;

pub mod query;
