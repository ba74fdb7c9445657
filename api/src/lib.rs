//! ipsmatch: the GraphQL service behind IPS employment specialists' work with employers, vacancies,
//! clients and disclosure consent. The rules and records are [`ipsmatch_core`]; this crate is the
//! GraphQL schema over them and the HTTP service that serves it. `startup::Application` is the
//! running service; `cli` is the `ipsmatch` command.

pub use ipsmatch_core::{
    access, audit, change_log, dates, demo, engagements, error, matching, private, stored_enum,
    validate,
};

pub mod auth;
pub mod cli;
pub mod clients;
pub mod config;
pub mod consent;
pub mod db;
pub mod employers;
pub mod fidelity;
pub mod http;
pub mod ids;
pub mod integrations;
pub mod limits;
pub mod live;
pub mod loaders;
pub mod log_chain;
pub mod pagination;
pub mod payload;
pub mod pipeline;
pub mod rate_limit;
pub mod report_link;
pub mod schema;
pub mod serving;
pub mod session;
pub mod socket;
pub mod staff;
pub mod startup;
pub mod vacancies;
