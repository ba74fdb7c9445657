//! Integration tests: the real server on an ephemeral port, one temporary database per test, spoken
//! to over HTTP. Each test runs on SQLite and, when `IPSMATCH_TEST_POSTGRES_URL` is set, PostgreSQL.

mod auth;
mod clients;
mod consent;
mod conventions;
mod crash;
mod database;
mod demo;
mod employers;
mod engagements;
mod failures;
mod fidelity;
mod frontend;
mod gate;
mod helpers;
mod http;
mod integrations;
mod leak;
mod limits;
mod logs;
mod matching;
mod pipeline;
mod practice;
mod reach;
mod referrals;
mod replicas;
mod report;
mod search;
mod staff;
mod subscriptions;
mod understanding;
mod vacancies;
