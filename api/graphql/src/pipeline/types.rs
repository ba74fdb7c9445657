//! GraphQL types of the pipeline: applications and their stages, job starts, support contacts.

pub use super::inputs::{
    ApplicationAdvanceInput, ApplicationCreateInput, JobEndRecordInput, JobStartRecordInput,
    SupportContactRecordInput,
};
pub use super::model::{ApplicationStageKind, SubmittedBy, SupportParty};
use crate::dates::Date;
use crate::employers::model::ContactChannel;
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};
use crate::staff::types::Staff;
use crate::staff::types::required_staff;
use crate::vacancies::model::ContractType;
use crate::vacancies::types::Vacancy;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entities::{application, application_stage, better_off_check, job_start, support_contact};
use sea_orm::DatabaseConnection;

/// A client's application to one vacancy.
#[derive(Clone)]
pub struct Application(pub application::Model);

/// A client's application to one vacancy.
#[Object]
impl Application {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Application, self.0.id)
    }

    /// The client applying; null only when they are no longer within your reach (reassigned while
    /// this was read).
    async fn client(&self, ctx: &Context<'_>) -> Result<Option<crate::clients::types::Client>> {
        let me = crate::auth::viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(
            crate::clients::access::find_client(db, me, self.0.client_id)
                .await?
                .map(crate::clients::types::Client),
        )
    }

    /// The vacancy.
    async fn vacancy(&self, ctx: &Context<'_>) -> Result<Vacancy> {
        let db = ctx.data::<DatabaseConnection>()?;
        crate::vacancies::service::find_vacancy(db, self.0.vacancy_id)
            .await?
            .map(Vacancy)
            .ok_or_else(|| crate::loaders::missing_row("vacancy_id"))
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
        Ok(super::service::application_history(db, self.0.id)
            .await?
            .into_iter()
            .map(ApplicationStep)
            .collect())
    }

    /// Who started it.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.created_by_id, "created_by_id").await
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
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
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
        Ok(super::service::support_contacts_of_job(db, self.0.id)
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
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
    }
}

crate::connection_types!(
    ApplicationConnection,
    ApplicationEdge,
    Application,
    "A page of applications, in the order asked.",
    "An application with its cursor."
);

crate::mutation_payload!(ApplicationCreatePayload, application: Application, "Result of `applicationCreate`.");

crate::mutation_payload!(ApplicationAdvancePayload, application: Application, "Result of `applicationAdvance`.");

crate::mutation_payload!(JobStartRecordPayload, job: JobStart, "Result of `jobStartRecord`.");

crate::mutation_payload!(JobEndRecordPayload, job: JobStart, "Result of `jobEndRecord`.");

crate::mutation_payload!(SupportContactRecordPayload, contact: SupportContact, "Result of `supportContactRecord`.");

/// A better-off check with a client before a job start or a change of hours.
pub struct BetterOffCheck(pub better_off_check::Model);

/// A better-off check with a client before a job start or a change of hours (work-incentives
/// planning).
#[Object]
impl BetterOffCheck {
    /// Opaque id.
    async fn id(&self) -> ID {
        ids::encode(Kind::BetterOffCheck, self.0.id)
    }

    /// The day of the check.
    async fn checked_on(&self) -> Date {
        Date(self.0.checked_on)
    }

    /// Who did it.
    async fn checked_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.checked_by_id, "better_off_check.checked_by_id").await
    }

    /// The id of the application (the job offer) it was for.
    async fn application_id(&self) -> Option<ID> {
        self.0
            .application_id
            .map(|id| ids::encode(Kind::Application, id))
    }

    /// The id of the job start it was for.
    async fn job_start_id(&self) -> Option<ID> {
        self.0
            .job_start_id
            .map(|id| ids::encode(Kind::JobStart, id))
    }

    /// For a change of hours: the hours a week it was worked out for.
    async fn hours_change_to(&self) -> Option<f64> {
        self.0.hours_change_to
    }

    /// What it found.
    async fn outcome(&self) -> Result<BetterOffOutcome> {
        Ok(BetterOffOutcome::from_db(&self.0.outcome)?)
    }

    /// Whether the client was referred to a welfare-rights adviser.
    async fn referred_to_welfare_rights(&self) -> bool {
        self.0.referred_to_welfare_rights
    }
}

pub use ipsmatch_core::pipeline::better_off::{BetterOffCheckRecordInput, BetterOffOutcome};

crate::mutation_payload!(
    BetterOffCheckRecordPayload,
    check: BetterOffCheck,
    "Result of `betterOffCheckRecord`."
);
