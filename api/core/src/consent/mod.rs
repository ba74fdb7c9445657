//! Disclosure consent: what each client agreed a named employer may be told, the gate every
//! employer-facing act passes, the hash-chained disclosure log, and the employer-facing profile;
//! and what a client agreed their keyworker may be told (`keyworker`).

pub mod alerts;
pub mod gate;
pub mod inputs;
pub mod introduce;
pub mod keyworker;
pub mod model;
pub mod service;
