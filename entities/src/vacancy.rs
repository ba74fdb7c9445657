//! A job vacancy: advertised by an employer, developed by a specialist, or synced from a feed.

use sea_orm::entity::prelude::*;

/// One row of `vacancy`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "vacancy")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// Skills asked for, one per line.
    pub skills: String,
    pub employer_id: Option<Uuid>,
    /// The hiring organisation's name as the source gave it (for vacancies without an employer record).
    pub employer_name: Option<String>,
    /// Occupation: a 4-digit SOC unit group.
    pub soc_code: Option<String>,
    /// `SOC2010` or `SOC2020`.
    pub soc_version: Option<String>,
    /// SIC 2007 section, as on employers.
    pub sector: Option<String>,
    pub town: Option<String>,
    pub postcode: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub remote: bool,
    pub hours_min: Option<f64>,
    pub hours_max: Option<f64>,
    /// Comma-separated shift patterns, e.g. `DAYS,WEEKENDS`.
    pub shifts: String,
    pub pay_min: Option<f64>,
    pub pay_max: Option<f64>,
    /// `HOURLY`, `WEEKLY` or `ANNUAL`.
    pub pay_period: Option<String>,
    /// Pay normalised to pounds per hour, for filtering and sorting.
    pub pay_min_hourly: Option<f64>,
    pub pay_max_hourly: Option<f64>,
    pub contract_type: String,
    pub closing_date: Option<Date>,
    /// `DRAFT`, `OPEN`, `FILLED`, `CLOSED` or `EXPIRED`.
    pub status: String,
    /// `DEVELOPED`, `EMPLOYER`, or the key of an external feed.
    pub source: String,
    pub external_id: Option<String>,
    /// Comma-separated environment tags, e.g. `ALCOHOL_SERVED,CASH_HANDLING`.
    pub environments: String,
    pub dbs_level: String,
    pub drug_testing: String,
    /// When the vacancy first opened.
    pub posted_at: Option<DateTimeUtc>,
    pub created_by_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
