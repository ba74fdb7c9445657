//! GraphQL types for vacancies (schema.org JobPosting is the vocabulary they map to).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use entities::vacancy;

use crate::dates::Date;
use crate::employers::types::{Employer, Sector};
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};
use crate::staff::types::Staff;
use crate::stored_enum;

stored_enum! {
    /// Where a vacancy is in its life.
    pub enum VacancyStatus {
        /// Being written; not yet offered to anyone.
        Draft = "DRAFT",
        /// Open to applications.
        Open = "OPEN",
        /// Filled.
        Filled = "FILLED",
        /// Withdrawn by the employer or the service.
        Closed = "CLOSED",
        /// Its closing date passed while it was open (set by the service, never by hand).
        Expired = "EXPIRED",
    }
}

stored_enum! {
    /// The kind of contract offered.
    pub enum ContractType {
        /// Permanent.
        Permanent = "PERMANENT",
        /// Temporary or agency.
        Temporary = "TEMPORARY",
        /// For a fixed term.
        FixedTerm = "FIXED_TERM",
        /// Zero hours.
        ZeroHours = "ZERO_HOURS",
        /// An apprenticeship.
        Apprenticeship = "APPRENTICESHIP",
    }
}

stored_enum! {
    /// The period a pay figure is given per.
    pub enum PayPeriod {
        /// Per hour.
        Hourly = "HOURLY",
        /// Per week.
        Weekly = "WEEKLY",
        /// Per year.
        Annual = "ANNUAL",
    }
}

stored_enum! {
    /// When the work happens.
    pub enum ShiftPattern {
        /// Daytime hours.
        Days = "DAYS",
        /// Evenings.
        Evenings = "EVENINGS",
        /// Nights.
        Nights = "NIGHTS",
        /// Weekends.
        Weekends = "WEEKENDS",
        /// Early starts (before 7am).
        EarlyStarts = "EARLY_STARTS",
    }
}

stored_enum! {
    /// Features of the workplace that matter to people in recovery; clients can avoid or prefer them.
    pub enum WorkEnvironment {
        /// Alcohol is sold or served.
        AlcoholServed = "ALCOHOL_SERVED",
        /// Handling cash.
        CashHandling = "CASH_HANDLING",
        /// Driving is part of the job (a licence is needed).
        Driving = "DRIVING",
        /// Working alone.
        LoneWorking = "LONE_WORKING",
        /// Night work.
        NightWork = "NIGHT_WORK",
        /// Heavy lifting.
        HeavyLifting = "HEAVY_LIFTING",
        /// Working at height.
        WorkingAtHeight = "WORKING_AT_HEIGHT",
        /// Dealing with the public.
        PublicFacing = "PUBLIC_FACING",
        /// Working with children or vulnerable adults.
        VulnerablePeople = "VULNERABLE_PEOPLE",
        /// Access to medicines.
        MedicinesAccess = "MEDICINES_ACCESS",
    }
}

stored_enum! {
    /// The criminal-record check (Disclosure and Barring Service) the job requires.
    pub enum DbsLevel {
        /// No check.
        None = "NONE",
        /// Basic: unspent convictions.
        Basic = "BASIC",
        /// Standard: spent and unspent convictions and cautions.
        Standard = "STANDARD",
        /// Enhanced: as standard plus local police information.
        Enhanced = "ENHANCED",
        /// Enhanced with a check of the barred lists.
        EnhancedBarred = "ENHANCED_BARRED",
    }
}

stored_enum! {
    /// The employer's drug and alcohol testing.
    pub enum DrugTesting {
        /// No testing.
        None = "NONE",
        /// A test before the job starts.
        PreEmployment = "PRE_EMPLOYMENT",
        /// Random testing in work.
        Random = "RANDOM",
        /// Testing after an incident or on suspicion.
        ForCause = "FOR_CAUSE",
    }
}

