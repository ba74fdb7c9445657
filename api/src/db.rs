//! Database connection: SQLite (WAL, `synchronous=FULL`, busy timeout) or PostgreSQL, chosen by URL,
//! migrated on start.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, TransactionTrait,
};

use crate::config::Settings;

/// Opens the pool described by the settings, creating the data folder for an embedded database.
pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.effective_database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating the data folder {}", settings.data_dir.display()))?;
    }
    let busy_timeout = Duration::from_millis(settings.sqlite_busy_timeout_ms);
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.db_max_connections)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        // SQLite: durable commits that readers never block (sea-orm leaves the journal mode alone).
        .map_sqlx_sqlite_opts(move |opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(busy_timeout)
                .foreign_keys(true)
        });
    let db = Database::connect(options)
        .await
        .context("connecting to the database")?;
    Ok(db)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("migrating the database")
}

/// True when the database answers a trivial query.
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(2), db.execute_unprepared("SELECT 1")).await,
        Ok(Ok(_))
    )
}

/// The current time, to the microsecond (what PostgreSQL keeps), so a value reads back unchanged
/// on either database.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    truncate_to_micros(chrono::Utc::now())
}

/// A time cut to whole microseconds.
pub fn truncate_to_micros(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Timelike};
    t.trunc_subsecs(6)
        .with_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (like `BEGIN
/// IMMEDIATE`): a transaction that reads first and writes later fails outright
/// (`SQLITE_BUSY_SNAPSHOT`, no waiting) when another writer committed in between; taking the lock
/// first makes it wait its turn instead, and its reads see the latest data.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Sqlite {
        // A write statement takes the lock when it starts, whether or not it changes a row.
        txn.execute_unprepared("UPDATE change_log SET seq = seq WHERE 0")
            .await?;
    }
    Ok(txn)
}
