//! The GraphQL side of `referrals`: treatment teams, referrals and the referral funnel over
//! [`ipsmatch_core::referrals`].

pub use ipsmatch_core::referrals::*;

pub mod mutation;
pub mod query;
pub mod types;
