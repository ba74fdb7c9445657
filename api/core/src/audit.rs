//! The audit log: append-only and hash-chained. Every read of special-category data writes a row
//! *before* the data is returned; each row's link (an HMAC under the log key, see `log_chain`)
//! covers its content and the previous row's link, so a removed, reordered or edited row breaks the
//! chain at that point.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, NotSet,
    QueryOrder, Set, Statement,
};
use uuid::Uuid;

use entities::audit_event;

use crate::db::now;
use crate::error::ApiError;
/// Every row, in order, as the chain sees it.
pub use crate::log_chain::audit_entries as entries;

/// The hash before the first row.
pub const GENESIS: &str = crate::log_chain::GENESIS;

/// What an audit row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// Special-category facts about a client were read.
    SensitiveRead,
    /// Special-category facts about a client were recorded.
    SensitiveWrite,
    /// A read of special-category facts was refused (the caller does not reach the client).
    SensitiveReadRefused,
    /// A member of staff's role, team or standing changed (detail: who, from, to).
    StaffChange,
    /// A consent was granted, changed or revoked (detail: consent, version, status, level).
    ConsentWrite,
    /// A client's progress was shared with their keyworker under their consent (detail: the
    /// consent version and what was shared, never the values).
    SharedWithKeyworker,
}

impl AuditAction {
    /// The stored text.
    pub fn as_db(self) -> &'static str {
        match self {
            AuditAction::SensitiveRead => "SENSITIVE_READ",
            AuditAction::SensitiveWrite => "SENSITIVE_WRITE",
            AuditAction::SensitiveReadRefused => "SENSITIVE_READ_REFUSED",
            AuditAction::StaffChange => "STAFF_CHANGE",
            AuditAction::ConsentWrite => "CONSENT_WRITE",
            AuditAction::SharedWithKeyworker => "SHARED_WITH_KEYWORKER",
        }
    }
}

/// One event to append.
pub struct AuditEntry<'a> {
    /// Who acted.
    pub actor_id: Uuid,
    /// What they did.
    pub action: AuditAction,
    /// About whom.
    pub client_id: Option<Uuid>,
    /// The purpose they stated.
    pub purpose: Option<&'a str>,
    /// Which fields (names, never values).
    pub detail: &'a str,
}

/// Appends an event inside `conn`'s transaction; the chain is serialised (an advisory lock on
/// PostgreSQL; SQLite has one writer).
pub async fn record(conn: &impl ConnectionTrait, entry: AuditEntry<'_>) -> Result<(), ApiError> {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7247131)",
        ))
        .await?;
    }
    let prev_hash = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Seq)
        .one(conn)
        .await?
        .map_or_else(|| GENESIS.to_string(), |last| last.hash);
    let key = crate::log_chain::signing_key(conn).await?;
    let at = now();
    let action = entry.action.as_db();
    let content = crate::log_chain::audit_parts(
        at,
        entry.actor_id,
        action,
        entry.client_id,
        entry.purpose,
        entry.detail,
    );
    let content: Vec<&str> = content.iter().map(String::as_str).collect();
    let hash = crate::log_chain::link(Some(&key), &prev_hash, &content);
    audit_event::ActiveModel {
        seq: NotSet,
        at: Set(at),
        actor_id: Set(entry.actor_id),
        action: Set(action.into()),
        client_id: Set(entry.client_id),
        purpose: Set(entry.purpose.map(str::to_string)),
        detail: Set(entry.detail.into()),
        prev_hash: Set(prev_hash),
        hash: Set(hash),
        key_id: Set(Some(key.id().to_string())),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Appends an event in a transaction of its own, committed before this returns.
pub async fn record_now(db: &DatabaseConnection, entry: AuditEntry<'_>) -> Result<(), ApiError> {
    let txn = crate::db::begin_write(db).await?;
    record(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}
