//! GraphQL inputs and filters of the vacancies context (what services take until they take commands).

use super::model::{
    ContractType, DbsLevel, DrugTesting, PayPeriod, ShiftPattern, SocVersion, VacancySourceKind,
    VacancyStatus, WorkEnvironment,
};
use crate::dates::Date;
use crate::employers::model::Sector;
use crate::ids::GlobalId;
use crate::patch::Patch;
use chrono::{DateTime, Utc};

/// Where a vacancy's work is.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::SimpleObject, async_graphql::InputObject)
)]
#[cfg_attr(feature = "graphql", graphql(input_name = "LocationInput"))]
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

/// Where a vacancy came from.
#[derive(Clone)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::SimpleObject, async_graphql::InputObject)
)]
#[cfg_attr(feature = "graphql", graphql(input_name = "VacancySourceInput"))]
pub struct VacancySource {
    /// Developed, from the employer, or from a feed.
    pub kind: VacancySourceKind,
    /// The feed's key (lower case, e.g. `dwp-find-a-job`) when the kind is FEED.
    pub feed: Option<String>,
}

/// The occupation of a vacancy.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct OccupationInput {
    /// The 4-digit unit-group code.
    pub code: String,
    /// Which SOC the code belongs to (default SOC2010).
    #[cfg_attr(feature = "graphql", graphql(default_with = "SocVersion::Soc2010"))]
    pub version: SocVersion,
}

/// Pay for a vacancy.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
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
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
#[cfg_attr(feature = "graphql", graphql(visible = false))]
pub struct VacancyFactsInput {
    /// Job title.
    pub title: String,
    /// What the job involves.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub description: String,
    /// Skills asked for.
    #[cfg_attr(feature = "graphql", graphql(default))]
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
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub remote: bool,
    /// Fewest hours a week.
    pub hours_per_week_min: Option<f64>,
    /// Most hours a week.
    pub hours_per_week_max: Option<f64>,
    /// When the work happens.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub shifts: Vec<ShiftPattern>,
    /// Pay.
    pub pay: Option<PayInput>,
    /// Last day to apply.
    pub closing_date: Option<Date>,
    /// Features of the workplace.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub environments: Vec<WorkEnvironment>,
    /// The criminal-record check required (default NONE).
    #[cfg_attr(feature = "graphql", graphql(default_with = "DbsLevel::None"))]
    pub dbs_level: DbsLevel,
    /// The employer's drug and alcohol testing (default NONE).
    #[cfg_attr(feature = "graphql", graphql(default_with = "DrugTesting::None"))]
    pub drug_testing: DrugTesting,
}

/// Fields of a new vacancy.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancyCreateInput {
    /// Answer only once the change is searchable (at most 5 seconds); default false.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub wait_until_searchable: bool,
    /// The vacancy's facts.
    #[cfg_attr(feature = "graphql", graphql(flatten))]
    pub facts: VacancyFactsInput,
    /// The employer's record; required unless the vacancy comes from a feed.
    pub employer_id: Option<GlobalId>,
    /// The kind of contract.
    pub contract_type: ContractType,
    /// DRAFT (default) or OPEN.
    #[cfg_attr(feature = "graphql", graphql(default_with = "VacancyStatus::Draft"))]
    pub status: VacancyStatus,
    /// Where it came from (default: developed by a specialist).
    pub source: Option<VacancySource>,
    /// Its id at the source; unique per source.
    pub external_id: Option<String>,
}

/// Changes to a vacancy; absent fields stay as they are, null clears an optional one. Status changes
/// go through `vacancyStatusChange`.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancyUpdateInput {
    /// Answer only once the change is searchable (at most 5 seconds); default false.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub wait_until_searchable: bool,
    /// Which vacancy.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New skills (replace the list).
    pub skills: Option<Vec<String>>,
    /// New employer record (null clears).
    pub employer_id: Patch<GlobalId>,
    /// New hiring organisation name (null clears).
    pub employer_name: Patch<String>,
    /// New occupation (null clears).
    pub occupation: Patch<OccupationInput>,
    /// New industry (null clears).
    pub sector: Patch<Sector>,
    /// New location (null clears).
    pub location: Patch<Location>,
    /// Remote or not.
    pub remote: Option<bool>,
    /// New fewest hours (null clears).
    pub hours_per_week_min: Patch<f64>,
    /// New most hours (null clears).
    pub hours_per_week_max: Patch<f64>,
    /// New shifts (replace the list).
    pub shifts: Option<Vec<ShiftPattern>>,
    /// New pay (null clears).
    pub pay: Patch<PayInput>,
    /// New contract type.
    pub contract_type: Option<ContractType>,
    /// New closing date (null clears).
    pub closing_date: Patch<Date>,
    /// New workplace features (replace the list).
    pub environments: Option<Vec<WorkEnvironment>>,
    /// New criminal-record check.
    pub dbs_level: Option<DbsLevel>,
    /// New testing policy.
    pub drug_testing: Option<DrugTesting>,
}

/// A change of a vacancy's status.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancyStatusChangeInput {
    /// Answer only once the change is searchable (at most 5 seconds); default false.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub wait_until_searchable: bool,
    /// Which vacancy.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// The new status (EXPIRED is set only by the service).
    pub status: VacancyStatus,
}

/// Narrows the vacancy list.
#[derive(Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancyFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<VacancyStatus>>,
    /// Only this employer's vacancies.
    pub employer_id: Option<GlobalId>,
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

/// A point and a radius to search around.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct NearInput {
    /// Latitude in degrees (WGS84).
    pub latitude: f64,
    /// Longitude in degrees (WGS84).
    pub longitude: f64,
    /// Radius in kilometres (at most 500).
    pub radius_km: f64,
}

/// Conditions on every search hit.
#[derive(Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
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
    pub employer_id: Option<GlobalId>,
    /// Only these sources: `DEVELOPED`, `EMPLOYER` or feed keys.
    pub sources: Option<Vec<String>>,
    /// Never return a vacancy with any of these workplace features.
    pub exclude_environments: Option<Vec<WorkEnvironment>>,
}

/// Narrows `vacancyPosted`.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancyPostedFilter {
    /// Only vacancies whose SOC code starts with these digits.
    pub occupation_prefix: Option<String>,
    /// Only these contract types.
    pub contract_types: Option<Vec<ContractType>>,
    /// Only these sectors.
    pub sectors: Option<Vec<Sector>>,
}

/// What a list of vacancies is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum VacancyOrderField {
    /// When the vacancy was added.
    CreatedAt,
    /// When the record last changed.
    UpdatedAt,
}

/// How to order a list of vacancies (ties broken by id, so pages never overlap).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VacancyOrder {
    /// What to order by.
    pub field: VacancyOrderField,
    /// Which way.
    pub direction: crate::pagination::OrderDirection,
}

impl Default for VacancyOrder {
    /// CreatedAt descending, as the list ran before it could be ordered.
    fn default() -> Self {
        VacancyOrder {
            field: VacancyOrderField::CreatedAt,
            direction: crate::pagination::OrderDirection::Desc,
        }
    }
}
