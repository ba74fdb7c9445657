//! One version of a client's consent to share their progress with a named keyworker. Granting and
//! revoking each add a version under the same `consent_id`.

use sea_orm::entity::prelude::*;

/// One row of `keyworker_consent`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "keyworker_consent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The consent this row is a version of.
    pub consent_id: Uuid,
    pub version: i32,
    pub client_id: Uuid,
    /// The keyworker (a member of staff with the keyworker role) who may be told.
    pub keyworker_id: Uuid,
    /// Comma-separated items: `PROGRESS`, `EMPLOYER_NAMES`.
    pub items: String,
    /// The exact words the client agreed to.
    pub wording: String,
    /// `IN_PERSON_SIGNED`, `IN_PERSON_VERBAL`, `PHONE_VERBAL` or `ELECTRONIC`.
    pub captured_how: String,
    pub captured_by_id: Uuid,
    pub captured_at: DateTimeUtc,
    pub effective_from: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// `ACTIVE` or `REVOKED`.
    pub status: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
