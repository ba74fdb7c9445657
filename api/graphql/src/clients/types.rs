//! GraphQL types of clients: the client, their caseload and status history, the special-category
//! facts (reached only through `Client.sensitive` with a purpose), the vocational profile and the
//! job preferences.

pub use super::inputs::{
    ClientAssignInput, ClientFilter, ClientRegisterInput, ClientSensitiveRecordInput,
    ClientStatusChangeInput, ClientUpdateInput, FreeWindow, JobPreferencesRecordInput,
    VocationalProfileRecordInput,
};
pub use super::model::{
    BenefitsStatus, ClientStatus, CriminalRecordStatus, DischargeReason, EmploymentAtReferral,
    Licence, ReferralSource, SensitivePurpose, SubstanceGroup, TreatmentStatus, Weekday,
};
use crate::auth::viewer;
use crate::dates::Date;
use crate::employers::model::Sector;
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};
use crate::staff::types::{Staff, Team};
use crate::staff::types::{required_staff, staff_by_id};
use crate::vacancies::model::{ContractType, ShiftPattern, WorkEnvironment};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entities::{
    caseload_assignment, client, client_sensitive, client_status_episode, job_preference,
    vocational_profile,
};
use sea_orm::DatabaseConnection;

fn list<T: Copy>(
    stored: &str,
    from_db: fn(&str) -> Result<T, crate::error::ApiError>,
) -> Result<Vec<T>> {
    Ok(stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(from_db)
        .collect::<Result<_, _>>()?)
}

