//! sea-orm entities for ipsmatch, one module per table. Plain data: no GraphQL, no business rules.
//!
//! Enumerations are stored as upper-case text (`FACE_TO_FACE`); the `api` crate owns their meaning.

pub mod change_log;
pub mod employer;
pub mod employer_contact;
pub mod employer_location;
pub mod engagement;
pub mod staff;
pub mod team;
pub mod vacancy;
