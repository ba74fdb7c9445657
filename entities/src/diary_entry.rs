//! One entry in a specialist's diary: an appointment or contact with a client, or with someone on
//! their behalf (keyworker, treatment-team meeting, Jobcentre Plus work coach, family, probation).
//! The note is short and never indexed.

use sea_orm::entity::prelude::*;

/// One row of `diary_entry`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "diary_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Whose diary.
    pub specialist_id: Uuid,
    /// `CLIENT`, `KEYWORKER`, `TREATMENT_TEAM_MEETING`, `WORK_COACH`, `FAMILY` or `PROBATION`.
    pub with_whom: String,
    /// The treatment team, for a treatment-team meeting.
    pub treatment_team_id: Option<Uuid>,
    pub at: DateTimeUtc,
    /// Booked ahead (true) or as it happened (false).
    pub planned: bool,
    /// `ATTENDED`, `DID_NOT_ATTEND` or `CANCELLED`; null while it has not happened.
    pub attendance: Option<String>,
    /// `COMMUNITY`, `EMPLOYER_PREMISES`, `CLIENT_HOME`, `OFFICE`, `PHONE` or `VIDEO`.
    pub place: String,
    pub minutes: Option<i32>,
    pub note: Option<String>,
    /// The missed appointment this entry follows up.
    pub follows_up_id: Option<Uuid>,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