fn lines(stored: &str) -> Vec<String> {
    stored
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A person on an IPS caseload. Reached only by their specialist and their team's lead.
#[derive(Clone)]
pub struct Client(pub client::Model);

/// A person on an IPS caseload. Reached only by their specialist and their team's lead.
#[Object]
impl Client {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Client, self.0.id)
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The client's reference in exports such as IPS Grow's (`C-` and ten hex digits): stable,
    /// neither their name nor the database id.
    async fn reference(&self) -> String {
        super::service::reference(self.0.id)
    }

    /// Phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Home town.
    async fn town(&self) -> Option<&str> {
        self.0.town.as_deref()
    }

    /// Home postcode.
    async fn postcode(&self) -> Option<&str> {
        self.0.postcode.as_deref()
    }

    /// The team (and site) supporting the client.
    async fn team(&self, ctx: &Context<'_>) -> Result<Team> {
        loaders(ctx)?
            .teams
            .load_one(self.0.team_id)
            .await
            .map_err(load_failed)?
            .map(Team)
            .ok_or_else(|| crate::loaders::missing_row("team_id"))
    }

    /// When the client was referred to the employment service.
    async fn referral_date(&self) -> Date {
        Date(self.0.referral_date)
    }

    /// Who referred them.
    async fn referral_source(&self) -> Result<ReferralSource> {
        Ok(ReferralSource::from_db(&self.0.referral_source)?)
    }

    /// Their employment when referred; null when not recorded.
    async fn employment_at_referral(&self) -> Result<Option<EmploymentAtReferral>> {
        Ok(self
            .0
            .employment_at_referral
            .as_deref()
            .map(EmploymentAtReferral::from_db)
            .transpose()?)
    }

    /// Their treatment keyworker's name.
    async fn keyworker_name(&self) -> Option<&str> {
        self.0.keyworker_name.as_deref()
    }

    /// How to reach their keyworker.
    async fn keyworker_contact(&self) -> Option<&str> {
        self.0.keyworker_contact.as_deref()
    }

    /// Current status.
    async fn status(&self) -> Result<ClientStatus> {
        Ok(ClientStatus::from_db(&self.0.status)?)
    }

    /// Every status episode, oldest first.
    async fn status_history(&self, ctx: &Context<'_>) -> Result<Vec<ClientStatusEpisode>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::status_history(db, &self.0)
            .await?
            .into_iter()
            .map(ClientStatusEpisode)
            .collect())
    }

    /// The specialist supporting the client now.
    async fn specialist(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        let db = ctx.data::<DatabaseConnection>()?;
        let current = super::records::current_assignment(db, &self.0).await?;
        match current {
            Some(row) => staff_by_id(ctx, row.specialist_id).await,
            None => Ok(None),
        }
    }

    /// Every assignment to a specialist, oldest first (reassigning keeps the history).
    async fn assignments(&self, ctx: &Context<'_>) -> Result<Vec<CaseloadAssignment>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::assignments(db, &self.0)
            .await?
            .into_iter()
            .map(CaseloadAssignment)
            .collect())
    }

    /// Special-category facts (substance group, treatment, criminal record, benefits). Reading them
    /// needs a purpose and writes an audit event first; null when none are recorded.
    async fn sensitive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Why you need them; recorded in the audit log.")]
        purpose: SensitivePurpose,
    ) -> Result<Option<ClientSensitive>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::service::read_sensitive(db, me, self.0.id, purpose)
            .await?
            .map(ClientSensitive))
    }

    /// The current vocational profile; null before one is recorded.
    async fn profile(&self, ctx: &Context<'_>) -> Result<Option<VocationalProfile>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::service::current_profile(db, self.0.id)
            .await?
            .map(VocationalProfile))
    }

    /// Every version of the vocational profile, newest first.
    async fn profile_history(&self, ctx: &Context<'_>) -> Result<Vec<VocationalProfile>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::profile_history(db, &self.0)
            .await?
            .into_iter()
            .map(VocationalProfile)
            .collect())
    }

    /// The current job preferences; null before they are recorded.
    async fn preferences(&self, ctx: &Context<'_>) -> Result<Option<JobPreferences>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::service::current_preferences(db, self.0.id)
            .await?
            .map(JobPreferences))
    }

    /// Every version of the job preferences, newest first.
    async fn preferences_history(&self, ctx: &Context<'_>) -> Result<Vec<JobPreferences>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::preferences_history(db, &self.0)
            .await?
            .into_iter()
            .map(JobPreferences)
            .collect())
    }

    /// Vacancies to talk over with the client, best fit first, each with its factors and warnings.
    /// Hard rules (avoided workplaces, travel, minimum pay, hours, free times, open vacancies only)
    /// are never broken; `includeNearMisses` lists vacancies that matched but broke one, and why.
    #[graphql(
        complexity = "crate::limits::costly(crate::limits::MATCHES_COST, child_complexity, first)"
    )]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many suggestions (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Suggestions after this cursor.")] after: Option<String>,
        #[graphql(desc = "Also list near misses with the rule each broke.", default)]
        include_near_misses: bool,
    ) -> Result<super::suggestions::MatchSuggestionConnection> {
        super::suggestions::client_matches(ctx, &self.0, first, after, include_near_misses).await
    }

    /// The client's applications, newest first.
    async fn applications(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::pipeline::types::Application>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::applications(db, &self.0)
            .await?
            .into_iter()
            .map(crate::pipeline::types::Application)
            .collect())
    }

    /// Jobs the client started, newest first.
    async fn jobs(&self, ctx: &Context<'_>) -> Result<Vec<crate::pipeline::types::JobStart>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::job_starts(db, &self.0)
            .await?
            .into_iter()
            .map(crate::pipeline::types::JobStart)
            .collect())
    }

    /// In-work support contacts, newest first.
    async fn support_contacts(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::pipeline::types::SupportContact>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::support_contacts(db, &self.0)
            .await?
            .into_iter()
            .map(crate::pipeline::types::SupportContact)
            .collect())
    }

    /// The client's consents, newest version of each (in force or not), newest first.
    async fn consents(&self, ctx: &Context<'_>) -> Result<Vec<crate::consent::types::Consent>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(crate::consent::service::client_consents(db, &self.0)
            .await?
            .into_iter()
            .map(crate::consent::types::Consent)
            .collect())
    }

    /// Every version of every consent, with its evidence, oldest first.
    async fn consent_history(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::consent::types::Consent>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(crate::consent::service::client_consent_history(db, &self.0)
            .await?
            .into_iter()
            .map(crate::consent::types::Consent)
            .collect())
    }

    /// The client's consents to share their progress with a keyworker, newest version of each,
    /// newest first.
    async fn keyworker_consents(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::consent::keyworker::KeyworkerConsent>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(ipsmatch_core::consent::keyworker::for_client(db, &self.0)
            .await?
            .into_iter()
            .map(crate::consent::keyworker::KeyworkerConsent)
            .collect())
    }

    /// Better-off checks with the client, newest first.
    async fn better_off_checks(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::pipeline::types::BetterOffCheck>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(ipsmatch_core::pipeline::better_off::of_client(db, &self.0)
            .await?
            .into_iter()
            .map(crate::pipeline::types::BetterOffCheck)
            .collect())
    }

    /// Attempts to re-engage the client, oldest first.
    async fn outreach_attempts(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::outreach::OutreachAttempt>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::outreach_attempts(db, &self.0)
            .await?
            .into_iter()
            .map(super::outreach::OutreachAttempt)
            .collect())
    }

    /// Conversations about disclosure, oldest first.
    async fn disclosure_discussions(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::consent::types::DisclosureDiscussion>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::disclosure_discussions(db, &self.0)
            .await?
            .into_iter()
            .map(crate::consent::types::DisclosureDiscussion)
            .collect())
    }

    /// The accounting of disclosures: every time an employer was told about the client — who, what,
    /// when, under which consent version. Oldest first.
    async fn disclosures(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::consent::types::Disclosure>> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(super::records::disclosures(db, &self.0)
            .await?
            .into_iter()
            .map(crate::consent::types::Disclosure)
            .collect())
    }

    /// When the client was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Optimistic-concurrency version: send it back with a change.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One stretch of a client's status.
