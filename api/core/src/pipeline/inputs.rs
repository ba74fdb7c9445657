//! GraphQL inputs and filters of the pipeline context (what services take until they take commands).

use super::model::{ApplicationStageKind, SubmittedBy, SupportParty};
use crate::dates::Date;
use crate::employers::model::ContactChannel;
use crate::ids::GlobalId;
use crate::vacancies::model::ContractType;
use chrono::{DateTime, Utc};

/// Starts an application of a client to a vacancy.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ApplicationCreateInput {
    /// The client.
    pub client_id: GlobalId,
    /// The vacancy.
    pub vacancy_id: GlobalId,
    /// The stage it starts at (default SUGGESTED).
    #[cfg_attr(
        feature = "graphql",
        graphql(default_with = "ApplicationStageKind::Suggested")
    )]
    pub stage: ApplicationStageKind,
    /// Who sends it (default CLIENT).
    #[cfg_attr(feature = "graphql", graphql(default_with = "SubmittedBy::Client"))]
    pub submitted_by: SubmittedBy,
    /// The day (default today).
    pub on: Option<Date>,
}

/// Moves an application along the pipeline.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ApplicationAdvanceInput {
    /// The application.
    pub id: GlobalId,
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
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct JobStartRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// The application that led to it (moved to STARTED).
    pub application_id: Option<GlobalId>,
    /// The employer record, when there is one.
    pub employer_id: Option<GlobalId>,
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
    #[cfg_attr(feature = "graphql", graphql(default = true))]
    pub competitive: bool,
}

/// The end of a job.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct JobEndRecordInput {
    /// The job start.
    pub id: GlobalId,
    /// The version you read.
    pub version: i32,
    /// Last day of work (not before the start).
    pub end_date: Date,
    /// Why it ended.
    pub reason: String,
}

/// An in-work support contact.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct SupportContactRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// The job it was about.
    pub job_start_id: Option<GlobalId>,
    /// With whom.
    pub with_whom: SupportParty,
    /// How.
    pub mode: ContactChannel,
    /// When (not in the future).
    pub occurred_at: DateTime<Utc>,
    /// What was covered.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub notes: String,
}

/// What a list of applications is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum ApplicationOrderField {
    /// When the application was started.
    CreatedAt,
    /// When it last moved.
    UpdatedAt,
}

/// How to order a list of applications (ties broken by id, so pages never overlap).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ApplicationOrder {
    /// What to order by.
    pub field: ApplicationOrderField,
    /// Which way.
    pub direction: crate::pagination::OrderDirection,
}

impl Default for ApplicationOrder {
    /// CreatedAt descending, as the list ran before it could be ordered.
    fn default() -> Self {
        ApplicationOrder {
            field: ApplicationOrderField::CreatedAt,
            direction: crate::pagination::OrderDirection::Desc,
        }
    }
}

/// Which applications to list.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ApplicationFilter {
    /// Only at these stages.
    pub stages: Option<Vec<ApplicationStageKind>>,
    /// Only this client's.
    pub client_id: Option<GlobalId>,
    /// Only to this vacancy.
    pub vacancy_id: Option<GlobalId>,
}
