//! Logs you can trust, and SQLite under ordinary use. The audit and disclosure logs: entries cut
//! from the end (or a whole table emptied) are found through the exported checkpoints, a rewritten
//! entry cannot be re-chained without the log key, SQLite's `INSERT OR REPLACE` and PostgreSQL's
//! `TRUNCATE` are refused, and a service role that does not own the tables cannot delete from them.
//! Audited reads of many clients in one request, and readers racing writers, answer without errors.
//! The data folder and the files in it are private.

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_each_database};

const REGISTER: &str = "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { field code } } }";
const RECORD_SENSITIVE: &str = "mutation($input: ClientSensitiveRecordInput!) { clientSensitiveRecord(input: $input) { client { id } userErrors { field code } } }";
const READ_PAGE: &str =
    "{ clients(first: 6) { nodes { sensitive(purpose: SUPPORT_PLANNING) { recordedAt } } } }";
const ENGAGEMENT_CREATE: &str = "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id } userErrors { field code } } }";

async fn client_with_facts(app: &TestApp, token: &str, name: &str) -> String {
    let r = app
        .ok(token, REGISTER, json!({ "input": { "name": name, "referralDate": "2026-08-01", "referralSource": "TREATMENT_KEYWORKER" } }))
        .await;
    let client = r
        .data("clientRegister.client.id")
        .as_str()
        .expect("client")
        .to_string();
    let r = app
        .ok(token, RECORD_SENSITIVE, json!({ "input": { "clientId": client, "primarySubstanceGroup": "ALCOHOL_ONLY", "treatmentStatus": "IN_TREATMENT" } }))
        .await;
    assert_eq!(r.user_errors("clientSensitiveRecord"), vec![], "{}", r.body);
    client
}

/// Fills both logs: a few audited writes and reads, and a few disclosures under a consent.
async fn fill_both_logs(app: &TestApp) {
    let (_, _, token) = app.specialist().await;
    let client = client_with_facts(app, &token, "Morgan Logged").await;
    for purpose in ["RISK_ASSESSMENT", "SUPPORT_PLANNING"] {
        app.ok(&token, &format!("query($id: ID!) {{ client(id: $id) {{ sensitive(purpose: {purpose}) {{ version }} }} }}"), json!({ "id": client }))
            .await;
    }
    let employer = app
        .create_employer(&token, "Calder Foods", "MANUFACTURING")
        .await;
    let grant = json!({ "input": { "clientId": client, "employerId": employer, "purpose": "INTRODUCTION", "level": "SERVICE_AFFILIATION",
        "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST", "wording": "You may tell Calder Foods that I am supported by the service.",
        "capturedHow": "IN_PERSON_SIGNED", "expiresAt": "2027-06-30T00:00:00Z" } });
    let r = app.ok(&token, "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { userErrors { field code } } }", grant).await;
    assert_eq!(r.user_errors("consentGrant"), vec![], "{}", r.body);
    for channel in ["PHONE", "EMAIL", "FACE_TO_FACE"] {
        let r = app
            .ok(&token, "mutation($input: ClientIntroduceInput!) { clientIntroduce(input: $input) { userErrors { field code } } }",
                json!({ "input": { "clientId": client, "employerId": employer, "items": ["SERVICE_AFFILIATION"], "channel": channel } }))
            .await;
        assert_eq!(r.user_errors("clientIntroduce"), vec![], "{}", r.body);
    }
}

/// What `ipsmatch audit verify` prints and whether it passes (the function the command runs).
async fn verify(app: &TestApp) -> (String, bool) {
    ipsmatch::cli::audit_verify(&app.settings)
        .await
        .expect("audit verify")
}

/// `ipsmatch audit checkpoint`, run as the command.
fn checkpoint_by_command(app: &TestApp) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ipsmatch-under-test"))
        .args(["audit", "checkpoint", "--log", "error"])
        .arg("--data-dir")
        .arg(&app.settings.data_dir)
        .arg("--database-url")
        .arg(app.settings.effective_database_url())
        .output()
        .expect("run audit checkpoint");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    said
}

async fn last_seq(db: &DatabaseConnection, table: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT MAX(seq) FROM {table}"),
    ))
    .await
    .expect("query")
    .expect("row")
    .try_get_by_index::<i64>(0)
    .expect("seq")
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared(sql).await.map(|_| ())
}

