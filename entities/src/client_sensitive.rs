//! A client's special-category facts (UK GDPR art. 9 and criminal-offence data), versioned: each
//! change is a new row. Read only through a stated purpose, and every read is audited first.

use sea_orm::entity::prelude::*;

/// One row of `client_sensitive`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "client_sensitive")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub version: i32,
    pub primary_substance_group: Option<String>,
    pub treatment_status: Option<String>,
    pub criminal_record_status: Option<String>,
    pub benefits_status: Option<String>,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
