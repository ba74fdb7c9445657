//! The ordered record of every change to vacancies (and, later, employers), written in the same
//! transaction as the change. It drives the search index, the integrators' change feed and
//! subscriptions.

use sea_orm::entity::prelude::*;

/// One row of `change_log`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    /// Allocation order. On PostgreSQL a lower value can commit after a higher one.
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// `vacancy` (or `employer`).
    pub entity: String,
    pub entity_id: Uuid,
    /// `CREATE`, `UPDATE`, `EXPIRE` or `DELETE`.
    pub op: String,
    /// PostgreSQL: the writing transaction's id (`pg_current_xact_id()`); null on SQLite.
    pub tx_id: Option<i64>,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
