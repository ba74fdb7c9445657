//! Database connection: SQLite (WAL, `synchronous=FULL`, busy timeout) or PostgreSQL, chosen by URL,
//! migrated on start.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, ExecResult, QueryResult, RuntimeErr, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::OwnedMutexGuard;

/// Where the database is and how the pool behaves: the part of the service's settings the
/// database layer needs.
#[derive(Clone, Debug)]
pub struct DatabaseSettings {
    /// The connection URL (`sqlite:…` or `postgres://…`).
    pub url: String,
    /// The service's data folder, created (0700) for an embedded database.
    pub data_dir: std::path::PathBuf,
    /// Most pooled connections.
    pub max_connections: u32,
    /// How long a SQLite writer waits for the lock.
    pub sqlite_busy_timeout: Duration,
}

/// Opens the pool described by the settings. For an embedded database the data folder is created
/// 0700 and the database file 0600 when missing (SQLite gives its `-wal` and `-shm` files the
/// database file's mode).
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.url.clone();
    if url.starts_with("sqlite:") {
        crate::private::create_dir(&settings.data_dir)
            .with_context(|| format!("creating the data folder {}", settings.data_dir.display()))?;
        create_sqlite_file(&url)?;
    }
    let busy_timeout = settings.sqlite_busy_timeout;
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.max_connections)
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
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        register_turns(&db, busy_timeout);
    }
    Ok(db)
}

/// Creates the SQLite database file, empty and readable by the owner only, when it does not exist
/// yet (an empty file is an empty database to SQLite).
fn create_sqlite_file(url: &str) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::from_str(url).context("reading the SQLite URL")?;
    let file = options.get_filename();
    if file.as_os_str().is_empty() || file == Path::new(":memory:") || url.contains("mode=memory") {
        return Ok(());
    }
    match crate::private::create_file(file) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            crate::private::warn_if_shared(file);
            Ok(())
        }
        Err(err) => {
            Err(err).with_context(|| format!("creating the database file {}", file.display()))
        }
    }
}

/// Applies every pending migration. When none is pending nothing is written or created, so a
/// service role that may not change the schema starts once the owner has migrated.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    if is_up_to_date(db).await {
        return Ok(());
    }
    Migrator::up(db, None)
        .await
        .context("migrating the database")
}

/// True when the migrations table lists every migration (read without creating the table, as
/// `Migrator::up` would even with nothing to do).
async fn is_up_to_date(db: &DatabaseConnection) -> bool {
    let Ok(rows) = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    else {
        return false;
    };
    let applied: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|row| row.try_get_by_index::<String>(0).ok())
        .collect();
    Migrator::migrations()
        .iter()
        .all(|m| applied.contains(m.name()))
}

/// True when the database answers a trivial query.
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(2), db.execute_unprepared("SELECT 1")).await,
        Ok(Ok(_))
    )
}

pub use crate::clock::{now, truncate_to_micros};

