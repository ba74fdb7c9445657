//! One version of a client's consent to tell one named employer something. Granting, changing and
//! revoking each add a version under the same `consent_id`; earlier versions stay, with their
//! evidence.

use sea_orm::entity::prelude::*;

/// One row of `disclosure_consent`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_consent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The consent this row is a version of.
    pub consent_id: Uuid,
    pub version: i32,
    pub client_id: Uuid,
    /// The named recipient (never "any employer").
    pub employer_id: Uuid,
    /// Optionally, the one person at the employer.
    pub contact_id: Option<Uuid>,
    /// `APPLICATION`, `INTRODUCTION`, `IN_WORK_SUPPORT` or `LIAISON`.
    pub purpose: String,
    /// `NONE`, `SERVICE_AFFILIATION`, `PARTIAL` or `FULL`.
    pub level: String,
    /// Comma-separated items the client allows to be told.
    pub items: String,
    /// `CLIENT`, `SPECIALIST` or `JOINTLY`.
    pub who_discloses: String,
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
    /// Why it changed or was revoked.
    pub note: Option<String>,
    /// The employer's name as the client agreed to it (a later rename suspends the consent).
    pub employer_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
