//! GraphQL inputs and filters of the clients context (what services take until they take commands).

use super::model::{
    BenefitsStatus, ClientStatus, CriminalRecordStatus, DischargeReason, EmploymentAtReferral,
    Licence, ReferralSource, SubstanceGroup, TreatmentStatus, Weekday,
};
use crate::dates::Date;
use crate::employers::model::Sector;
use crate::ids::GlobalId;
use crate::patch::Patch;
use crate::vacancies::model::{ContractType, ShiftPattern, WorkEnvironment};

/// A time that must stay free every week (a treatment appointment, supervised dispensing).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::SimpleObject, async_graphql::InputObject)
)]
#[cfg_attr(feature = "graphql", graphql(input_name = "FreeWindowInput"))]
pub struct FreeWindow {
    /// The days it applies to.
    pub days: Vec<Weekday>,
    /// Start, `HH:MM` (24-hour).
    pub from: String,
    /// End, `HH:MM` (24-hour), after `from`.
    pub to: String,
    /// Why (e.g. "dispensing"); kept general, never clinical detail.
    pub reason: Option<String>,
}

/// Narrows the client list.
#[derive(Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientFilter {
    /// Words that must appear in the name (any case).
    pub text: Option<String>,
    /// Only these statuses.
    pub statuses: Option<Vec<ClientStatus>>,
    /// Only clients on this specialist's caseload now.
    pub specialist_id: Option<GlobalId>,
}

/// A new client.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientRegisterInput {
    /// Full name.
    pub name: String,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Home town.
    pub town: Option<String>,
    /// Home postcode.
    pub postcode: Option<String>,
    /// Day of referral (not in the future).
    pub referral_date: Date,
    /// Who referred them.
    pub referral_source: ReferralSource,
    /// Their employment when referred (the employment rate counts those out of work).
    pub employment_at_referral: Option<EmploymentAtReferral>,
    /// Treatment keyworker's name.
    pub keyworker_name: Option<String>,
    /// How to reach the keyworker.
    pub keyworker_contact: Option<String>,
    /// The specialist to support them: yourself when you are a specialist (default); a team lead
    /// must name one of their team.
    pub specialist_id: Option<GlobalId>,
}

/// Changes to a client's details; absent fields stay as they are, null clears.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientUpdateInput {
    /// The client.
    pub id: GlobalId,
    /// The version you read.
    pub version: i32,
    /// Full name.
    pub name: Patch<String>,
    /// Phone number.
    pub phone: Patch<String>,
    /// E-mail address.
    pub email: Patch<String>,
    /// Home town.
    pub town: Patch<String>,
    /// Home postcode.
    pub postcode: Patch<String>,
    /// Treatment keyworker's name.
    pub keyworker_name: Patch<String>,
    /// How to reach the keyworker.
    pub keyworker_contact: Patch<String>,
    /// Their employment when referred (null: not recorded).
    pub employment_at_referral: Patch<EmploymentAtReferral>,
}

/// A new status for a client, from a day on.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientStatusChangeInput {
    /// The client.
    pub id: GlobalId,
    /// The version you read.
    pub version: i32,
    /// The new status.
    pub status: ClientStatus,
    /// First day of it (default: today; not before the current episode began).
    pub on: Option<Date>,
    /// Why, in the team's words (kept in the record, never exported).
    pub reason: Option<String>,
    /// Why a discharge happened, as a code (DISCHARGED only): what reports and exports carry.
    pub discharge_reason: Option<DischargeReason>,
}

/// Moves a client to another specialist of their team (team leads).
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientAssignInput {
    /// The client.
    pub id: GlobalId,
    /// The specialist who supports them from now.
    pub specialist_id: GlobalId,
    /// Why.
    pub reason: Option<String>,
}

/// A new version of a client's special-category facts (absent fields: not recorded).
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientSensitiveRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// Substance group in treatment for.
    pub primary_substance_group: Option<SubstanceGroup>,
    /// Where they are in treatment.
    pub treatment_status: Option<TreatmentStatus>,
    /// Criminal record, as they report it.
    pub criminal_record_status: Option<CriminalRecordStatus>,
    /// Benefits received.
    pub benefits_status: Option<BenefitsStatus>,
}

/// A new version of a client's vocational profile.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct VocationalProfileRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// The work they are aiming for.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub work_goal: String,
    /// Jobs they have done.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub work_history: String,
    /// Skills.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub skills: Vec<String>,
    /// Qualifications.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub qualifications: Vec<String>,
    /// Licences and cards held.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub licences: Vec<Licence>,
    /// What stands in the way.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub barriers: String,
}

/// A new version of a client's job preferences.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct JobPreferencesRecordInput {
    /// The client.
    pub client_id: GlobalId,
    /// SOC 2010 codes (4-digit unit groups, or 1–3 digit prefixes).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub occupations: Vec<String>,
    /// Wanted jobs in the client's words.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub occupation_titles: Vec<String>,
    /// Other words to look for.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub keywords: Vec<String>,
    /// Sectors of interest (empty: any).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub sectors: Vec<Sector>,
    /// Fewest hours a week.
    pub hours_per_week_min: Option<f64>,
    /// Most hours a week.
    pub hours_per_week_max: Option<f64>,
    /// Shift patterns they can work (empty: any).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub shifts: Vec<ShiftPattern>,
    /// Times that must stay free.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub free_windows: Vec<FreeWindow>,
    /// Acceptable contract types (empty: any).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub contract_types: Vec<ContractType>,
    /// Lowest acceptable pay, pounds an hour.
    pub min_hourly_pay: Option<f64>,
    /// Home town.
    pub home_town: Option<String>,
    /// Home latitude (with longitude).
    pub home_latitude: Option<f64>,
    /// Home longitude (with latitude).
    pub home_longitude: Option<f64>,
    /// Furthest they will travel, km (needs a home location).
    pub max_travel_km: Option<f64>,
    /// Whether remote work suits.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub remote_ok: bool,
    /// Workplace features to avoid (never matched).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub avoid_environments: Vec<WorkEnvironment>,
    /// Workplace features they would like.
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub prefer_environments: Vec<WorkEnvironment>,
}

/// What a list of clients is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum ClientOrderField {
    /// Name, A to Z ascending.
    Name,
    /// Referral date.
    ReferralDate,
    /// Status (by its name).
    Status,
    /// When the record last changed.
    UpdatedAt,
}

/// How to order a list of clients (ties broken by id, so pages never overlap).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ClientOrder {
    /// What to order by.
    pub field: ClientOrderField,
    /// Which way.
    pub direction: crate::pagination::OrderDirection,
}

impl Default for ClientOrder {
    /// Name ascending, as the list ran before it could be ordered.
    fn default() -> Self {
        ClientOrder {
            field: ClientOrderField::Name,
            direction: crate::pagination::OrderDirection::Asc,
        }
    }
}
