//! A job a client started (and, later, ended): raw dates, hours and pay, so outcomes such as "a job
//! start of at least 4 hours" or "13-week sustainment" are computed, never stored as yes/no.

use sea_orm::entity::prelude::*;

/// One row of `job_start`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "job_start")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub application_id: Option<Uuid>,
    pub employer_id: Option<Uuid>,
    pub employer_name: String,
    pub title: String,
    pub soc_code: Option<String>,
    pub start_date: Date,
    pub hours_per_week: f64,
    pub hourly_pay: f64,
    pub contract_type: String,
    /// Open to anyone, at the going rate, not set aside for people with disabilities.
    pub competitive: bool,
    pub end_date: Option<Date>,
    pub end_reason: Option<String>,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
