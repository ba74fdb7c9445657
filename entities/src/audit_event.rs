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
    /// Hex link over this row's content and `prev_hash`: HMAC-SHA256 under the log key named by
    /// `key_id`, or (rows from before the logs were keyed) plain SHA-256 when `key_id` is null.
    pub hash: String,
    /// Which log key signed `hash` (its public id); null for the unkeyed rows from before.
    pub key_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
