//! The employer engagement CRM (IPS job development): employers, their sites and contacts, and every
//! engagement with them.

pub mod inputs;
pub mod model;
pub mod service;
