//! GraphQL inputs and filters of the pipeline context (what services take until they take commands).

use super::model::{ApplicationStageKind, SubmittedBy, SupportParty};
use crate::dates::Date;
use crate::employers::model::ContactChannel;
use crate::vacancies::model::ContractType;
use async_graphql::{ID, InputObject};
use chrono::{DateTime, Utc};

/// Starts an application of a client to a vacancy.
#[derive(InputObject)]
pub struct ApplicationCreateInput {
    /// The client.
    pub client_id: ID,
    /// The vacancy.
    pub vacancy_id: ID,
    /// The stage it starts at (default SUGGESTED).
    #[graphql(default_with = "ApplicationStageKind::Suggested")]
    pub stage: ApplicationStageKind,
    /// Who sends it (default CLIENT).
    #[graphql(default_with = "SubmittedBy::Client")]
    pub submitted_by: SubmittedBy,
    /// The day (default today).
    pub on: Option<Date>,
}

/// Moves an application along the pipeline.
#[derive(InputObject)]
pub struct ApplicationAdvanceInput {
    /// The application.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// The stage reached (later than the current one, or NOT_PROGRESSED).
    pub stage: ApplicationStageKind,
    /// The day (default today).
    pub on: Option<Date>,
    /// Why it went no further (required for NOT_PROGRESSED), or a note.
    pub reason: Option<String>,
}

/// A job a client started.
#[derive(InputObject)]
pub struct JobStartRecordInput {
    /// The client.
    pub client_id: ID,
    /// The application that led to it (moved to STARTED).
    pub application_id: Option<ID>,
    /// The employer record, when there is one.
    pub employer_id: Option<ID>,
    /// The employer's name (default: the employer record's).
    pub employer_name: Option<String>,
    /// Job title.
    pub title: String,
    /// SOC 2010 unit group (4 digits).
    pub soc_code: Option<String>,
    /// First day of work.
    pub start_date: Date,
    /// Hours a week.
    pub hours_per_week: f64,
    /// Pay, pounds an hour.
    pub hourly_pay: f64,
    /// Contract type.
    pub contract_type: ContractType,
    /// Competitive employment (default true).
    #[graphql(default = true)]
    pub competitive: bool,
}

/// The end of a job.
#[derive(InputObject)]
pub struct JobEndRecordInput {
    /// The job start.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// Last day of work (not before the start).
    pub end_date: Date,
    /// Why it ended.
    pub reason: String,
}

/// An in-work support contact.
#[derive(InputObject)]
pub struct SupportContactRecordInput {
    /// The client.
    pub client_id: ID,
    /// The job it was about.
    pub job_start_id: Option<ID>,
    /// With whom.
    pub with_whom: SupportParty,
    /// How.
    pub mode: ContactChannel,
    /// When (not in the future).
    pub occurred_at: DateTime<Utc>,
    /// What was covered.
    #[graphql(default)]
    pub notes: String,
}
