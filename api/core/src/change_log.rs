//! Writes the change log: one row per change to a vacancy (later also employers), inserted in the
//! same transaction as the change, so whatever follows the log (the search index, the integrators'
//! change feed, subscriptions) sees every committed change and nothing uncommitted.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QuerySelect,
    Set,
};
use uuid::Uuid;

use entities::change_log;

use crate::db::now;
use crate::error::ApiError;

/// What happened to the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeOp {
    /// The record was created.
    Create,
    /// The record changed.
    Update,
    /// The record expired on its own (closing date passed).
    Expire,
}

impl ChangeOp {
    fn as_db(self) -> &'static str {
        match self {
            ChangeOp::Create => "CREATE",
            ChangeOp::Update => "UPDATE",
            ChangeOp::Expire => "EXPIRE",
        }
    }
}

/// Appends one change-log row on `conn` (a transaction, so it commits with the change) and returns
/// its sequence number. Write the changed row first: on PostgreSQL the follower relies on the
/// transaction having its id before it draws a sequence number.
pub async fn record(
    conn: &impl ConnectionTrait,
    entity: &str,
    entity_id: Uuid,
    op: ChangeOp,
) -> Result<i64, ApiError> {
    let row = change_log::ActiveModel {
        seq: NotSet,
        entity: Set(entity.into()),
        entity_id: Set(entity_id),
        op: Set(op.as_db().into()),
        // PostgreSQL fills in the transaction id by default; SQLite has none.
        tx_id: NotSet,
        changed_at: Set(now()),
    }
    .insert(conn)
    .await?;
    Ok(row.seq)
}

/// The newest change-log sequence for one record (0 when it has none).
pub async fn latest_seq(conn: &impl ConnectionTrait, entity_id: Uuid) -> Result<i64, ApiError> {
    Ok(change_log::Entity::find()
        .select_only()
        .column_as(change_log::Column::Seq.max(), "max")
        .filter(change_log::Column::EntityId.eq(entity_id))
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten()
        .unwrap_or(0))
}

/// The newest change-log sequence of all (0 for an empty log).
pub async fn max_seq(conn: &impl ConnectionTrait) -> Result<i64, ApiError> {
    Ok(change_log::Entity::find()
        .select_only()
        .column_as(change_log::Column::Seq.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten()
        .unwrap_or(0))
}
