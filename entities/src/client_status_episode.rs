//! A dated stretch of one client status; the open episode (no end) is the current status.

use sea_orm::entity::prelude::*;

/// One row of `client_status_episode`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "client_status_episode")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub status: String,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub reason: Option<String>,
    /// A discharge's coded reason (`IN_WORK`, `DISENGAGED`, …): what exports carry.
    pub reason_code: Option<String>,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