/// A transaction that writes. On SQLite it holds this process's turn at the database file (one
/// writer at a time, first come first served) for as long as it lives, and the file's write lock
/// from its first statement (`BEGIN IMMEDIATE`). Commit or roll back; dropping it rolls back.
pub struct WriteTxn {
    // Declared first so it is dropped (rolled back) before the turn is handed on.
    txn: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    /// Commits, then hands the turn to the next writer.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    /// Rolls back, then hands the turn to the next writer.
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DatabaseBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// One SQLite file's writers in this process: whose turn it is, and how long to wait for it.
struct Turns {
    lock: Arc<tokio::sync::Mutex<()>>,
    wait: Duration,
}

/// The writers' queue of each SQLite file this process opened, by file name.
static TURNS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Turns>>> = LazyLock::new(Default::default);

/// How often a `BEGIN IMMEDIATE` that found the file busy (another process writing past the busy
/// timeout) is tried again, and the first pause (doubled each time).
const BUSY_RETRIES: u32 = 4;
const BUSY_FIRST_PAUSE: Duration = Duration::from_millis(25);

fn sqlite_file(db: &DatabaseConnection) -> PathBuf {
    db.get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf()
}

/// Notes the busy timeout of a SQLite file, which is also how long a writer waits for its turn.
fn register_turns(db: &DatabaseConnection, wait: Duration) {
    let mut turns = TURNS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    turns
        .entry(sqlite_file(db))
        .and_modify(|t| t.wait = wait)
        .or_insert_with(|| Turns {
            lock: Arc::default(),
            wait,
        });
}

fn turns_of(db: &DatabaseConnection) -> (Arc<tokio::sync::Mutex<()>>, Duration) {
    let mut turns = TURNS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let entry = turns.entry(sqlite_file(db)).or_insert_with(|| Turns {
        lock: Arc::default(),
        wait: Duration::from_millis(5000),
    });
    (entry.lock.clone(), entry.wait)
}

/// True for SQLite's "database is locked" family (`SQLITE_BUSY` and its extended codes, e.g.
/// `SQLITE_BUSY_SNAPSHOT`, 517).
pub fn is_busy(err: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| code & 0xff == 5)
}

/// Begins a transaction that will write. On SQLite it first waits for this process's turn (so
/// writers queue in order instead of racing SQLite's busy handler, which polls with growing sleeps),
/// then takes the file's write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that reads
/// first and writes later fails outright (`SQLITE_BUSY`/`SQLITE_BUSY_SNAPSHOT`, no waiting) when
/// another writer holds the lock or committed in between. A lock held by another process is waited
/// for (the busy timeout) and then retried a few times with a growing pause.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(WriteTxn {
            txn: db.begin().await?,
            _turn: None,
        });
    }
    let (lock, wait) = turns_of(db);
    let turn = tokio::time::timeout(wait, lock.lock_owned())
        .await
        .map_err(|_| DbErr::Custom("timed out waiting for the turn to write".into()))?;
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    let mut pause = BUSY_FIRST_PAUSE;
    let mut retries = 0;
    loop {
        match db.begin_with_options(options).await {
            Ok(txn) => {
                return Ok(WriteTxn {
                    txn,
                    _turn: Some(turn),
                });
            }
            Err(err) if is_busy(&err) && retries < BUSY_RETRIES => {
                retries += 1;
                tracing::warn!(retries, "the SQLite database is busy; trying again");
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            Err(err) => return Err(err),
        }
    }
}

/// `select` with a row lock on PostgreSQL (`FOR UPDATE` or `FOR SHARE`), for reads inside a write
/// transaction that a concurrent write must not slip past. SQLite needs none: its writers queue
/// ([`begin_write`]), so a write transaction's reads are already current.
pub fn locked<E: sea_orm::EntityTrait>(
    select: sea_orm::Select<E>,
    backend: sea_orm::DatabaseBackend,
    exclusive: bool,
) -> sea_orm::Select<E> {
    use sea_orm::QuerySelect as _;
    match (backend, exclusive) {
        (sea_orm::DatabaseBackend::Postgres, true) => select.lock_exclusive(),
        (sea_orm::DatabaseBackend::Postgres, false) => select.lock_shared(),
        _ => select,
    }
}
/// The rows of `E` whose `id` column is one of `keys` (a loader's batch), in no set order.
pub async fn rows_by_ids<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    id: E::Column,
    keys: &[uuid::Uuid],
) -> Result<Vec<E::Model>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    E::find()
        .filter(id.is_in(keys.iter().copied()))
        .all(db)
        .await
}

/// The rows of a child table `E` whose `parent` column is one of `keys`, in `order` order.
pub async fn rows_by_parent<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    parent: E::Column,
    order: E::Column,
    keys: &[uuid::Uuid],
) -> Result<Vec<E::Model>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    E::find()
        .filter(parent.is_in(keys.iter().copied()))
        .order_by_asc(order)
        .all(db)
        .await
}
