//! When the database goes away under a running server, callers get INTERNAL with a request id and
//! no database text, and `/readyz` says the database is unreachable.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_each_database};

/// Cuts the server off from its database: on PostgreSQL the database stops taking connections and
/// every open one is terminated; on SQLite the server's connection pool is closed.
async fn shut_out_database(app: &TestApp) {
    match &app.backend {
        Backend::Postgres(admin_url) => {
            let admin = sea_orm::Database::connect(admin_url.as_str())
                .await
                .expect("admin connection");
            let name = app
                .settings
                .database_url
                .rsplit('/')
                .next()
                .expect("db name")
                .split('?')
                .next()
                .expect("db name")
                .to_string();
            admin
                .execute_unprepared(&format!(
                    "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"
                ))
                .await
                .expect("refuse connections");
            admin
                .execute_unprepared(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"))
                .await
                .expect("terminate connections");
        }
        Backend::Sqlite => {
            // The test's handle shares the server's pool (sqlx pools are reference-counted).
            app.db.close_by_ref().await.expect("close pool");
        }
    }
}

#[tokio::test]
async fn a_lost_database_answers_internal_with_a_request_id_and_no_sql() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        app.create_employer(&token, "Before The Outage", "CONSTRUCTION")
            .await;
        shut_out_database(&app).await;

        let r = app
            .graphql(
                Some(&token),
                "{ employers(first: 5) { nodes { name } } }",
                json!({}),
            )
            .await;
        let text = r.body.to_string().to_lowercase();
        assert_eq!(r.error_code(), Some("INTERNAL"), "{}", r.body);
        let request_id = r
            .body
            .pointer("/errors/0/extensions/requestId")
            .and_then(Value::as_str)
            .expect("request id");
        assert_eq!(
            r.headers.get("x-request-id").and_then(|v| v.to_str().ok()),
            Some(request_id)
        );
        for leak in [
            "select",
            "sqlite",
            "postgres",
            "pool",
            "connection",
            "database",
            "employer\"",
            "/tmp",
        ] {
            assert!(!text.contains(leak), "response leaks {leak:?}: {text}");
        }

        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = ready.json().await.expect("json");
        assert_eq!(body["database"], "unreachable");
        assert_eq!(
            app.get("/healthz").await.status(),
            StatusCode::OK,
            "the process itself is alive"
        );
    })
    .await;
}
