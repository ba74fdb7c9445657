//! ipsmatch: the GraphQL service behind IPS employment specialists' work with employers, vacancies,
//! clients and disclosure consent. `startup::Application` is the running service; `cli` is the
//! `ipsmatch` command.

pub mod audit;
pub mod auth;
pub mod change_log;
pub mod cli;
pub mod clients;
pub mod config;
pub mod consent;
pub mod dates;
pub mod db;
pub mod demo;
pub mod employers;
pub mod error;
pub mod fidelity;
pub mod http;
pub mod ids;
pub mod integrations;
pub mod limits;
pub mod live;
pub mod loaders;
pub mod log_chain;
pub mod pagination;
pub mod pipeline;
pub mod private;
pub mod rate_limit;
pub mod report_link;
pub mod schema;
pub mod serving;
pub mod session;
pub mod socket;
pub mod staff;
pub mod startup;
pub mod stored_enum;
pub mod vacancies;
pub mod validate;
