//! A person on an IPS caseload: who they are, how to reach them, where they were referred from.
//! Special-category facts live apart, in `client_sensitive`.

use sea_orm::entity::prelude::*;

/// One row of `client`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "client")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The team (and so the site) the client is supported by.
    pub team_id: Uuid,
    pub name: String,
    /// The name folded for sorting and matching.
    pub name_key: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub town: Option<String>,
    pub postcode: Option<String>,
    pub referral_date: Date,
    pub referral_source: String,
    /// `UNEMPLOYED`, `ECONOMICALLY_INACTIVE` or `EMPLOYED` at referral; null when not recorded.
    pub employment_at_referral: Option<String>,
    /// The client's treatment keyworker.
    pub keyworker_name: Option<String>,
    pub keyworker_contact: Option<String>,
    /// `ACTIVE`, `PAUSED`, `IN_WORK` or `DISCHARGED` (the open status episode).
    pub status: String,
    pub created_by_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
