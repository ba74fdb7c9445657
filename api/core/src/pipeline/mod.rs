//! The pipeline from suggestion to job start and beyond: applications with a dated stage history,
//! job starts and ends (raw dates, hours and pay for outcome definitions), and in-work support.

pub mod better_off;
pub mod inputs;
pub mod model;
pub mod service;