stored_enum! {
    /// Version of the Standard Occupational Classification a code belongs to.
    pub enum SocVersion {
        /// SOC 2010.
        #[graphql(name = "SOC2010")]
        Soc2010 = "SOC2010",
        /// SOC 2020.
        #[graphql(name = "SOC2020")]
        Soc2020 = "SOC2020",
    }
}

stored_enum! {
    /// Where a vacancy came from.
    pub enum VacancySourceKind {
        /// Developed by a specialist with an employer (IPS job development).
        Developed = "DEVELOPED",
        /// Given to the service by the employer.
        Employer = "EMPLOYER",
        /// Synced from an external feed (e.g. a local employment service).
        Feed = "FEED",
    }
}

/// A job vacancy.
#[derive(Clone)]
pub struct Vacancy(pub vacancy::Model);

/// Reads a comma-separated stored list of an enum.
fn stored_list<T>(
    text: &str,
    read: impl Fn(&str) -> Result<T, crate::error::ApiError>,
) -> Result<Vec<T>> {
    text.split(',')
        .filter(|t| !t.is_empty())
        .map(|t| read(t).map_err(Into::into))
        .collect()
}

/// A job vacancy.
#[Object]
impl Vacancy {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Vacancy, self.0.id)
    }

    /// The vacancy's own facts (title, pay, hours, …), shared with the integrator schema.
    #[graphql(flatten)]
    async fn details(&self) -> VacancyDetails<'_> {
        VacancyDetails(&self.0)
    }

    /// The employer's record, when the service knows the employer.
    async fn employer(&self, ctx: &Context<'_>) -> Result<Option<Employer>> {
        Ok(employer_row(ctx, &self.0).await?.map(Employer))
    }

    /// The hiring organisation's name: the employer record's, or the one the source gave.
    async fn employer_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        hiring_name(ctx, &self.0).await
    }

    /// Who recorded it (null for vacancies from a feed).
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        let Some(id) = self.0.created_by_id else {
            return Ok(None);
        };
        let row = loaders(ctx)?
            .staff
            .load_one(id)
            .await
            .map_err(load_failed)?;
        Ok(row.map(Staff))
    }

    /// The clients you support (your caseload; your team's as a team lead) ranked for this
    /// vacancy, with the same explanations as `Client.matches`.
    #[graphql(
        complexity = "crate::limits::costly(crate::limits::CANDIDATES_COST, child_complexity, first)"
    )]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many clients (at most 100).")] first: Option<i32>,
        #[graphql(
            desc = "Also list clients a hard rule keeps apart, with the rule.",
            default
        )]
        include_excluded: bool,
    ) -> Result<Vec<crate::clients::suggestions::CandidateMatch>> {
        let me = crate::auth::viewer(ctx)?;
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        let weights = ctx.data::<crate::clients::matching::MatchWeights>()?;
        Ok(crate::clients::suggestions::vacancy_candidates(
            db,
            me,
            weights,
            &self.0,
            first,
            include_excluded,
        )
        .await?)
    }
}

/// A vacancy's employer record, through the request's loader (both schemas' `Vacancy.employer`).
pub(crate) async fn employer_row(
    ctx: &Context<'_>,
    row: &vacancy::Model,
) -> Result<Option<entities::employer::Model>> {
    let Some(id) = row.employer_id else {
        return Ok(None);
    };
    Ok(loaders(ctx)?
        .employers
        .load_one(id)
        .await
        .map_err(load_failed)?)
}

/// The hiring organisation's name: the employer record's, or the one the source gave.
pub(crate) async fn hiring_name(ctx: &Context<'_>, row: &vacancy::Model) -> Result<Option<String>> {
    Ok(employer_row(ctx, row)
        .await?
        .map(|e| e.name)
        .or_else(|| row.employer_name.clone()))
}

/// The facts of a vacancy every audience may see, flattened into each schema's `Vacancy` (the
/// staff one adds who recorded it and the candidates; the integrator one adds JSON-LD).
pub struct VacancyDetails<'a>(pub &'a vacancy::Model);

