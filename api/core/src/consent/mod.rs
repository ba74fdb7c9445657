//! Disclosure consent: what each client agreed a named employer may be told, the gate every
//! employer-facing act passes, the hash-chained disclosure log, and the employer-facing profile.

pub mod alerts;
pub mod gate;
pub mod inputs;
pub mod introduce;
pub mod model;
pub mod service;
