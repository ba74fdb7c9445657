//! A system registered by an admin to sync vacancies and employers (a local employment service, a
//! council scheme, an employer's applicant tracking system).

use sea_orm::entity::prelude::*;

/// One row of `integrator`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "integrator")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// The feed key its records carry as their `source` (lower-case letters, digits, hyphens).
    pub source_key: String,
    /// Scopes it may be granted, comma-separated (`vacancies:read,vacancies:write`).
    pub scopes: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