/// The facts of a vacancy every audience may see.
#[Object(visible = false)]
impl VacancyDetails<'_> {
    /// Job title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What the job involves.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Skills asked for.
    async fn skills(&self) -> Vec<&str> {
        self.0.skills.lines().filter(|s| !s.is_empty()).collect()
    }

    /// The occupation (SOC unit group), when coded.
    async fn occupation(&self) -> Result<Option<Occupation>> {
        let (Some(code), Some(version)) = (&self.0.soc_code, &self.0.soc_version) else {
            return Ok(None);
        };
        let version = SocVersion::from_db(version)?;
        Ok(Some(Occupation {
            title: super::service::soc_title(version, code).map(str::to_string),
            code: code.clone(),
            version,
        }))
    }

    /// Industry (SIC 2007 section).
    async fn sector(&self) -> Result<Option<Sector>> {
        Ok(self.0.sector.as_deref().map(Sector::from_db).transpose()?)
    }

    /// Where the work is; null for remote-only vacancies without a base.
    async fn location(&self) -> Option<Location> {
        let v = &self.0;
        if v.town.is_none() && v.postcode.is_none() && v.latitude.is_none() {
            return None;
        }
        Some(Location {
            town: v.town.clone(),
            postcode: v.postcode.clone(),
            latitude: v.latitude,
            longitude: v.longitude,
        })
    }

    /// The work can be done from home.
    async fn remote(&self) -> bool {
        self.0.remote
    }

    /// Fewest hours a week.
    async fn hours_per_week_min(&self) -> Option<f64> {
        self.0.hours_min
    }

    /// Most hours a week.
    async fn hours_per_week_max(&self) -> Option<f64> {
        self.0.hours_max
    }

    /// When the work happens.
    async fn shifts(&self) -> Result<Vec<ShiftPattern>> {
        stored_list(&self.0.shifts, ShiftPattern::from_db)
    }

    /// Pay, when stated.
    async fn pay(&self) -> Result<Option<Pay>> {
        let v = &self.0;
        let Some(period) = &v.pay_period else {
            return Ok(None);
        };
        Ok(Some(Pay {
            min: v.pay_min,
            max: v.pay_max,
            period: PayPeriod::from_db(period)?,
            hourly_min: v.pay_min_hourly,
            hourly_max: v.pay_max_hourly,
        }))
    }

    /// The kind of contract.
    async fn contract_type(&self) -> Result<ContractType> {
        Ok(ContractType::from_db(&self.0.contract_type)?)
    }

    /// Last day to apply.
    async fn closing_date(&self) -> Option<Date> {
        self.0.closing_date.map(Date)
    }

    /// Where the vacancy is in its life.
    async fn status(&self) -> Result<VacancyStatus> {
        Ok(VacancyStatus::from_db(&self.0.status)?)
    }

    /// Where the vacancy came from.
    async fn source(&self) -> VacancySource {
        super::service::read_source(&self.0.source)
    }

    /// The vacancy's id at its source (unique per source).
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }

    /// Features of the workplace (alcohol served, cash handling, driving, …).
    async fn environments(&self) -> Result<Vec<WorkEnvironment>> {
        stored_list(&self.0.environments, WorkEnvironment::from_db)
    }

    /// The criminal-record check the job requires.
    async fn dbs_level(&self) -> Result<DbsLevel> {
        Ok(DbsLevel::from_db(&self.0.dbs_level)?)
    }

    /// The employer's drug and alcohol testing.
    async fn drug_testing(&self) -> Result<DrugTesting> {
        Ok(DrugTesting::from_db(&self.0.drug_testing)?)
    }

    /// When the vacancy first opened.
    async fn posted_at(&self) -> Option<DateTime<Utc>> {
        self.0.posted_at
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Changes with every update; send it back with an update to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// An occupation: a unit group of the Standard Occupational Classification.
#[derive(SimpleObject)]
pub struct Occupation {
    /// The 4-digit unit-group code, e.g. `9272`.
    pub code: String,
    /// Which SOC the code belongs to.
    pub version: SocVersion,
    /// The unit group's title, when the service knows it (SOC 2010).
    pub title: Option<String>,
}

/// Where a vacancy's work is.
#[derive(SimpleObject, InputObject, Clone, Debug, Default, PartialEq)]
#[graphql(input_name = "LocationInput")]
pub struct Location {
    /// Town or city.
    pub town: Option<String>,
    /// Postcode as written.
    pub postcode: Option<String>,
    /// Latitude in degrees (WGS84); give with longitude.
    pub latitude: Option<f64>,
    /// Longitude in degrees (WGS84); give with latitude.
    pub longitude: Option<f64>,
}

/// Pay for a vacancy.
#[derive(SimpleObject)]
pub struct Pay {
    /// Lowest pay, per period.
    pub min: Option<f64>,
    /// Highest pay, per period.
    pub max: Option<f64>,
    /// The period the figures are per.
    pub period: PayPeriod,
    /// Lowest pay in pounds per hour (weekly and annual pay divided by the hours; 37.5 a week when
    /// the vacancy gives none).
    pub hourly_min: Option<f64>,
    /// Highest pay in pounds per hour.
    pub hourly_max: Option<f64>,
}

/// Where a vacancy came from.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "VacancySourceInput")]
pub struct VacancySource {
    /// Developed, from the employer, or from a feed.
    pub kind: VacancySourceKind,
    /// The feed's key (lower case, e.g. `dwp-find-a-job`) when the kind is FEED.
    pub feed: Option<String>,
}

/// The occupation of a vacancy.
#[derive(InputObject, Clone, Debug, PartialEq)]
pub struct OccupationInput {
    /// The 4-digit unit-group code.
    pub code: String,
    /// Which SOC the code belongs to (default SOC2010).
    #[graphql(default_with = "SocVersion::Soc2010")]
    pub version: SocVersion,
}

/// Pay for a vacancy.
#[derive(InputObject, Clone, Debug, PartialEq)]
pub struct PayInput {
    /// Lowest pay, per period.
    pub min: Option<f64>,
    /// Highest pay, per period.
    pub max: Option<f64>,
    /// The period the figures are per.
    pub period: PayPeriod,
}

/// The facts of a vacancy as a caller gives them, shared by `vacancyCreate` and the integrators'
/// sync: flattened into each input (the type itself is hidden).
#[derive(InputObject, Clone, Debug, PartialEq)]
#[graphql(visible = false)]
pub struct VacancyFactsInput {
    /// Job title.
    pub title: String,
    /// What the job involves.
    #[graphql(default)]
    pub description: String,
    /// Skills asked for.
    #[graphql(default)]
    pub skills: Vec<String>,
    /// The hiring organisation's name, when there is no employer record.
    pub employer_name: Option<String>,
    /// The occupation.
    pub occupation: Option<OccupationInput>,
    /// Industry.
    pub sector: Option<Sector>,
    /// Where the work is.
    pub location: Option<Location>,
    /// The work can be done from home.
    #[graphql(default)]
    pub remote: bool,
    /// Fewest hours a week.
    pub hours_per_week_min: Option<f64>,
    /// Most hours a week.
    pub hours_per_week_max: Option<f64>,
    /// When the work happens.
    #[graphql(default)]
    pub shifts: Vec<ShiftPattern>,
    /// Pay.
    pub pay: Option<PayInput>,
    /// Last day to apply.
    pub closing_date: Option<Date>,
    /// Features of the workplace.
    #[graphql(default)]
    pub environments: Vec<WorkEnvironment>,
    /// The criminal-record check required (default NONE).
    #[graphql(default_with = "DbsLevel::None")]
    pub dbs_level: DbsLevel,
    /// The employer's drug and alcohol testing (default NONE).
    #[graphql(default_with = "DrugTesting::None")]
    pub drug_testing: DrugTesting,
}

/// Fields of a new vacancy.
#[derive(InputObject)]
pub struct VacancyCreateInput {
    /// Answer only once the change is searchable (at most 5 seconds); default false.
    #[graphql(default)]
    pub wait_until_searchable: bool,
    /// The vacancy's facts.
    #[graphql(flatten)]
    pub facts: VacancyFactsInput,
    /// The employer's record; required unless the vacancy comes from a feed.
    pub employer_id: Option<ID>,
    /// The kind of contract.
    pub contract_type: ContractType,
    /// DRAFT (default) or OPEN.
    #[graphql(default_with = "VacancyStatus::Draft")]
    pub status: VacancyStatus,
    /// Where it came from (default: developed by a specialist).
    pub source: Option<VacancySource>,
    /// Its id at the source; unique per source.
    pub external_id: Option<String>,
}

/// Changes to a vacancy; absent fields stay as they are, null clears an optional one. Status changes
/// go through `vacancyStatusChange`.
#[derive(InputObject)]
pub struct VacancyUpdateInput {
    /// Answer only once the change is searchable (at most 5 seconds); default false.
    #[graphql(default)]
    pub wait_until_searchable: bool,
    /// Which vacancy.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New skills (replace the list).
    pub skills: Option<Vec<String>>,
    /// New employer record (null clears).
    pub employer_id: MaybeUndefined<ID>,
    /// New hiring organisation name (null clears).
    pub employer_name: MaybeUndefined<String>,
    /// New occupation (null clears).
    pub occupation: MaybeUndefined<OccupationInput>,
    /// New industry (null clears).
    pub sector: MaybeUndefined<Sector>,
    /// New location (null clears).
    pub location: MaybeUndefined<Location>,
    /// Remote or not.
    pub remote: Option<bool>,
    /// New fewest hours (null clears).
    pub hours_per_week_min: MaybeUndefined<f64>,
    /// New most hours (null clears).
    pub hours_per_week_max: MaybeUndefined<f64>,
    /// New shifts (replace the list).
    pub shifts: Option<Vec<ShiftPattern>>,
    /// New pay (null clears).
    pub pay: MaybeUndefined<PayInput>,
    /// New contract type.
    pub contract_type: Option<ContractType>,
    /// New closing date (null clears).
    pub closing_date: MaybeUndefined<Date>,
    /// New workplace features (replace the list).
    pub environments: Option<Vec<WorkEnvironment>>,
    /// New criminal-record check.
    pub dbs_level: Option<DbsLevel>,
    /// New testing policy.
    pub drug_testing: Option<DrugTesting>,
}

/// A change of a vacancy's status.
#[derive(InputObject)]
pub struct VacancyStatusChangeInput {
    /// Answer only once the change is searchable (at most 5 seconds); default false.
    #[graphql(default)]
    pub wait_until_searchable: bool,
    /// Which vacancy.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// The new status (EXPIRED is set only by the service).
    pub status: VacancyStatus,
}

/// Narrows the vacancy list.
#[derive(InputObject, Default)]
pub struct VacancyFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<VacancyStatus>>,
    /// Only this employer's vacancies.
    pub employer_id: Option<ID>,
    /// Only vacancies from these kinds of source.
    pub source_kinds: Option<Vec<VacancySourceKind>>,
    /// Only vacancies from this feed.
    pub feed: Option<String>,
    /// Only these contract types.
    pub contract_types: Option<Vec<ContractType>>,
    /// Only these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Only occupations whose SOC code starts with this (e.g. `92` for elementary admin and service).
    pub occupation_prefix: Option<String>,
    /// Only vacancies first opened at or after this moment.
    pub posted_since: Option<DateTime<Utc>>,
    /// Only vacancies closing on or after this date (or with no closing date).
    pub closing_after: Option<Date>,
}

