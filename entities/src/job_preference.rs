//! The work a client wants, which drives matching; versioned: each change is a new row.

use sea_orm::entity::prelude::*;

/// One row of `job_preference`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "job_preference")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub version: i32,
    /// Comma-separated SOC codes (unit groups or shorter prefixes).
    pub occupations: String,
    /// Job titles in the client's words, one per line.
    pub occupation_titles: String,
    /// One per line.
    pub keywords: String,
    /// Comma-separated SIC sections.
    pub sectors: String,
    pub hours_min: Option<f64>,
    pub hours_max: Option<f64>,
    /// Comma-separated shift patterns the client can work.
    pub shifts: String,
    /// Times that must stay free, as JSON: `[{"days":["MON"],"from":"08:00","to":"10:00","reason":"…"}]`.
    pub free_windows: String,
    /// Comma-separated contract types acceptable.
    pub contract_types: String,
    pub min_hourly_pay: Option<f64>,
    pub home_town: Option<String>,
    pub home_latitude: Option<f64>,
    pub home_longitude: Option<f64>,
    pub max_travel_km: Option<f64>,
    pub remote_ok: bool,
    /// Comma-separated environment tags to avoid (hard).
    pub avoid_environments: String,
    /// Comma-separated environment tags to prefer.
    pub prefer_environments: String,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
