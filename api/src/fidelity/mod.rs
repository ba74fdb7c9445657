//! IPS fidelity, computed live from the records: caseload per full-time specialist, face-to-face
//! employer contacts per specialist per week, and days from referral to the first face-to-face
//! employer contact on a client's behalf — each with the fidelity scale's anchor, from thresholds
//! kept in configuration (`thresholds.json`, or `IPSMATCH_FIDELITY_THRESHOLDS_FILE`).

pub mod query;
pub mod service;
pub mod thresholds;
