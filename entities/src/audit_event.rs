//! The append-only, hash-chained audit log: every read of special-category data (and, later, every
//! consent write). Each row's hash covers its content and the previous row's hash.

use sea_orm::entity::prelude::*;

/// One row of `audit_event`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub at: DateTimeUtc,
    pub actor_id: Uuid,
    /// What happened, e.g. `SENSITIVE_READ`.
    pub action: String,
    pub client_id: Option<Uuid>,
    /// The purpose the reader stated.
    pub purpose: Option<String>,
    /// What was read (field names, never values).
    pub detail: String,
    /// Hex SHA-256 of the previous row (zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 over this row's content and `prev_hash`.
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
