//! GraphQL inputs and filters of the clients context (what services take until they take commands).

use super::model::{
    BenefitsStatus, ClientStatus, CriminalRecordStatus, DischargeReason, EmploymentAtReferral,
    Licence, ReferralSource, SubstanceGroup, TreatmentStatus, Weekday,
};
use crate::dates::Date;
use crate::employers::model::Sector;
use crate::vacancies::model::{ContractType, ShiftPattern, WorkEnvironment};
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};

/// A time that must stay free every week (a treatment appointment, supervised dispensing).
#[derive(
    SimpleObject, InputObject, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize,
)]
#[graphql(input_name = "FreeWindowInput")]
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
#[derive(InputObject, Default)]
pub struct ClientFilter {
    /// Words that must appear in the name (any case).
    pub text: Option<String>,
    /// Only these statuses.
    pub statuses: Option<Vec<ClientStatus>>,
    /// Only clients on this specialist's caseload now.
    pub specialist_id: Option<ID>,
}

/// A new client.
#[derive(InputObject)]
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
    pub specialist_id: Option<ID>,
}

/// Changes to a client's details; absent fields stay as they are, null clears.
#[derive(InputObject)]
pub struct ClientUpdateInput {
    /// The client.
    pub id: ID,
    /// The version you read.
    pub version: i32,
    /// Full name.
    #[graphql(default)]
    pub name: MaybeUndefined<String>,
    /// Phone number.
    #[graphql(default)]
    pub phone: MaybeUndefined<String>,
    /// E-mail address.
    #[graphql(default)]
    pub email: MaybeUndefined<String>,
    /// Home town.
    #[graphql(default)]
    pub town: MaybeUndefined<String>,
    /// Home postcode.
    #[graphql(default)]
    pub postcode: MaybeUndefined<String>,
    /// Treatment keyworker's name.
    #[graphql(default)]
    pub keyworker_name: MaybeUndefined<String>,
    /// How to reach the keyworker.
    #[graphql(default)]
    pub keyworker_contact: MaybeUndefined<String>,
    /// Their employment when referred (null: not recorded).
    #[graphql(default)]
    pub employment_at_referral: MaybeUndefined<EmploymentAtReferral>,
}

/// A new status for a client, from a day on.
#[derive(InputObject)]
pub struct ClientStatusChangeInput {
    /// The client.
    pub id: ID,
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
#[derive(InputObject)]
pub struct ClientAssignInput {
    /// The client.
    pub id: ID,
    /// The specialist who supports them from now.
    pub specialist_id: ID,
    /// Why.
    pub reason: Option<String>,
}

/// A new version of a client's special-category facts (absent fields: not recorded).
#[derive(InputObject)]
pub struct ClientSensitiveRecordInput {
    /// The client.
    pub client_id: ID,
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
#[derive(InputObject)]
pub struct VocationalProfileRecordInput {
    /// The client.
    pub client_id: ID,
    /// The work they are aiming for.
    #[graphql(default)]
    pub work_goal: String,
    /// Jobs they have done.
    #[graphql(default)]
    pub work_history: String,
    /// Skills.
    #[graphql(default)]
    pub skills: Vec<String>,
    /// Qualifications.
    #[graphql(default)]
    pub qualifications: Vec<String>,
    /// Licences and cards held.
    #[graphql(default)]
    pub licences: Vec<Licence>,
    /// What stands in the way.
    #[graphql(default)]
    pub barriers: String,
}

/// A new version of a client's job preferences.
#[derive(InputObject)]
pub struct JobPreferencesRecordInput {
    /// The client.
    pub client_id: ID,
    /// SOC 2010 codes (4-digit unit groups, or 1–3 digit prefixes).
    #[graphql(default)]
    pub occupations: Vec<String>,
    /// Wanted jobs in the client's words.
    #[graphql(default)]
    pub occupation_titles: Vec<String>,
    /// Other words to look for.
    #[graphql(default)]
    pub keywords: Vec<String>,
    /// Sectors of interest (empty: any).
    #[graphql(default)]
    pub sectors: Vec<Sector>,
    /// Fewest hours a week.
    pub hours_per_week_min: Option<f64>,
    /// Most hours a week.
    pub hours_per_week_max: Option<f64>,
    /// Shift patterns they can work (empty: any).
    #[graphql(default)]
    pub shifts: Vec<ShiftPattern>,
    /// Times that must stay free.
    #[graphql(default)]
    pub free_windows: Vec<FreeWindow>,
    /// Acceptable contract types (empty: any).
    #[graphql(default)]
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
    #[graphql(default)]
    pub remote_ok: bool,
    /// Workplace features to avoid (never matched).
    #[graphql(default)]
    pub avoid_environments: Vec<WorkEnvironment>,
    /// Workplace features they would like.
    #[graphql(default)]
    pub prefer_environments: Vec<WorkEnvironment>,
}
