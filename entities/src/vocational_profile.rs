//! What a client brings to work and wants from it, versioned: each change is a new row.

use sea_orm::entity::prelude::*;

/// One row of `vocational_profile`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "vocational_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub version: i32,
    pub work_goal: String,
    pub work_history: String,
    /// One per line.
    pub skills: String,
    /// One per line.
    pub qualifications: String,
    /// Comma-separated, e.g. `CAR,FORKLIFT`.
    pub licences: String,
    pub barriers: String,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
