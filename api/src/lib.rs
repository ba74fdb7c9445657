//! ipsmatch: the GraphQL service behind IPS employment specialists' work with employers, vacancies,
//! clients and disclosure consent. The rules and records are [`ipsmatch_core`], the schemas
//! [`ipsmatch_graphql`]; this crate is the service: configuration, the command line, startup, and
//! HTTP (GraphQL over HTTP and WebSocket, health, the printable reports). `startup::Application`
//! is the running service; `cli` is the `ipsmatch` command.

pub use ipsmatch_core::{
    access, audit, change_log, dates, demo, engagements, error, matching, private, stored_enum,
    validate,
};
pub use ipsmatch_graphql::{
    clients, consent, employers, fidelity, ids, integrations, limits, live, loaders, pagination,
    pipeline, rate_limit, report_link, schema, staff, vacancies,
};

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod graphiql;
pub mod http;
pub mod log_chain;
pub mod persisted;
pub mod reports;
pub mod serving;
pub mod session;
pub mod socket;
pub mod startup;
