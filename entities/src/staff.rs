//! A member of staff who signs in: admin, team lead, employment specialist, or a treatment team's
//! keyworker.

use sea_orm::entity::prelude::*;

/// One row of `staff`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "staff")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Option<Uuid>,
    pub name: String,
    /// Lower-cased e-mail address; unique.
    pub email: String,
    /// `ADMIN`, `TEAM_LEAD`, `SPECIALIST` or `KEYWORKER`.
    pub role: String,
    /// Full-time equivalent, 0 < fte <= 1.
    pub fte: f64,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub deactivated_at: Option<DateTimeUtc>,
    pub version: i32,
    /// A keyworker's treatment team (null for everyone else).
    pub treatment_team_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
