//! The GraphQL side of the diary: entries, `diary(…)`, and `diaryEntryRecord` and
//! `diaryEntryOutcome` over [`ipsmatch_core::diary`].

pub use ipsmatch_core::diary::*;

pub mod types;
