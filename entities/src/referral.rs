//! A referral to the IPS service from a treatment team: who, when, how they were told, how to
//! reach them, and how far it has gone (received → contacted → first meeting → registered, or not
//! taken up for a coded reason).

use sea_orm::entity::prelude::*;

/// One row of `referral`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "referral")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub treatment_team_id: Uuid,
    /// The keyworker who referred (null when a specialist recorded a referral with no keyworker).
    pub keyworker_id: Option<Uuid>,
    /// Who entered it: the keyworker, or a specialist recording it for them.
    pub recorded_by_id: Uuid,
    pub referred_on: Date,
    pub person_name: String,
    /// The name folded for sorting.
    pub name_key: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// How the person was told about the referral (`IN_PERSON`, `PHONE`, …).
    pub how_told: String,
    /// How they would like to be contacted first (`PHONE`, `TEXT_MESSAGE`, …).
    pub contact_preference: String,
    /// When and how best to reach them, in the keyworker's words.
    pub contact_notes: Option<String>,
    /// `RECEIVED`, `CONTACTED`, `FIRST_MEETING`, `REGISTERED` or `NOT_TAKEN_UP`.
    pub state: String,
    pub contacted_on: Option<Date>,
    pub first_meeting_on: Option<Date>,
    /// The day it was registered or not taken up.
    pub closed_on: Option<Date>,
    /// A coded reason (never readiness, substance use or history).
    pub not_taken_up_reason: Option<String>,
    /// The client the registration created.
    pub client_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
