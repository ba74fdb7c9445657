//! GraphQL over HTTP: media types, status codes, methods, limits, and the service's other routes.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{on_each_database, on_each_database_with};

#[tokio::test]
async fn queries_run_over_get_and_mutations_do_not() {
    on_each_database(|app| async move {
        let token = app.admin_token();
        let r = app
            .client
            .get(format!("{}/graphql", app.address))
            .query(&[("query", "{ viewer { name } }")])
            .bearer_auth(&token)
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["data"]["viewer"]["name"], "Ada Admin");

        let r = app
            .client
            .get(format!("{}/graphql", app.address))
            .query(&[(
                "query",
                "mutation { teamCreate(input: {name: \"x\", site: \"y\"}) { team { id } } }",
            )])
            .bearer_auth(&token)
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            r.headers().get("allow").and_then(|v| v.to_str().ok()),
            Some("POST")
        );
        // Nothing was created.
        let r = app.ok(&token, "{ teams { totalCount } }", json!({})).await;
        assert_eq!(r.data("teams.totalCount"), 0);
    })
    .await;
}

#[tokio::test]
async fn media_types_are_negotiated() {
    on_each_database(|app| async move {
        let post = |accept: Option<&'static str>| {
            let mut r = app
                .client
                .post(format!("{}/graphql", app.address))
                .header("content-type", "application/json")
                .body(r#"{"query":"{ __typename }"}"#);
            if let Some(a) = accept {
                r = r.header("accept", a);
            }
            r.send()
        };
        let content_type = |r: &reqwest::Response| {
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };

        let r = post(Some("application/graphql-response+json"))
            .await
            .expect("sent");
        assert!(content_type(&r).starts_with("application/graphql-response+json"));
        let r = post(Some("application/json")).await.expect("sent");
        assert!(content_type(&r).starts_with("application/json"));
        let r = post(None).await.expect("sent");
        assert!(content_type(&r).starts_with("application/json"));
        let r = post(Some("text/html")).await.expect("sent");
        assert_eq!(r.status(), StatusCode::NOT_ACCEPTABLE);
    })
    .await;
}

#[tokio::test]
async fn request_errors_are_400_under_graphql_response_json_and_200_under_json() {
    on_each_database(|app| async move {
        for (accept, status) in [
            ("application/graphql-response+json", StatusCode::BAD_REQUEST),
            ("application/json", StatusCode::OK),
        ] {
            for query in ["{", "{ noSuchField }"] {
                let r = app
                    .client
                    .post(format!("{}/graphql", app.address))
                    .header("content-type", "application/json")
                    .header("accept", accept)
                    .body(json!({ "query": query }).to_string())
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(r.status(), status, "{accept} {query}");
                let body: Value = r.json().await.expect("json");
                assert!(
                    body.get("data").is_none(),
                    "a request error has no data: {body}"
                );
                assert!(body["errors"][0]["message"].is_string());
            }
        }
    })
    .await;
}