crate::connection_types!(
    VacancyConnection,
    VacancyEdge,
    Vacancy,
    "A page of vacancies, newest first.",
    "A vacancy with its cursor."
);

crate::mutation_payload!(VacancyCreatePayload, vacancy: Vacancy, "Result of `vacancyCreate`.");
crate::mutation_payload!(VacancyUpdatePayload, vacancy: Vacancy, "Result of `vacancyUpdate`.");
crate::mutation_payload!(VacancyStatusChangePayload, vacancy: Vacancy, "Result of `vacancyStatusChange`.");

/// How to order search hits.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum VacancySort {
    /// Best match first.
    #[default]
    Relevance,
    /// Nearest first (with `near`; otherwise by relevance).
    Distance,
    /// Most recently opened first.
    Newest,
    /// Best paid first (by the top of the hourly pay range).
    Pay,
}

/// A point and a radius to search around.
#[derive(InputObject, Clone, Copy)]
pub struct NearInput {
    /// Latitude in degrees (WGS84).
    pub latitude: f64,
    /// Longitude in degrees (WGS84).
    pub longitude: f64,
    /// Radius in kilometres (at most 500).
    pub radius_km: f64,
}

/// Conditions on every search hit.
#[derive(InputObject, Default)]
pub struct VacancySearchFilter {
    /// Only these statuses (default: OPEN only).
    pub statuses: Option<Vec<VacancyStatus>>,
    /// Only vacancies first opened at or after this moment.
    pub posted_since: Option<DateTime<Utc>>,
    /// Only vacancies closing on or after this date (or with no closing date).
    pub closing_after: Option<Date>,
    /// Only vacancies that may pay at least this many pounds an hour.
    pub min_hourly_pay: Option<f64>,
    /// Only vacancies offering at least this many hours a week.
    pub hours_per_week_at_least: Option<f64>,
    /// Only vacancies that can be done in at most this many hours a week.
    pub hours_per_week_at_most: Option<f64>,
    /// Only these contract types.
    pub contract_types: Option<Vec<ContractType>>,
    /// Only vacancies with any of these shift patterns.
    pub shifts: Option<Vec<ShiftPattern>>,
    /// Only these sectors.
    pub sectors: Option<Vec<Sector>>,
    /// Only occupations whose SOC code starts with these digits.
    pub occupation_prefix: Option<String>,
    /// Only this employer's vacancies.
    pub employer_id: Option<ID>,
    /// Only these sources: `DEVELOPED`, `EMPLOYER` or feed keys.
    pub sources: Option<Vec<String>>,
    /// Never return a vacancy with any of these workplace features.
    pub exclude_environments: Option<Vec<WorkEnvironment>>,
}

