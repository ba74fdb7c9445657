//! A dated conversation with a client about disclosure, and the preference they expressed.

use sea_orm::entity::prelude::*;

/// One row of `disclosure_discussion`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_discussion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub discussed_on: Date,
    /// The level the client prefers, as `disclosure_consent.level`.
    pub preferred_level: String,
    /// `CLIENT`, `SPECIALIST` or `JOINTLY`.
    pub who_speaks: String,
    /// When in the process they want it said (e.g. "after an offer").
    pub when_to_disclose: Option<String>,
    pub notes: String,
    pub recorded_by_id: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
