//! GraphQL types for vacancies (schema.org JobPosting is the vocabulary they map to).

pub use super::inputs::{
    Location, NearInput, OccupationInput, PayInput, VacancyCreateInput, VacancyFactsInput,
    VacancyFilter, VacancySearchFilter, VacancySource, VacancyStatusChangeInput,
    VacancyUpdateInput,
};
pub use super::model::{
    ContractType, DbsLevel, DrugTesting, PayPeriod, ShiftPattern, SocVersion, VacancySourceKind,
    VacancyStatus, WorkEnvironment,
};
use crate::dates::Date;
use crate::employers::model::Sector;
use crate::employers::types::Employer;
use crate::ids::{self, Kind};
use crate::loaders::{load_failed, loaders};
use crate::staff::types::Staff;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entities::vacancy;

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
        let weights = ctx.data::<crate::matching::MatchWeights>()?;
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

pub use super::model::VacancySort;

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

pub use super::search::{OccupationReading, OccupationSuggestion, SearchFacetCount};

crate::connection_types!(
    VacancySearchConnection,
    VacancySearchEdge,
    VacancySearchHit,
    "The result of `vacancySearch`: a page of hits in the requested order, with counts per dimension beside them.",
    "A search hit with its cursor.",
    {
        /// Counts per dimension over every match (not just this page).
        pub facets: Vec<SearchFacetCount>,
        /// When nothing matched the words: the text spelt with the closest words vacancies hold
        /// ("warehouse" for "wearhose"), to offer as "did you mean"; null otherwise.
        pub did_you_mean: Option<String>,
        /// The occupations (SOC 2010 unit groups) the words were read as, likeliest first: vacancies
        /// in them rank higher, none are left out. Empty when no occupation stands out.
        pub understood_as: Vec<OccupationReading>,
    }
);

impl From<super::search::SearchFound> for VacancySearchConnection {
    fn from(found: super::search::SearchFound) -> Self {
        let page = found.hits.map(|hit| VacancySearchHit {
            vacancy: Vacancy(hit.vacancy),
            score: hit.score,
            distance_km: hit.distance_km,
            title_html: hit.title_html,
            description_html: hit.description_html,
        });
        let (edges, nodes) = Self::split(page.items);
        VacancySearchConnection {
            edges,
            nodes,
            page_info: page.info,
            total_count: page.total,
            facets: found.facets,
            did_you_mean: found.did_you_mean,
            understood_as: found.understood_as,
        }
    }
}
