//! The audit log: append-only and hash-chained. Every read of special-category data writes a row
//! *before* the data is returned; each row's hash covers its content and the previous row's hash,
//! so a removed, reordered or edited row breaks the chain at that point.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, NotSet,
    QueryOrder, Set, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use entities::audit_event;

use crate::db::now;
use crate::error::ApiError;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// Special-category facts about a client were read.
    SensitiveRead,
    /// Special-category facts about a client were recorded.
    SensitiveWrite,
}

impl AuditAction {
    /// The stored text.
    pub fn as_db(self) -> &'static str {
        match self {
            AuditAction::SensitiveRead => "SENSITIVE_READ",
            AuditAction::SensitiveWrite => "SENSITIVE_WRITE",
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

/// SHA-256 (hex) over `prev` and `parts`, each length-prefixed so no two different rows hash the
/// same text: the link of a hash chain. Shared by the audit and disclosure logs.
pub fn chain_link(prev: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in std::iter::once(prev).chain(parts.iter().copied()) {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash of a row's content chained to the previous hash.
fn chain_hash(
    prev_hash: &str,
    at: DateTime<Utc>,
    actor_id: Uuid,
    action: &str,
    client_id: Option<Uuid>,
    purpose: Option<&str>,
    detail: &str,
) -> String {
    chain_link(
        prev_hash,
        &[
            &at.timestamp_micros().to_string(),
            &actor_id.to_string(),
            action,
            &client_id.map(|c| c.to_string()).unwrap_or_default(),
            purpose.unwrap_or_default(),
            detail,
        ],
    )
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
    let at = now();
    let action = entry.action.as_db();
    let hash = chain_hash(
        &prev_hash,
        at,
        entry.actor_id,
        action,
        entry.client_id,
        entry.purpose,
        entry.detail,
    );
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

/// Walks the chain in order; returns the sequence of the first row whose link or hash is wrong.
pub async fn first_broken_link(db: &DatabaseConnection) -> Result<Option<i64>, ApiError> {
    let rows = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Seq)
        .all(db)
        .await?;
    let mut prev = GENESIS.to_string();
    for row in rows {
        let expected = chain_hash(
            &prev,
            row.at,
            row.actor_id,
            &row.action,
            row.client_id,
            row.purpose.as_deref(),
            &row.detail,
        );
        if row.prev_hash != prev || row.hash != expected {
            return Ok(Some(row.seq));
        }
        prev = row.hash;
    }
    Ok(None)
}
