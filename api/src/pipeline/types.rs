//! GraphQL types of the pipeline: applications and their stages, job starts, support contacts.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use entities::{application, application_stage, job_start, support_contact};

use crate::dates::Date;
use crate::employers::types::ContactChannel;
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders, staff_by_id};
use crate::staff::types::Staff;
use crate::stored_enum;
use crate::vacancies::types::{ContractType, Vacancy};

stored_enum! {
    /// Where an application stands.
    pub enum ApplicationStageKind {
        /// Suggested (by matching or the specialist), not yet talked over.
        Suggested = "SUGGESTED",
        /// Talked over with the client, who wants to go ahead.
        Discussed = "DISCUSSED",
        /// The application has gone in.
        Applied = "APPLIED",
        /// Invited to interview (or a working trial).
        Interview = "INTERVIEW",
        /// Offered the job.
        Offer = "OFFER",
        /// Started work.
        Started = "STARTED",
        /// Went no further (the reason says why).
        NotProgressed = "NOT_PROGRESSED",
    }
}

impl ApplicationStageKind {
    /// Order along the pipeline (`NOT_PROGRESSED` ends it from anywhere).
    pub fn rank(self) -> u8 {
        match self {
            Self::Suggested => 0,
            Self::Discussed => 1,
            Self::Applied => 2,
            Self::Interview => 3,
            Self::Offer => 4,
            Self::Started => 5,
            Self::NotProgressed => 6,
        }
    }

    /// True when nothing may follow.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Started | Self::NotProgressed)
    }
}

stored_enum! {
    /// Who sends an application.
    pub enum SubmittedBy {
        /// The client, on their own.
        Client = "CLIENT",
        /// The specialist, on the client's behalf (a disclosure: it names the client to the employer).
        Specialist = "SPECIALIST",
        /// Both together.
        Jointly = "JOINTLY",
    }
}

stored_enum! {
    /// Who an in-work support contact was with.
    pub enum SupportParty {
        /// The client.
        Client = "CLIENT",
        /// The employer (needs the client's consent).
        Employer = "EMPLOYER",
    }
}

/// A client's application to one vacancy.
pub struct Application(pub application::Model);

/// A client's application to one vacancy.
#[Object]
impl Application {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Application, self.0.id)
    }

    /// The vacancy.
    async fn vacancy(&self, ctx: &Context<'_>) -> Result<Option<Vacancy>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(
            crate::vacancies::service::find_vacancy(db, self.0.vacancy_id)
                .await?
                .map(Vacancy),
        )
    }

    /// Where it stands now.
    async fn stage(&self) -> Result<ApplicationStageKind> {
        Ok(ApplicationStageKind::from_db(&self.0.stage)?)
    }

    /// Who sends it.
    async fn submitted_by(&self) -> Result<SubmittedBy> {
        Ok(SubmittedBy::from_db(&self.0.submitted_by)?)
    }

    /// Every stage it went through, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<ApplicationStep>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(application_stage::Entity::find()
            .filter(application_stage::Column::ApplicationId.eq(self.0.id))
            .order_by_asc(application_stage::Column::RecordedAt)
            .all(db)
            .await?
            .into_iter()
            .map(ApplicationStep)
            .collect())
    }

    /// Who started it.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        staff_by_id(ctx, self.0.created_by_id).await
    }

    /// When it was started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Optimistic-concurrency version: send it back with a change.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One dated step of an application.
pub struct ApplicationStep(pub application_stage::Model);

/// One dated step of an application.
#[Object]
impl ApplicationStep {
    /// The stage reached.
    async fn stage(&self) -> Result<ApplicationStageKind> {
        Ok(ApplicationStageKind::from_db(&self.0.stage)?)
    }

    /// The day it was reached.
    async fn on(&self) -> Date {
        Date(self.0.on_date)
    }

    /// Why it went no further, or a note.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        staff_by_id(ctx, self.0.recorded_by_id).await
    }
}

/// A job a client started.
pub struct JobStart(pub job_start::Model);

/// A job a client started.
#[Object]
impl JobStart {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::JobStart, self.0.id)
    }

    /// The employer's name.
    async fn employer_name(&self) -> &str {
        &self.0.employer_name
    }

    /// The employer record, when there is one.
    async fn employer(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::employers::types::Employer>> {
        let Some(id) = self.0.employer_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .employers
            .load_one(id)
            .await
            .map_err(load_failed)?
            .map(crate::employers::types::Employer))
    }

    /// Job title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// SOC 2010 unit group.
    async fn soc_code(&self) -> Option<&str> {
        self.0.soc_code.as_deref()
    }

    /// First day of work.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }

    /// Hours a week.
    async fn hours_per_week(&self) -> f64 {
        self.0.hours_per_week
    }

    /// Pay, pounds an hour.
    async fn hourly_pay(&self) -> f64 {
        self.0.hourly_pay
    }

    /// Contract type.
    async fn contract_type(&self) -> Result<ContractType> {
        Ok(ContractType::from_db(&self.0.contract_type)?)
    }

    /// Competitive employment: open to anyone, at the going rate, not set aside for disabled people.
    async fn competitive(&self) -> bool {
        self.0.competitive
    }

    /// Last day of work; null while it lasts.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }

    /// Why it ended.
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }

    /// In-work support contacts about this job, oldest first.
    async fn support_contacts(&self, ctx: &Context<'_>) -> Result<Vec<SupportContact>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(support_contact::Entity::find()
            .filter(support_contact::Column::JobStartId.eq(self.0.id))
            .order_by_asc(support_contact::Column::OccurredAt)
            .all(db)
            .await?
            .into_iter()
            .map(SupportContact)
            .collect())
    }

    /// Optimistic-concurrency version: send it back with a change.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One in-work support contact.
pub struct SupportContact(pub support_contact::Model);

/// One in-work support contact.
#[Object]
impl SupportContact {
    /// With whom.
    async fn with_whom(&self) -> Result<SupportParty> {
        Ok(SupportParty::from_db(&self.0.with_whom)?)
    }

    /// How.
    async fn mode(&self) -> Result<ContactChannel> {
        Ok(ContactChannel::from_db(&self.0.mode)?)
    }

    /// When.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// What was covered.
    async fn notes(&self) -> &str {
        &self.0.notes
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        staff_by_id(ctx, self.0.recorded_by_id).await
    }
}

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

crate::mutation_payload!(ApplicationCreatePayload, application: Application, "Result of `applicationCreate`.");
crate::mutation_payload!(ApplicationAdvancePayload, application: Application, "Result of `applicationAdvance`.");
crate::mutation_payload!(JobStartRecordPayload, job: JobStart, "Result of `jobStartRecord`.");
crate::mutation_payload!(JobEndRecordPayload, job: JobStart, "Result of `jobEndRecord`.");
crate::mutation_payload!(SupportContactRecordPayload, contact: SupportContact, "Result of `supportContactRecord`.");
