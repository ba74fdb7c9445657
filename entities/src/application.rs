//! A client's application to (or interest in) one vacancy, moving through the pipeline stages.

use sea_orm::entity::prelude::*;

/// One row of `application`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub vacancy_id: Uuid,
    /// `SUGGESTED`, `DISCUSSED`, `APPLIED`, `INTERVIEW`, `OFFER`, `STARTED` or `NOT_PROGRESSED`.
    pub stage: String,
    /// `CLIENT`, `SPECIALIST` or `JOINTLY`: who sends (or sent) the application.
    pub submitted_by: String,
    pub created_by_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
