//! What front-end tools rely on, over real HTTP: every consent version its own node, integrators as
//! nodes, lists in the order asked with cursors bound to it, automatic persisted queries, GraphiQL
//! under its Content-Security-Policy, and CORS for the configured origins only.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, on_each_database, on_each_database_with};

const REGISTER: &str = "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { field code message } } }";
const GRANT: &str = "mutation($input: ConsentGrantInput!) { consentGrant(input: $input) { consent { id seriesId version } userErrors { field code message } } }";
const HISTORY: &str = "query($id: ID!) { client(id: $id) { consentHistory { id seriesId version status wording employer { id } } } }";

async fn client(app: &TestApp, token: &str, name: &str, referred: &str) -> String {
    let r = app
        .ok(token, REGISTER, json!({ "input": { "name": name, "referralDate": referred, "referralSource": "TREATMENT_KEYWORKER" } }))
        .await;
    r.data("clientRegister.client.id")
        .as_str()
        .unwrap_or_else(|| panic!("client: {}", r.body))
        .to_string()
}

#[tokio::test]
async fn every_consent_version_is_a_node_of_its_own_in_one_series() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let person = client(&app, &token, "Robin Versions", "2026-08-01").await;
        let employer = app.create_employer(&token, "Calder Foods", "MANUFACTURING").await;
        let r = app.ok(&token, GRANT, json!({ "input": { "clientId": person, "employerId": employer, "purpose": "LIAISON",
            "level": "SERVICE_AFFILIATION", "items": ["SERVICE_AFFILIATION"], "whoDiscloses": "SPECIALIST",
            "wording": "You may tell Calder Foods I am supported by the employment service.", "capturedHow": "IN_PERSON_SIGNED",
            "expiresAt": "2027-06-30T00:00:00Z" } })).await;
        let first = r.data("consentGrant.consent.id").as_str().expect("id").to_string();
        let series = r.data("consentGrant.consent.seriesId").as_str().expect("series").to_string();
        assert_ne!(first, series);
        // A change by the series id, then a revocation by the first version's id (it names its series).
        let r = app.ok(&token, "mutation($id: ID!) { consentChange(input: { id: $id, version: 1, level: SERVICE_AFFILIATION, items: [SERVICE_AFFILIATION], whoDiscloses: SPECIALIST, wording: \"Only that I am supported.\", capturedHow: PHONE_VERBAL, expiresAt: \"2027-06-30T00:00:00Z\" }) { consent { id seriesId version } userErrors { field code message } } }",
            json!({ "id": series })).await;
        assert_eq!(r.user_errors("consentChange"), vec![], "{}", r.body);
        assert_eq!(r.data("consentChange.consent.seriesId"), &json!(series));
        let r = app.ok(&token, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: PHONE_VERBAL }) { consent { version status } userErrors { field code } } }",
            json!({ "id": first })).await;
        assert_eq!(r.data("consentRevoke.consent.version"), 3, "{}", r.body);

        let r = app.ok(&token, HISTORY, json!({ "id": person })).await;
        let history = r.data("client.consentHistory").as_array().expect("history").clone();
        let ids: std::collections::HashSet<&str> = history.iter().map(|v| v["id"].as_str().expect("id")).collect();
        assert_eq!(history.len(), 3);
        assert_eq!(ids.len(), 3, "each version has its own id: {history:?}");
        assert!(history.iter().all(|v| v["seriesId"] == json!(series)));
        let statuses: Vec<&Value> = history.iter().map(|v| &v["status"]).collect();
        assert_eq!(statuses, [&json!("ACTIVE"), &json!("ACTIVE"), &json!("REVOKED")]);

        // node() returns exactly the version asked for; a series id is not a node.
        for version in &history {
            let r = app.ok(&token, "query($id: ID!) { node(id: $id) { id ... on Consent { version wording } } }", json!({ "id": version["id"] })).await;
            assert_eq!(r.data("node.id"), &version["id"]);
            assert_eq!(r.data("node.wording"), &version["wording"]);
        }
        let r = app.ok(&token, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": series })).await;
        assert_eq!(r.data("node"), &Value::Null);

        // A specialist of another team reaches neither the client nor its consents.
        let (_, _, stranger) = app.specialist().await;
        let r = app.ok(&stranger, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": ids.iter().collect::<Vec<_>>() })).await;
        assert_eq!(r.data("nodes"), &json!([null, null, null]), "{}", r.body);
        let r = app.ok(&stranger, "mutation($id: ID!) { consentRevoke(input: { id: $id, capturedHow: PHONE_VERBAL }) { consent { id } userErrors { field code } } }",
            json!({ "id": series })).await;
        assert_eq!(r.user_errors("consentRevoke"), vec![("input.id".to_string(), "NOT_FOUND".to_string())], "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn integrators_are_nodes_to_admins_and_to_themselves_only() {
    on_each_database(|app| async move {
        let (integrator, token) = app.integrator("dwp-find-a-job").await;
        let id = crate::helpers::global_id("Integrator", integrator);
        let r = app
            .integration_ok(
                &token,
                "{ viewer { integrator { id name sourceKey } grantedScopes } }",
                json!({}),
            )
            .await;
        assert_eq!(r.data("viewer.integrator.id"), &json!(id));
        assert!(
            r.data("viewer.grantedScopes")
                .as_array()
                .is_some_and(|s| !s.is_empty()),
            "{}",
            r.body
        );
        let r = app
            .integration_ok(
                &token,
                "query($id: ID!) { node(id: $id) { id ... on Integrator { sourceKey } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(r.data("node.sourceKey"), "dwp-find-a-job");

        let (other, _) = app.integrator("other-feed").await;
        let other = crate::helpers::global_id("Integrator", other);
        let r = app
            .integration_ok(
                &token,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": other }),
            )
            .await;
        assert_eq!(
            r.data("node"),
            &Value::Null,
            "another integrator is not shown"
        );

        let r = app
            .ok(
                &app.admin_token(),
                "query($id: ID!) { node(id: $id) { id ... on Integrator { name } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(r.data("node.id"), &json!(id));
        let (_, _, specialist) = app.specialist().await;
        let r = app
            .ok(
                &specialist,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(r.data("node"), &Value::Null);
    })
    .await;
}

#[tokio::test]
async fn lists_come_in_the_order_asked_and_a_cursor_keeps_to_its_order() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        for (name, referred) in [("Ada", "2026-03-01"), ("Bea", "2026-01-15"), ("Cal", "2026-02-10"), ("Dee", "2026-01-15")] {
            client(&app, &token, name, referred).await;
        }
        let page = |order: Value, after: Value| {
            let app = &app;
            let token = &token;
            async move {
                app.ok(token, "query($o: ClientOrder, $a: String) { clients(orderBy: $o, first: 2, after: $a) { nodes { name referralDate } pageInfo { endCursor hasNextPage } } }",
                    json!({ "o": order, "a": after })).await
            }
        };
        let names = |r: &crate::helpers::Response| -> Vec<String> {
            r.data("clients.nodes").as_array().expect("nodes").iter().map(|n| n["name"].as_str().expect("name").to_string()).collect()
        };
        let by_referral = json!({ "field": "REFERRAL_DATE", "direction": "DESC" });
        let first = page(by_referral.clone(), Value::Null).await;
        assert_eq!(names(&first), ["Ada", "Cal"]);
        let cursor = first.data("clients.pageInfo.endCursor").clone();
        let second = page(by_referral, cursor.clone()).await;
        // Bea and Dee share a referral day; the id breaks the tie, so both come, once each.
        let mut rest = names(&second);
        rest.sort();
        assert_eq!(rest, ["Bea", "Dee"]);
        assert_eq!(second.data("clients.pageInfo.hasNextPage"), false);
        let default = page(Value::Null, Value::Null).await;
        assert_eq!(names(&default), ["Ada", "Bea"], "by name unless asked");

        // The cursor of one order is refused by another, by the argument's name.
        let r = app.graphql(Some(&token), "query($a: String) { clients(orderBy: { field: NAME, direction: ASC }, after: $a) { totalCount } }", json!({ "a": cursor })).await;
        assert_eq!(r.error_code(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert!(r.body.to_string().contains("`after`"), "{}", r.body);
    })
    .await;
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

async fn apq(app: &TestApp, token: &str, body: Value) -> (reqwest::StatusCode, Value) {
    let r = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .bearer_auth(token)
        .body(body.to_string())
        .send()
        .await
        .expect("sent");
    let status = r.status();
    (status, r.json().await.expect("json"))
}

#[tokio::test]
async fn a_persisted_query_is_sent_once_then_by_its_hash() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let query = "query Caseload { clients(first: 5) { totalCount } }";
        let hash = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(query) } });
        let (status, body) = apq(&app, &token, json!({ "extensions": hash })).await;
        assert_eq!(status, 200);
        assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND", "{body}");
        assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");

        let (_, body) = apq(&app, &token, json!({ "query": query, "extensions": hash })).await;
        assert_eq!(body["data"]["clients"]["totalCount"], 0, "{body}");
        let (_, body) = apq(&app, &token, json!({ "extensions": hash })).await;
        assert_eq!(body["data"]["clients"]["totalCount"], 0, "by hash alone: {body}");

        // Kept for its sender only: whether a hash is known tells nobody what someone else ran,
        // and an anonymous caller keeps nothing.
        let (_, _, colleague) = app.specialist().await;
        let (_, body) = apq(&app, &colleague, json!({ "extensions": hash })).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND", "{body}");
        let r = app.client.post(format!("{}/graphql", app.address)).header("content-type", "application/json")
            .body(json!({ "extensions": hash }).to_string()).send().await.expect("sent");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_SUPPORTED", "{body}");

        // Over GET too, and a persisted mutation may still not run over GET.
        let url = format!("{}/graphql?extensions={}", app.address, urlencode(&hash.to_string()));
        let r = app.client.get(&url).header("accept", "application/json").bearer_auth(&token).send().await.expect("sent");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["data"]["clients"]["totalCount"], 0, "{body}");
        let mutation = "mutation { teamCreate(input: { name: \"By hash\", site: \"Leeds\" }) { team { id } } }";
        let m_hash = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(mutation) } });
        apq(&app, &app.admin_token(), json!({ "query": mutation, "extensions": m_hash })).await;
        let url = format!("{}/graphql?extensions={}", app.address, urlencode(&m_hash.to_string()));
        let r = app.client.get(&url).header("accept", "application/json").bearer_auth(app.admin_token()).send().await.expect("sent");
        assert_eq!(r.status(), 405);

        // A document that is not its hash is refused, and nothing is kept under the hash.
        let other = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256("{ viewer { id } }") } });
        let (status, body) = apq(&app, &token, json!({ "query": query, "extensions": other })).await;
        assert_eq!(status, 400, "{body}");
        assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("sha256Hash")), "{body}");
        let (_, body) = apq(&app, &token, json!({ "extensions": other })).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND", "{body}");
        // A malformed extension is named.
        let (status, body) = apq(&app, &token, json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "abc" } } })).await;
        assert_eq!(status, 400);
        assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("extensions.persistedQuery")), "{body}");
    })
    .await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn graphiql_loads_only_pinned_files_under_its_policy() {
    on_each_database(|app| async move {
        let r = app.get("/").await;
        assert_eq!(r.status(), 200);
        let policy = r.headers()["content-security-policy"]
            .to_str()
            .expect("policy")
            .to_string();
        assert!(
            policy.contains("default-src 'none'")
                && policy.contains("script-src 'self' https://cdn.jsdelivr.net"),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(
            !policy.contains("jsdelivr.net;"),
            "only the pinned files, not the whole CDN: {policy}"
        );
        for asset in ipsmatch::graphiql::assets() {
            let url = format!(
                "https://cdn.jsdelivr.net/npm/{}@{}/{}",
                asset.package, asset.version, asset.path
            );
            assert!(policy.contains(&url), "{policy}");
        }
        let page = r.text().await.expect("page");
        for asset in ipsmatch::graphiql::assets() {
            assert!(
                page.contains(&format!("integrity=\"{}\"", asset.integrity)),
                "{} without its hash",
                asset.file
            );
        }
        assert!(!page.contains("development.js"), "no development builds");
        let init = app.get("/graphiql/init.js").await;
        assert_eq!(init.status(), 200);
        assert!(
            init.text()
                .await
                .expect("script")
                .contains("GraphiQL.createFetcher")
        );
        // Without a local folder nothing else is served under /graphiql/.
        assert_eq!(app.get("/graphiql/graphiql.min.js").await.status(), 404);
        assert_eq!(app.get("/graphiql/..%2FCargo.toml").await.status(), 404);
    })
    .await;
}

/// A browser's preflight from `origin` for a POST with a token.
async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("sent")
}

