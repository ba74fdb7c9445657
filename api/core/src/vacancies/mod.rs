//! Vacancies: advertised by employers, developed by specialists, or synced from feeds; kept with
//! their status, pay, hours, shifts and workplace features, and logged for the search index.

pub mod indexer;
pub mod inputs;
pub mod model;
pub mod search;
pub mod service;
