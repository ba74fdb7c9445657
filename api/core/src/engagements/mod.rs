//! Engagements: every visit, call and placement conversation with an employer, kept as dated
//! entries that are corrected or retracted rather than edited. Naming a client in one is a gated
//! act (the consent gate decides and logs it), so engagements sit above consent, and employers —
//! the CRM records they are about — sit below both.

pub mod inputs;
pub mod service;
