//! One dated step of an application through the pipeline (never edited).

use sea_orm::entity::prelude::*;

/// One row of `application_stage`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "application_stage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub application_id: Uuid,
    pub stage: String,
    pub on_date: Date,
    /// Why it did not progress (for `NOT_PROGRESSED`), or a note.
    pub reason: Option<String>,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
