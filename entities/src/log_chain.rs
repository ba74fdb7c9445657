//! The one row that says how the append-only logs are chained: which log key signs new entries,
//! and up to which entry each log holds unkeyed links from before the logs were keyed.

use sea_orm::entity::prelude::*;

/// The row of `log_chain` (its id is always 1).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "log_chain")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// The public id of the key that signs new entries; null until the service first starts.
    pub key_id: Option<String>,
    /// The last audit entry from before the logs were keyed (0: none).
    pub audit_legacy_through: i64,
    /// The last disclosure entry from before the logs were keyed (0: none).
    pub disclosure_legacy_through: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
