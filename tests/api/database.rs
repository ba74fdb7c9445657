//! The embedded database is configured for durability: WAL, `synchronous=FULL`, a busy timeout.

use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{Backend, spawn_app_with};

async fn pragma(app: &crate::helpers::TestApp, name: &str) -> String {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await
        .expect("pragma")
        .expect("row");
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))
        .expect("value")
}

#[tokio::test]
async fn sqlite_commits_durably_in_wal_mode_and_waits_for_locks() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.sqlite_busy_timeout_ms = 4321).await;
    assert_eq!(pragma(&app, "journal_mode").await, "wal");
    assert_eq!(pragma(&app, "synchronous").await, "2", "2 is FULL");
    assert_eq!(pragma(&app, "busy_timeout").await, "4321");
    assert_eq!(pragma(&app, "foreign_keys").await, "1");
    app.cleanup().run().await;
}