pub struct ClientStatusEpisode(pub client_status_episode::Model);

/// One stretch of a client's status.
#[Object]
impl ClientStatusEpisode {
    /// The status.
    async fn status(&self) -> Result<ClientStatus> {
        Ok(ClientStatus::from_db(&self.0.status)?)
    }

    /// First day of it.
    async fn started_on(&self) -> Date {
        Date(self.0.started_on)
    }

    /// Day it ended; null while it lasts.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }

    /// Why it began.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// A discharge's coded reason; null for other statuses or when none was recorded.
    async fn discharge_reason(&self) -> Result<Option<DischargeReason>> {
        Ok(self
            .0
            .reason_code
            .as_deref()
            .map(DischargeReason::from_db)
            .transpose()?)
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
    }
}

/// A stretch of time a specialist supported a client.
pub struct CaseloadAssignment(pub caseload_assignment::Model);

/// A stretch of time a specialist supported a client.
#[Object]
impl CaseloadAssignment {
    /// The specialist.
    async fn specialist(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.specialist_id, "specialist_id").await
    }

    /// From when.
    async fn assigned_from(&self) -> DateTime<Utc> {
        self.0.assigned_from
    }

    /// Until when; null while current.
    async fn assigned_to(&self) -> Option<DateTime<Utc>> {
        self.0.assigned_to
    }

    /// Why the client was assigned (or reassigned).
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// Who assigned them.
    async fn assigned_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.assigned_by_id, "assigned_by_id").await
    }
}

/// Special-category facts about a client, one version. Every read is in the audit log.
pub struct ClientSensitive(pub client_sensitive::Model);

/// Special-category facts about a client, one version. Every read is in the audit log.
#[Object]
impl ClientSensitive {
    /// The substance group they are in treatment for.
    async fn primary_substance_group(&self) -> Result<Option<SubstanceGroup>> {
        Ok(self
            .0
            .primary_substance_group
            .as_deref()
            .map(SubstanceGroup::from_db)
            .transpose()?)
    }

    /// Where they are in treatment.
    async fn treatment_status(&self) -> Result<Option<TreatmentStatus>> {
        Ok(self
            .0
            .treatment_status
            .as_deref()
            .map(TreatmentStatus::from_db)
            .transpose()?)
    }

    /// Criminal record, as they report it.
    async fn criminal_record_status(&self) -> Result<Option<CriminalRecordStatus>> {
        Ok(self
            .0
            .criminal_record_status
            .as_deref()
            .map(CriminalRecordStatus::from_db)
            .transpose()?)
    }

    /// Benefits they receive.
    async fn benefits_status(&self) -> Result<Option<BenefitsStatus>> {
        Ok(self
            .0
            .benefits_status
            .as_deref()
            .map(BenefitsStatus::from_db)
            .transpose()?)
    }

    /// Version number (1 for the first record).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When this version was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
    }
}

/// What a client brings to work, one version.
pub struct VocationalProfile(pub vocational_profile::Model);

/// What a client brings to work, one version.
#[Object]
impl VocationalProfile {
    /// Version number (1 for the first).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The work they are aiming for, in their words.
    async fn work_goal(&self) -> &str {
        &self.0.work_goal
    }

    /// Jobs they have done.
    async fn work_history(&self) -> &str {
        &self.0.work_history
    }

    /// Skills.
    async fn skills(&self) -> Vec<String> {
        lines(&self.0.skills)
    }