/// A POST of `query` from a page on `origin`, with `token` when given.
async fn post_from(
    app: &TestApp,
    origin: &str,
    token: Option<&str>,
    query: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("origin", origin)
        .header("content-type", "application/json")
        .body(json!({ "query": query }).to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn only_configured_origins_may_read_responses_and_never_with_credentials() {
    on_each_database_with(
        |s| s.cors_allowed_origins = vec!["https://app.example.org".into()],
        |app| async move {
            let r = preflight(&app, "https://app.example.org").await;
            assert!(r.status().is_success(), "{}", r.status());
            assert_eq!(
                r.headers()["access-control-allow-origin"],
                "https://app.example.org"
            );
            assert!(
                r.headers()
                    .get("access-control-allow-credentials")
                    .is_none()
            );
            let allowed = r.headers()["access-control-allow-headers"]
                .to_str()
                .expect("headers")
                .to_ascii_lowercase();
            assert!(
                allowed.contains("authorization") && allowed.contains("content-type"),
                "{allowed}"
            );

            let r = preflight(&app, "https://evil.example.com").await;
            assert!(
                r.headers().get("access-control-allow-origin").is_none(),
                "{:?}",
                r.headers()
            );

            let (_, _, token) = app.specialist().await;
            let r = post_from(
                &app,
                "https://app.example.org",
                Some(&token),
                "{ viewer { id } }",
            )
            .await;
            assert_eq!(
                r.headers()["access-control-allow-origin"],
                "https://app.example.org"
            );
            assert!(
                r.headers()
                    .get("access-control-allow-credentials")
                    .is_none()
            );
            let r = post_from(
                &app,
                "https://evil.example.com",
                Some(&token),
                "{ viewer { id } }",
            )
            .await;
            assert_eq!(r.status(), 200, "a non-browser caller is not blocked");
            assert!(r.headers().get("access-control-allow-origin").is_none());
        },
    )
    .await;
}

#[tokio::test]
async fn with_no_origin_configured_no_other_origin_may_read() {
    on_each_database(|app| async move {
        let r = post_from(&app, "https://app.example.org", None, "{ __typename }").await;
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{:?}",
            r.headers()
        );
    })
    .await;
}
