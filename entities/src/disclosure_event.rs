//! One act of telling an employer something about a client: append-only and hash-chained; the
//! database refuses UPDATE and DELETE.

use sea_orm::entity::prelude::*;

/// One row of `disclosure_event`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub at: DateTimeUtc,
    pub client_id: Uuid,
    pub employer_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub vacancy_id: Option<Uuid>,
    /// `INTRODUCTION`, `APPLICATION`, `ENGAGEMENT` or `IN_WORK_SUPPORT`.
    pub act: String,
    /// `FACE_TO_FACE`, `PHONE`, `EMAIL` or `TEXT_MESSAGE`.
    pub channel: String,
    /// Comma-separated items actually told.
    pub items: String,
    /// The consent version relied on.
    pub consent_row_id: Uuid,
    pub consent_version: i32,
    pub actor_id: Uuid,
    pub prev_hash: String,
    pub hash: String,
    /// Which log key signed `hash` (its public id); null for the unkeyed rows from before.
    pub key_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
