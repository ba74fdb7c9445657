//! One contact between a specialist and an employer. Never edited: a correction or retraction is a
//! new row whose `supersedes_id` points at the row it replaces.

use sea_orm::entity::prelude::*;

/// One row of `engagement`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "engagement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employer_id: Uuid,
    pub specialist_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub occurred_at: DateTimeUtc,
    /// `FACE_TO_FACE`, `PHONE`, `EMAIL` or `EVENT`.
    pub mode: String,
    /// `LEARN_NEEDS`, `PRESENT_SERVICE`, `PRESENT_CANDIDATE`, `FOLLOW_UP` or `IN_WORK_SUPPORT`.
    pub purpose: String,
    pub outcome: String,
    pub next_step: Option<String>,
    pub next_step_due: Option<Date>,
    /// The entry this one corrects or retracts.
    #[sea_orm(unique)]
    pub supersedes_id: Option<Uuid>,
    /// Set when this entry withdraws the one it supersedes (recorded in error).
    pub retraction_reason: Option<String>,
    /// Who wrote this row (the specialist, or a team lead correcting it).
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
