//! An attempt to re-engage a client who has stopped attending (a call, a text, a letter, a visit).

use sea_orm::entity::prelude::*;

/// One row of `outreach_attempt`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outreach_attempt")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub attempted_on: Date,
    /// How (`PHONE`, `EMAIL`, `TEXT_MESSAGE`, `FACE_TO_FACE`, …).
    pub mode: String,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