#[tokio::test]
async fn entries_cut_from_the_end_of_either_log_are_found_by_the_checkpoints() {
    on_each_database(|app| async move {
        fill_both_logs(&app).await;
        let said = checkpoint_by_command(&app);
        assert!(
            said.contains("audit log: checkpoint at entry")
                && said.contains("disclosure log: checkpoint at entry"),
            "{said}"
        );
        let (said, intact) = verify(&app).await;
        assert!(intact, "{said}");
        assert!(
            said.contains("audit log: intact") && said.contains("disclosure log: intact"),
            "{said}"
        );

        // Someone with rights over the schema lifts the guards and deletes the newest entries.
        let audit_head = last_seq(&app.db, "audit_event").await;
        let disclosure_head = last_seq(&app.db, "disclosure_event").await;
        crate::consent::lift_append_only_guard(&app, "audit_event").await;
        crate::consent::lift_append_only_guard(&app, "disclosure_event").await;
        exec(
            &app.db,
            &format!("DELETE FROM audit_event WHERE seq = {audit_head}"),
        )
        .await
        .expect("cut");
        exec(
            &app.db,
            &format!(
                "DELETE FROM disclosure_event WHERE seq >= {}",
                disclosure_head - 1
            ),
        )
        .await
        .expect("cut");
        let (said, intact) = verify(&app).await;
        assert!(!intact, "{said}");
        assert!(
            said.contains(&format!(
                "audit log: BROKEN at entry {audit_head}: it is missing"
            )),
            "{said}"
        );
        assert!(
            said.contains(&format!(
                "disclosure log: BROKEN at entry {disclosure_head}: it is missing"
            )),
            "{said}"
        );
        assert!(
            said.contains(&format!("the log now ends at entry {}", audit_head - 1)),
            "{said}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_rewritten_entry_cannot_be_rechained_without_the_log_key() {
    on_each_database(|app| async move {
        fill_both_logs(&app).await;
        crate::consent::lift_append_only_guard(&app, "audit_event").await;
        let entries = ipsmatch::audit::entries(&app.db).await.expect("entries");
        assert!(entries.len() >= 3 && entries.iter().all(|e| e.key_id.is_some()), "every entry is keyed");
        let target = entries[1].seq;

        // Rewrite the second entry's purpose and rebuild the chain from there as the unkeyed
        // SHA-256 chain it used to be, first keeping each entry's key id, then claiming the entries
        // are unkeyed ones from before the logs were keyed.
        for claim_unkeyed in [false, true] {
            exec(&app.db, &format!("UPDATE audit_event SET purpose = 'CLIENT_REQUEST' WHERE seq = {target}")).await.expect("tamper");
            let entries = ipsmatch::audit::entries(&app.db).await.expect("entries");
            let mut prev = ipsmatch::log_chain::GENESIS.to_string();
            for entry in &entries {
                let parts: Vec<&str> = entry.parts.iter().map(String::as_str).collect();
                let hash = ipsmatch::log_chain::link(None, &prev, &parts);
                let key = if claim_unkeyed { "NULL".to_string() } else { format!("'{}'", entry.key_id.as_deref().unwrap_or_default()) };
                exec(&app.db, &format!("UPDATE audit_event SET prev_hash = '{prev}', hash = '{hash}', key_id = {key} WHERE seq = {}", entry.seq))
                    .await
                    .expect("rechain");
                prev = hash;
            }
            let (said, intact) = verify(&app).await;
            assert!(!intact, "{said}");
            let first = entries[0].seq;
            assert!(said.contains(&format!("audit log: BROKEN at entry {first}")), "the rebuilt chain fails at its first entry: {said}");
        }
    })
    .await;
}

#[tokio::test]
async fn sqlite_refuses_insert_or_replace_of_a_log_entry() {
    on_each_database(|app| async move {
        if app.backend != Backend::Sqlite {
            return;
        }
        fill_both_logs(&app).await;
        let audit = "INSERT OR REPLACE INTO audit_event (seq, at, actor_id, action, client_id, purpose, detail, prev_hash, hash, key_id) \
                     SELECT seq, at, actor_id, action, client_id, 'CLIENT_REQUEST', detail, prev_hash, hash, key_id FROM audit_event WHERE seq = 2";
        let disclosure = "REPLACE INTO disclosure_event SELECT seq, at, client_id, employer_id, contact_id, vacancy_id, act, 'LETTER', items, \
                          consent_row_id, consent_version, actor_id, prev_hash, hash, key_id FROM disclosure_event WHERE seq = 2";
        for sql in [audit, disclosure] {
            let refused = exec(&app.db, sql).await;
            assert!(refused.is_err_and(|e| e.to_string().contains("append-only")), "{sql} must be refused");
        }
        let (said, intact) = verify(&app).await;
        assert!(intact, "{said}");
        // Without the guard the replacement goes through, and the chain shows it.
        for table in ["audit_event", "disclosure_event"] {
            exec(&app.db, &format!("DROP TRIGGER {table}_no_replace")).await.expect("lift");
        }
        exec(&app.db, audit).await.expect("replace");
        exec(&app.db, disclosure).await.expect("replace");
        let (said, intact) = verify(&app).await;
        assert!(!intact, "{said}");
        assert!(said.contains("audit log: BROKEN at entry 2") && said.contains("disclosure log: BROKEN at entry 2"), "{said}");
    })
    .await;
}

#[tokio::test]
async fn postgres_refuses_truncate_and_an_emptied_log_is_found() {
    on_each_database(|app| async move {
        if app.backend == Backend::Sqlite {
            return;
        }
        fill_both_logs(&app).await;
        ipsmatch::log_chain::checkpoint(&app.settings, &app.db)
            .await
            .expect("checkpoint");
        for table in ["audit_event", "disclosure_event", "log_chain"] {
            let refused = exec(&app.db, &format!("TRUNCATE {table}")).await;
            assert!(
                refused.is_err_and(|e| e.to_string().contains("append-only")),
                "TRUNCATE {table} must be refused"
            );
        }
        let audit_head = last_seq(&app.db, "audit_event").await;
        exec(
            &app.db,
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate",
        )
        .await
        .expect("lift");
        exec(&app.db, "TRUNCATE audit_event")
            .await
            .expect("truncate");
        let (said, intact) = verify(&app).await;
        assert!(!intact, "{said}");
        assert!(
            said.contains(&format!(
                "audit log: BROKEN at entry {audit_head}: it is missing"
            )),
            "{said}"
        );
        assert!(said.contains("disclosure log: intact"), "{said}");
    })
    .await;
}

#[tokio::test]
async fn log_chain_accepts_its_key_once_and_nothing_else() {
    on_each_database(|app| async move {
        for sql in [
            "UPDATE log_chain SET key_id = 'someone-else'",
            "UPDATE log_chain SET audit_legacy_through = 1000",
            "DELETE FROM log_chain",
            "INSERT INTO log_chain (id, key_id, audit_legacy_through, disclosure_legacy_through) VALUES (2, NULL, 0, 0)",
        ] {
            assert!(exec(&app.db, sql).await.is_err(), "{sql} must be refused");
        }
    })
    .await;
}

#[tokio::test]
async fn entries_from_before_the_logs_were_keyed_still_verify_and_the_keyed_chain_holds_them() {
    use migration::MigratorTrait;
    on_each_database(|app| async move {
        // A database as it was before the logs were keyed, with two unkeyed entries.
        let fresh = tempfile::tempdir().expect("dir");
        let mut settings = ipsmatch::config::Settings::with_data_dir(fresh.path());
        if let Backend::Postgres(_) = app.backend {
            // The app's own database: take it back to before migration 9.
            settings.database_url = app.settings.database_url.clone();
        }
        let db = ipsmatch::db::connect(&settings).await.expect("connect");
        if app.backend == Backend::Sqlite {
            migration::Migrator::up(&db, None).await.expect("migrate");
        }
        // Back past migration 9 (the keyed logs) and every one after it.
        let migrations = migration::Migrator::migrations();
        let keyed = migrations.iter().position(|m| m.name() == "m20261202_000009_trusted_logs").expect("the keyed-logs migration");
        let steps = u32::try_from(migrations.len() - keyed).expect("steps");
        migration::Migrator::down(&db, Some(steps)).await.expect("before the keyed logs");
        let mut prev = ipsmatch::log_chain::GENESIS.to_string();
        for (seq, purpose) in [(1, "RISK_ASSESSMENT"), (2, "SUPPORT_PLANNING")] {
            let at = ipsmatch::db::now();
            let actor = uuid::Uuid::now_v7();
            let parts = [at.timestamp_micros().to_string(), actor.to_string(), "SENSITIVE_READ".into(), String::new(), purpose.into(), "primarySubstanceGroup".into()];
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            let hash = ipsmatch::log_chain::link(None, &prev, &parts);
            db.execute_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                match db.get_database_backend() {
                    sea_orm::DatabaseBackend::Postgres => "INSERT INTO audit_event (seq, at, actor_id, action, client_id, purpose, detail, prev_hash, hash) VALUES ($1, $2, $3, 'SENSITIVE_READ', NULL, $4, 'primarySubstanceGroup', $5, $6)",
                    _ => "INSERT INTO audit_event (seq, at, actor_id, action, client_id, purpose, detail, prev_hash, hash) VALUES (?, ?, ?, 'SENSITIVE_READ', NULL, ?, 'primarySubstanceGroup', ?, ?)",
                },
                [seq.into(), at.into(), actor.into(), purpose.into(), prev.clone().into(), hash.clone().into()],
            ))
            .await
            .expect("legacy entry");
            prev = hash;
        }
        if let sea_orm::DatabaseBackend::Postgres = db.get_database_backend() {
            exec(&db, "SELECT setval(pg_get_serial_sequence('audit_event', 'seq'), 2)").await.expect("sequence");
        }
        // Upgrading keeps them as they are; new entries are keyed and link to the last of them.
        let db = ipsmatch::startup::prepare_database(&settings).await.expect("upgrade");
        ipsmatch::audit::record_now(&db, ipsmatch::audit::AuditEntry { actor_id: uuid::Uuid::now_v7(), action: ipsmatch::audit::AuditAction::SensitiveRead, client_id: None, purpose: Some("SERVICE_REPORTING"), detail: "counts" })
            .await
            .expect("append");
        let entries = ipsmatch::audit::entries(&db).await.expect("entries");
        let keyed: Vec<bool> = entries.iter().map(|e| e.key_id.is_some()).collect();
        assert_eq!(keyed, [false, false, true]);
        assert_eq!(entries[2].prev_hash, prev);
        let (said, intact) = ipsmatch::cli::audit_verify(&settings).await.expect("verify");
        assert!(intact, "{said}");

        // Rewriting an old entry and rebuilding its unkeyed link breaks the first keyed one.
        let guard = match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
            _ => "DROP TRIGGER audit_event_no_update",
        };
        exec(&db, guard).await.expect("lift");
        let mut rewritten = ipsmatch::audit::entries(&db).await.expect("entries");
        rewritten[1].parts[4] = "CLIENT_REQUEST".into();
        let parts: Vec<&str> = rewritten[1].parts.iter().map(String::as_str).collect();
        let hash = ipsmatch::log_chain::link(None, &rewritten[0].hash, &parts);
        exec(&db, &format!("UPDATE audit_event SET purpose = 'CLIENT_REQUEST', hash = '{hash}' WHERE seq = 2")).await.expect("tamper");
        let (said, intact) = ipsmatch::cli::audit_verify(&settings).await.expect("verify");
        assert!(!intact, "{said}");
        assert!(said.contains("audit log: BROKEN at entry 3"), "{said}");
        drop(fresh);
    })
    .await;
}

