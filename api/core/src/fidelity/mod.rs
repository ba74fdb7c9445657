//! IPS fidelity, computed live from the records: caseload per full-time specialist, face-to-face
//! employer contacts per specialist per week, days from referral to the first face-to-face employer
//! contact on a client's behalf, diversity of job types and employers, competitive jobs, the rhythm
//! of in-work support and contact after a job ends, and disclosure discussed before the first
//! employer contact — each with the fidelity scale's anchor, from thresholds kept in configuration
//! (`thresholds.json`, or `IPSMATCH_FIDELITY_THRESHOLDS_FILE`) — and outcomes under named
//! definitions, split by team, specialist or substance group, with small groups suppressed.

pub mod inputs;
pub mod ips_grow;
pub mod measure;
pub mod outcomes;
pub mod practice;
pub mod referrals;
pub mod rules;
pub mod scope;
pub mod service;
pub mod thresholds;
pub mod work;
pub mod work_queue;
