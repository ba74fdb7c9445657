//! Measures of the specialists' own practice, one file each: caseload per full-time specialist,
//! face-to-face employer contacts per week, days from referral to the first employer contact, time
//! in the community, and integration with treatment teams and Jobcentre Plus.

pub mod caseload;
pub mod community;
pub mod contacts;
pub mod first_contact;
pub mod integration;
