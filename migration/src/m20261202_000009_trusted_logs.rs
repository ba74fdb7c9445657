//! Logs you can trust beyond the database's own guard: each log entry names the key that signed
//! its link (null for the unkeyed SHA-256 links written before), a one-row `log_chain` table says
//! which key signs new entries and where each log's unkeyed entries end, and triggers refuse what
//! the UPDATE/DELETE triggers missed: SQLite's `INSERT OR REPLACE` (which deletes the old row without
//! firing a delete trigger) and PostgreSQL's `TRUNCATE` (which fires no row trigger).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The append-only logs.
const LOGS: [&str; 2] = ["audit_event", "disclosure_event"];

/// `log_chain` accepts one row (id 1, written here) and one change to it: setting the key id once,
/// when the service first starts with its key. Nothing else.
const CREATE_LOG_CHAIN: &str = "CREATE TABLE log_chain (\
     id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), \
     key_id TEXT NULL, \
     audit_legacy_through BIGINT NOT NULL, \
     disclosure_legacy_through BIGINT NOT NULL)";

const FILL_LOG_CHAIN: &str = "INSERT INTO log_chain \
     (id, key_id, audit_legacy_through, disclosure_legacy_through) VALUES (1, NULL, \
     (SELECT COALESCE(MAX(seq), 0) FROM audit_event), \
     (SELECT COALESCE(MAX(seq), 0) FROM disclosure_event))";

const PG_LOG_CHAIN_GUARD: &str = "CREATE OR REPLACE FUNCTION log_chain_guard() RETURNS trigger AS $$ \
     BEGIN \
       IF TG_OP = 'UPDATE' AND OLD.key_id IS NULL AND NEW.key_id IS NOT NULL AND NEW.id = OLD.id \
          AND NEW.audit_legacy_through = OLD.audit_legacy_through \
          AND NEW.disclosure_legacy_through = OLD.disclosure_legacy_through THEN \
         RETURN NEW; \
       END IF; \
       RAISE EXCEPTION 'log_chain is append-only'; \
     END; $$ LANGUAGE plpgsql";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in LOGS {
            db.execute_unprepared(&format!("ALTER TABLE {table} ADD COLUMN key_id TEXT NULL"))
                .await?;
        }
        db.execute_unprepared(CREATE_LOG_CHAIN).await?;
        db.execute_unprepared(FILL_LOG_CHAIN).await?;
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in LOGS {
                    // The function from the consent migration raises whatever the operation.
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
                    ))
                    .await?;
                }
                db.execute_unprepared(PG_LOG_CHAIN_GUARD).await?;
                db.execute_unprepared(
                    "CREATE TRIGGER log_chain_guard BEFORE UPDATE OR DELETE ON log_chain \
                     FOR EACH ROW EXECUTE FUNCTION log_chain_guard()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER log_chain_no_truncate BEFORE TRUNCATE ON log_chain \
                     FOR EACH STATEMENT EXECUTE FUNCTION log_chain_guard()",
                )
                .await?;
            }
            _ => {
                for table in LOGS {
                    // `INSERT OR REPLACE` of an existing entry would delete it first, silently.
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} \
                         WHEN EXISTS (SELECT 1 FROM {table} WHERE seq = NEW.seq) \
                         BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                    ))
                    .await?;
                }
                for sql in [
                    "CREATE TRIGGER log_chain_no_replace BEFORE INSERT ON log_chain \
                     WHEN EXISTS (SELECT 1 FROM log_chain) \
                     BEGIN SELECT RAISE(ABORT, 'log_chain is append-only'); END",
                    "CREATE TRIGGER log_chain_no_delete BEFORE DELETE ON log_chain \
                     BEGIN SELECT RAISE(ABORT, 'log_chain is append-only'); END",
                    "CREATE TRIGGER log_chain_no_update BEFORE UPDATE ON log_chain \
                     WHEN OLD.key_id IS NOT NULL OR NEW.key_id IS NULL OR NEW.id IS NOT OLD.id \
                     OR NEW.audit_legacy_through IS NOT OLD.audit_legacy_through \
                     OR NEW.disclosure_legacy_through IS NOT OLD.disclosure_legacy_through \
                     BEGIN SELECT RAISE(ABORT, 'log_chain is append-only'); END",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in LOGS {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP TABLE IF EXISTS log_chain")
                    .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS log_chain_guard()")
                    .await?;
            }
            _ => {
                for table in LOGS {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_no_replace"))
                        .await?;
                }
                db.execute_unprepared("DROP TABLE IF EXISTS log_chain")
                    .await?;
            }
        }
        // Dropping a column rewrites nothing else; the UPDATE/DELETE guards stay.
        for table in LOGS {
            db.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN key_id"))
                .await?;
        }
        Ok(())
    }
}