#[tokio::test]
async fn malformed_posts_get_clear_4xx_answers() {
    on_each_database(|app| async move {
        let url = format!("{}/graphql", app.address);
        let send = |content_type: Option<&'static str>, body: String| {
            let mut r = app.client.post(&url).body(body);
            if let Some(ct) = content_type {
                r = r.header("content-type", ct);
            }
            r.send()
        };
        let r = send(Some("text/plain"), r#"{"query":"{ __typename }"}"#.into())
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let r = send(None, r#"{"query":"{ __typename }"}"#.into())
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let r = send(Some("application/json"), String::new())
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let r = send(Some("application/json"), "{not json".into())
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let r = send(
            Some("application/json"),
            r#"{"qeury":"{ __typename }"}"#.into(),
        )
        .await
        .expect("sent");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let r = send(
            Some("application/json"),
            r#"{"query":"{ __typename }","variables":"nope"}"#.into(),
        )
        .await
        .expect("sent");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);

        let r = send(
            Some("application/json"),
            r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#.into(),
        )
        .await
        .expect("sent");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body: Value = r.json().await.expect("json");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("batch"),
            "{body}"
        );

        let r = app.client.put(&url).send().await.expect("sent");
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    on_each_database_with(|s| s.max_body_bytes = 1024, |app| async move {
    let padding = "x".repeat(2048);
    let r = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(json!({ "query": "{ __typename }", "operationName": null, "extensions": { "pad": padding } }).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    })
    .await;
}

#[tokio::test]
async fn deep_queries_are_refused_but_introspection_is_not() {
    on_each_database(|app| async move {
    let token = app.admin_token();
    // The introspection query GraphiQL and graphql-inspector send.
    let introspection = include_str!("introspection.graphql");
    let r = app.graphql(Some(&token), introspection, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.data("__schema.types")
            .as_array()
            .is_some_and(|t| t.len() > 20)
    );

    let mut deep = String::from(
        "{ viewer { team { members { team { members { team { members { team { members { team { members { team { members { team { members { team { name",
    );
    deep.push_str(&" }".repeat(17));
    let r = app.graphql(Some(&token), &deep, json!({})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("deep"),
        "{}",
        r.body
    );
    })
    .await;
}

#[tokio::test]
async fn complexity_multiplies_by_page_size() {
    on_each_database_with(|s| s.max_complexity = 5_000, |app| async move {
    let token = app.admin_token();
    let small =
        "{ employers(first: 10) { nodes { name engagements(first: 10) { nodes { outcome } } } } }";
    let r = app.graphql(Some(&token), small, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let large = "{ employers(first: 100) { nodes { name engagements(first: 100) { nodes { outcome } } } } }";
    let r = app.graphql(Some(&token), large, json!({})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("complex"),
        "{}",
        r.body
    );
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    on_each_database(|app| async move {
        let r = app.get("/healthz").await;
        assert_eq!(r.status(), StatusCode::OK);
        let id = r
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .expect("x-request-id")
            .to_string();
        assert!(uuid::Uuid::parse_str(&id).is_ok());
    })
    .await;
}

#[tokio::test]
async fn health_schema_and_graphiql_routes_answer() {
    on_each_database(|app| async move {
        let r = app.get("/healthz").await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = app.get("/readyz").await;
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["database"], "ok");
        let r = app.get("/schema.graphql").await;
        assert_eq!(r.status(), StatusCode::OK);
        let sdl = r.text().await.expect("text");
        assert!(sdl.contains("type Employer implements Node"), "{sdl}");
        let r = app.get("/").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.expect("html").contains("graphiql"));
    })
    .await;
}

#[tokio::test]
async fn graphiql_can_be_switched_off() {
    on_each_database_with(
        |s| s.graphiql = false,
        |app| async move {
            assert_eq!(app.get("/").await.status(), StatusCode::NOT_FOUND);
        },
    )
    .await;
}

#[tokio::test]
async fn a_request_over_its_time_limit_is_stopped() {
    // Three hundred database round trips cannot finish within one millisecond.
    on_each_database_with(|s| s.request_timeout_ms = 1, |app| async move {
        let ids: Vec<String> = (0..100).map(|_| crate::helpers::global_id("Employer", uuid::Uuid::now_v7())).collect();
        let query = "query($ids: [ID!]!) { a: nodes(ids: $ids) { id } b: nodes(ids: $ids) { id } c: nodes(ids: $ids) { id } }";
        let r = app.graphql(Some(&app.admin_token()), query, json!({ "ids": ids })).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert_eq!(r.error_code(), Some("TIMEOUT"));
    })
    .await;
}

#[tokio::test]
async fn an_argument_that_cannot_be_coerced_is_the_callers_fault() {
    on_each_database(|app| async move {
        // `$s` is nullable and left out, but `sort` is non-null (with a default): a caller fault.
        let query = "query($t: String, $s: VacancySort) { vacancySearch(text: $t, sort: $s) { totalCount } }";
        let r = app.graphql(Some(&app.admin_token()), query, json!({ "t": "cleaner" })).await;
        assert_ne!(r.error_code(), Some("INTERNAL"), "{}", r.body);
        let request_error = r.status == StatusCode::BAD_REQUEST;
        assert!(request_error || r.error_code() == Some("BAD_USER_INPUT"), "{}", r.body);
        assert!(r.body["errors"][0]["message"].as_str().unwrap_or("").contains("VacancySort"), "{}", r.body);
    })
    .await;
}