    /// Qualifications.
    async fn qualifications(&self) -> Vec<String> {
        lines(&self.0.qualifications)
    }

    /// Licences and cards held.
    async fn licences(&self) -> Result<Vec<Licence>> {
        list(&self.0.licences, Licence::from_db)
    }

    /// What stands in the way, as they see it.
    async fn barriers(&self) -> &str {
        &self.0.barriers
    }

    /// When this version was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
    }
}

/// The work a client wants, one version; it drives matching.
pub struct JobPreferences(pub job_preference::Model);

/// The work a client wants, one version; it drives matching.
#[Object]
impl JobPreferences {
    /// Version number (1 for the first).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Wanted occupations as SOC 2010 codes (unit groups, or shorter prefixes for a whole group).
    async fn occupations(&self) -> Vec<String> {
        self.0
            .occupations
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Wanted jobs in the client's own words.
    async fn occupation_titles(&self) -> Vec<String> {
        lines(&self.0.occupation_titles)
    }

    /// Other words to look for in vacancies.
    async fn keywords(&self) -> Vec<String> {
        lines(&self.0.keywords)
    }

    /// Sectors of interest (empty: any).
    async fn sectors(&self) -> Result<Vec<Sector>> {
        list(&self.0.sectors, Sector::from_db)
    }

    /// Fewest hours a week wanted.
    async fn hours_per_week_min(&self) -> Option<f64> {
        self.0.hours_min
    }

    /// Most hours a week wanted.
    async fn hours_per_week_max(&self) -> Option<f64> {
        self.0.hours_max
    }

    /// Shift patterns the client can work (empty: any).
    async fn shifts(&self) -> Result<Vec<ShiftPattern>> {
        list(&self.0.shifts, ShiftPattern::from_db)
    }

    /// Times that must stay free every week.
    async fn free_windows(&self) -> Vec<FreeWindow> {
        serde_json::from_str(&self.0.free_windows).unwrap_or_default()
    }

    /// Acceptable contract types (empty: any).
    async fn contract_types(&self) -> Result<Vec<ContractType>> {
        list(&self.0.contract_types, ContractType::from_db)
    }

    /// Lowest acceptable pay, pounds an hour.
    async fn min_hourly_pay(&self) -> Option<f64> {
        self.0.min_hourly_pay
    }

    /// Home town (for travel).
    async fn home_town(&self) -> Option<&str> {
        self.0.home_town.as_deref()
    }

    /// Home latitude.
    async fn home_latitude(&self) -> Option<f64> {
        self.0.home_latitude
    }

    /// Home longitude.
    async fn home_longitude(&self) -> Option<f64> {
        self.0.home_longitude
    }

    /// Furthest the client will travel, in kilometres.
    async fn max_travel_km(&self) -> Option<f64> {
        self.0.max_travel_km
    }

    /// Whether remote work suits.
    async fn remote_ok(&self) -> bool {
        self.0.remote_ok
    }

    /// Workplace features the client must not be matched with (hard exclusions).
    async fn avoid_environments(&self) -> Result<Vec<WorkEnvironment>> {
        list(&self.0.avoid_environments, WorkEnvironment::from_db)
    }

    /// Workplace features the client would like.
    async fn prefer_environments(&self) -> Result<Vec<WorkEnvironment>> {
        list(&self.0.prefer_environments, WorkEnvironment::from_db)
    }

    /// When this version was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "recorded_by_id").await
    }
}

crate::connection_types!(
    ClientConnection,
    ClientEdge,
    Client,
    "A page of clients, by name.",
    "A client with their cursor."
);

crate::mutation_payload!(ClientRegisterPayload, client: Client, "Result of `clientRegister`.");

crate::mutation_payload!(ClientUpdatePayload, client: Client, "Result of `clientUpdate`.");

crate::mutation_payload!(ClientStatusChangePayload, client: Client, "Result of `clientStatusChange`.");

crate::mutation_payload!(ClientAssignPayload, client: Client, "Result of `clientAssign`.");

crate::mutation_payload!(ClientSensitiveRecordPayload, client: Client, "Result of `clientSensitiveRecord` (the facts themselves are read through `Client.sensitive`).");

crate::mutation_payload!(VocationalProfileRecordPayload, profile: VocationalProfile, "Result of `vocationalProfileRecord`.");

crate::mutation_payload!(JobPreferencesRecordPayload, preferences: JobPreferences, "Result of `jobPreferencesRecord`.");
