//! Referrals from the treatment service: treatment teams (with their keyworkers and the
//! specialists attached to them), referrals and how far each has gone, and who sees which
//! referral ([`access`]).

pub mod access;
pub mod inputs;
pub mod model;
pub mod service;
