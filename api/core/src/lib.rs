//! ipsmatch-core: the rules and the records behind ipsmatch — who may reach which client, what an
//! employer may be told, matching, fidelity and outcomes, vacancy sync — over sea-orm and the search
//! index. It knows no GraphQL and no HTTP: services take plain commands and return plain data or a
//! [`error::ServiceError`]. With the `graphql` feature the vocabulary also derives the GraphQL traits,
//! so the schema crate uses the same enums and inputs rather than copies.

pub mod access;
pub mod audit;
pub mod change_log;
pub mod clients;
pub mod clock;
pub mod consent;
pub mod dates;
pub mod db;
pub mod demo;
pub mod diary;
pub mod employers;
pub mod engagements;
pub mod error;
pub mod fidelity;
pub mod ids;
pub mod integrations;
pub mod limits;
pub mod log_chain;
pub mod matching;
pub mod pagination;
pub mod patch;
pub mod pipeline;
pub mod private;
pub mod referrals;
pub mod staff;
pub mod stored_enum;
pub mod vacancies;
pub mod validate;
