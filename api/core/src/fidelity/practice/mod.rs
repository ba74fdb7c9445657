//! Measures of the specialists' own practice, one file each: caseload per full-time specialist,
//! face-to-face employer contacts per week, and days from referral to the first employer contact.

pub mod caseload;
pub mod contacts;
pub mod first_contact;
