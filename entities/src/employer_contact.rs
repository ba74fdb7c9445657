//! A person at an employer whom specialists deal with.

use sea_orm::entity::prelude::*;

/// One row of `employer_contact`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employer_contact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employer_id: Uuid,
    pub name: String,
    /// Their job at the employer, e.g. "Store manager".
    pub job_title: Option<String>,
    pub phone: Option<String>,
    /// Lower-cased; unique within the employer.
    pub email: Option<String>,
    /// `FACE_TO_FACE`, `PHONE`, `EMAIL` or `TEXT_MESSAGE`.
    pub preferred_channel: String,
    pub notes: Option<String>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
