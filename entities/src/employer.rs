//! An employer the service builds a relationship with (IPS job development).

use sea_orm::entity::prelude::*;

/// One row of `employer`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// Lower-cased, whitespace-collapsed name: unique, and the sort key.
    pub name_key: String,
    /// SIC 2007 section, e.g. `ACCOMMODATION_FOOD`.
    pub sector: String,
    /// `MICRO`, `SMALL`, `MEDIUM` or `LARGE`.
    pub size: String,
    /// `PROSPECT`, `ENGAGED`, `HIRING_PARTNER` or `DORMANT`.
    pub stage: String,
    pub openness_notes: Option<String>,
    pub recovery_friendly: bool,
    pub disability_confident: bool,
    pub website: Option<String>,
    pub owner_id: Option<Uuid>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The integrator source that syncs this employer (null for employers kept by hand).
    pub source: Option<String>,
    /// The employer's id at that source; (source, external_id) is unique.
    pub external_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
