//! A better-off calculation with a client before a job start or a change of hours (work-incentives
//! planning): when, by whom, for which offer or hours, and what it found.

use sea_orm::entity::prelude::*;

/// One row of `better_off_check`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "better_off_check")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub checked_on: Date,
    pub checked_by_id: Uuid,
    /// The job offer (an application) it was for.
    pub application_id: Option<Uuid>,
    /// The job (a start) it was for.
    pub job_start_id: Option<Uuid>,
    /// For a change of hours: the hours a week it was worked out for.
    pub hours_change_to: Option<f64>,
    /// `BETTER_OFF`, `ABOUT_THE_SAME`, `WORSE_OFF` or `NEEDS_ADVICE`.
    pub outcome: String,
    pub referred_to_welfare_rights: bool,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
