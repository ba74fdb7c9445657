//! In-work support: a contact with the client (or, with their consent, the employer) about a job.

use sea_orm::entity::prelude::*;

/// One row of `support_contact`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "support_contact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub job_start_id: Option<Uuid>,
    /// `CLIENT` or `EMPLOYER`.
    pub with_whom: String,
    /// `FACE_TO_FACE`, `PHONE`, `EMAIL` or `TEXT_MESSAGE`.
    pub mode: String,
    pub occurred_at: DateTimeUtc,
    pub notes: String,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