#[tokio::test]
async fn a_service_role_that_does_not_own_the_logs_cannot_delete_from_them() {
    on_each_database(|app| async move {
        let Backend::Postgres(_) = app.backend else {
            return;
        };
        fill_both_logs(&app).await;
        let role = format!("ipsmatch_service_{}", uuid::Uuid::now_v7().simple());
        // What the README asks of an installation, after `ipsmatch migrate` as the owner.
        for sql in [
            format!("CREATE ROLE {role} LOGIN"),
            format!("GRANT USAGE ON SCHEMA public TO {role}"),
            format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
            format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
            format!("REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, disclosure_event, log_chain FROM {role}"),
            format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON seaql_migrations FROM {role}"),
        ] {
            exec(&app.db, &sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        let mut settings = app.settings.clone();
        settings.database_url = app.settings.database_url.replacen("postgres@", &format!("{role}@"), 1);
        assert_ne!(settings.database_url, app.settings.database_url);
        // The service starts as that role (migrations already applied, key already claimed) and appends.
        let service = ipsmatch::startup::prepare_database(&settings).await.expect("the service role starts");
        ipsmatch::audit::record_now(&service, ipsmatch::audit::AuditEntry { actor_id: app.admin_id, action: ipsmatch::audit::AuditAction::SensitiveRead, client_id: None, purpose: Some("SERVICE_REPORTING"), detail: "counts" })
            .await
            .expect("the service role appends");
        // Even with the owner's triggers lifted, the service role may not change or remove entries.
        crate::consent::lift_append_only_guard(&app, "audit_event").await;
        exec(&app.db, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate").await.expect("lift");
        for sql in [
            "DELETE FROM audit_event",
            "UPDATE audit_event SET purpose = 'CLIENT_REQUEST'",
            "TRUNCATE audit_event",
            "DELETE FROM disclosure_event",
            "ALTER TABLE audit_event DISABLE TRIGGER ALL",
            "DROP TABLE audit_event",
        ] {
            let refused = exec(&service, sql).await;
            assert!(refused.as_ref().is_err_and(|e| e.to_string().contains("permission denied") || e.to_string().contains("must be owner")), "{sql}: {refused:?}");
        }
        service.close().await.expect("close");
        for sql in [format!("DROP OWNED BY {role}"), format!("DROP ROLE {role}")] {
            exec(&app.db, &sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    })
    .await;
}

/// The errors of a response, if any.
fn errors(r: &crate::helpers::Response) -> Option<&Value> {
    r.body.get("errors")
}

#[tokio::test]
async fn audited_reads_of_a_page_of_clients_all_answer() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        for i in 0..6 {
            client_with_facts(&app, &token, &format!("Client {i}")).await;
        }
        for _ in 0..3 {
            let r = app.graphql(Some(&token), READ_PAGE, json!({})).await;
            assert!(errors(&r).is_none(), "{:?}: {}", app.backend, r.body);
            let nodes = r.data("clients.nodes").as_array().expect("nodes");
            assert_eq!(nodes.len(), 6);
            assert!(
                nodes
                    .iter()
                    .all(|n| n["sensitive"]["recordedAt"].is_string()),
                "{}",
                r.body
            );
        }
        assert_eq!(
            ipsmatch::log_chain::first_broken_link(&app.db, ipsmatch::log_chain::Log::Audit)
                .await
                .expect("verify"),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn readers_of_special_category_facts_and_writers_side_by_side_all_answer() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        for i in 0..5 {
            client_with_facts(&app, &token, &format!("Client {i}")).await;
        }
        let employer = app.create_employer(&token, "Aire Logistics", "TRANSPORT_STORAGE").await;
        let app = std::sync::Arc::new(app);
        let mut tasks = tokio::task::JoinSet::new();
        for worker in 0..16 {
            let (app, token, employer) = (app.clone(), token.clone(), employer.clone());
            tasks.spawn(async move {
                let mut failed = Vec::new();
                for round in 0..5 {
                    let r = if worker % 2 == 0 {
                        app.graphql(Some(&token), READ_PAGE, json!({})).await
                    } else {
                        let input = json!({ "employerId": employer, "occurredAt": chrono::Utc::now().to_rfc3339(), "mode": "PHONE", "purpose": "LEARN_NEEDS", "outcome": format!("call {worker}.{round}") });
                        app.graphql(Some(&token), ENGAGEMENT_CREATE, json!({ "input": input })).await
                    };
                    if errors(&r).is_some() || r.body.pointer("/data/engagementCreate/userErrors/0").is_some() {
                        failed.push(r.body.to_string());
                    }
                }
                failed
            });
        }
        let mut failed = Vec::new();
        while let Some(done) = tasks.join_next().await {
            failed.extend(done.expect("task"));
        }
        assert!(failed.is_empty(), "{:?}: {} of 80 responses had errors, e.g. {}", app.backend, failed.len(), failed[0]);
    })
    .await;
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_and_its_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("srv").join("ipsmatch");
    let settings = ipsmatch::config::Settings::with_data_dir(&data);
    let db = ipsmatch::startup::prepare_database(&settings)
        .await
        .expect("database");
    ipsmatch::auth::load_keys(&settings).expect("keys");
    ipsmatch::audit::record_now(
        &db,
        ipsmatch::audit::AuditEntry {
            actor_id: uuid::Uuid::now_v7(),
            action: ipsmatch::audit::AuditAction::SensitiveRead,
            client_id: None,
            purpose: None,
            detail: "counts",
        },
    )
    .await
    .expect("append");
    ipsmatch::log_chain::checkpoint(&settings, &db)
        .await
        .expect("checkpoint");
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    for folder in [data.parent().expect("parent"), &data] {
        assert_eq!(mode(folder), 0o700, "{}", folder.display());
    }
    for file in [
        "ipsmatch.db",
        "ipsmatch.db-wal",
        "ipsmatch.db-shm",
        "jwt-secret",
        "log-key",
        "log-checkpoints.jsonl",
    ] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    db.close().await.expect("close");
}
