//! sea-orm entities for ipsmatch, one module per table. Plain data: no GraphQL, no business rules.
//!
//! Enumerations are stored as upper-case text (`FACE_TO_FACE`); the `api` crate owns their meaning.

pub mod application;
pub mod application_stage;
pub mod audit_event;
pub mod better_off_check;
pub mod caseload_assignment;
pub mod change_log;
pub mod client;
pub mod client_sensitive;
pub mod client_status_episode;
pub mod diary_entry;
pub mod diary_entry_client;
pub mod disclosure_consent;
pub mod disclosure_discussion;
pub mod disclosure_event;
pub mod employer;
pub mod employer_contact;
pub mod employer_location;
pub mod engagement;
pub mod engagement_client;
pub mod integrator;
pub mod job_preference;
pub mod job_start;
pub mod keyworker_consent;
pub mod log_chain;
pub mod outreach_attempt;
pub mod referral;
pub mod staff;
pub mod support_contact;
pub mod sync_request;
pub mod team;
pub mod treatment_team;
pub mod treatment_team_specialist;
pub mod vacancy;
pub mod vocational_profile;