/// One search hit.
#[derive(SimpleObject, Clone)]
pub struct VacancySearchHit {
    /// The vacancy, as the database holds it now.
    pub vacancy: Vacancy,
    /// Relevance score (higher is better; comparable within one search only).
    pub score: f64,
    /// Kilometres from the search point, when searching `near` one.
    pub distance_km: Option<f64>,
    /// The title, HTML-escaped, with matched words in `<b>`.
    pub title_html: String,
    /// A passage of the description, HTML-escaped, with matched words in `<b>`; empty when none matched.
    pub description_html: String,
}

/// How many matching vacancies have one value of one dimension.
#[derive(SimpleObject, Clone)]
pub struct SearchFacetCount {
    /// `sector`, `contract`, `shift`, `environment`, `source` or `soc` (SOC major group).
    pub dimension: String,
    /// The value, as the matching enum's name (or feed key, or SOC major group digit).
    pub value: String,
    /// How many matching vacancies have it.
    pub count: i64,
}

crate::connection_types!(
    VacancySearchConnection,
    VacancySearchEdge,
    VacancySearchHit,
    "A page of search hits, in the requested order.",
    "A search hit with its cursor."
);

/// The result of `vacancySearch`.
#[derive(SimpleObject)]
pub struct VacancySearchResult {
    /// The hits, paged.
    pub hits: VacancySearchConnection,
    /// Counts per dimension over every match (not just this page).
    pub facets: Vec<SearchFacetCount>,
}
