//! The bounds every request runs within: search cursors and page sizes, search and filter text,
//! the cost of the expensive fields, rate limits for anonymous callers and the HTTP reports, the
//! reports' time limit, and error messages that never grow with (or repeat) what was sent.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Response, TestApp, global_id, on_each_database, on_each_database_with};

const SEARCH: &str = "query($text: String, $first: Int, $after: String) {
    vacancySearch(text: $text, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { score } } }";

fn cursor(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// The first error's message.
fn message(r: &Response) -> &str {
    r.body["errors"][0]["message"].as_str().unwrap_or("")
}

/// Asserts a refusal as `BAD_USER_INPUT` whose message names `argument`.
fn refused_naming(r: &Response, argument: &str) {
    assert_eq!(r.error_code(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert!(
        message(r).contains(&format!("`{argument}`")),
        "names {argument}: {}",
        r.body
    );
}

async fn open_vacancy(app: &TestApp, token: &str, title: &str) {
    let r = app
        .ok(
            token,
            "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { userErrors { field } } }",
            json!({ "input": { "title": title, "employerName": "Limits Ltd", "contractType": "PERMANENT", "status": "OPEN",
                "source": { "kind": "FEED", "feed": "test-feed" }, "externalId": uuid::Uuid::now_v7().to_string(), "waitUntilSearchable": true } }),
        )
        .await;
    assert_eq!(r.user_errors("vacancyCreate"), vec![], "{}", r.body);
}

#[tokio::test]
async fn a_search_cursor_past_ten_thousand_hits_is_refused_and_the_server_lives_on() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        open_vacancy(&app, &token, "Cleaner").await;
        // This cursor once made the index reserve room for a trillion hits, and the process died.
        for position in ["1000000000000", "10000", "18446744073709551615"] {
            let after = cursor(&format!("offset:{position}"));
            let r = app
                .graphql(Some(&token), SEARCH, json!({ "after": after }))
                .await;
            refused_naming(&r, "after");
            assert!(!r.body.to_string().contains(&after), "{}", r.body);
        }
        // The deepest cursor the service could hand out is still accepted: an empty last page.
        let r = app
            .ok(&token, SEARCH, json!({ "after": cursor("offset:9999") }))
            .await;
        assert_eq!(r.data("vacancySearch.nodes"), &json!([]));
        assert_eq!(r.data("vacancySearch.pageInfo.hasNextPage"), false);
        // And the server still answers.
        let r = app.ok(&token, SEARCH, json!({ "text": "cleaner" })).await;
        assert_eq!(r.data("vacancySearch.totalCount"), 1);
        // Page sizes are bounded on every list, the change feed's at 1,000.
        let r = app
            .graphql(Some(&token), SEARCH, json!({ "first": 101 }))
            .await;
        refused_naming(&r, "first");
        let r = app
            .graphql(
                Some(&token),
                "{ clients(first: 101) { totalCount } }",
                json!({}),
            )
            .await;
        refused_naming(&r, "first");
        let (_, integrator) = app.integrator("limits").await;
        let r = app
            .integration(
                Some(&integrator),
                "{ changes(first: 1001) { hasMore } }",
                json!({}),
            )
            .await;
        refused_naming(&r, "first");
    })
    .await;
}

#[tokio::test]
async fn a_junk_cursor_is_refused_by_name_and_never_echoed() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let (_, integrator) = app.integrator("limits").await;
        let junk = "J".repeat(64 * 1024);
        let staff_lists = [
            ("{ vacancies(after: $c) { totalCount } }", "after"),
            (
                "{ employers(before: $c, last: 5) { totalCount } }",
                "before",
            ),
            ("{ vacancySearch(after: $c) { totalCount } }", "after"),
        ];
        for (selection, argument) in staff_lists {
            let query = format!("query($c: String) {}", selection);
            let r = app
                .graphql(Some(&token), &query, json!({ "c": junk }))
                .await;
            refused_naming(&r, argument);
            let body = r.body.to_string();
            assert!(body.len() < 2_000, "{} bytes", body.len());
            assert!(!body.contains("JJJJJJJJ"), "{body}");
        }
        let r = app
            .integration(
                Some(&integrator),
                "query($c: String) { changes(after: $c) { hasMore } }",
                json!({ "c": junk }),
            )
            .await;
        refused_naming(&r, "after");
        assert!(!r.body.to_string().contains("JJJJJJJJ"));
    })
    .await;
}

#[tokio::test]
async fn search_and_name_filter_texts_are_bounded_by_words_and_bytes() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        open_vacancy(&app, &token, "Warehouse operative").await;
        let words = |n: usize| {
            (0..n)
                .map(|i| format!("word{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // 32 words and any number of little words are searched.
        let text = format!("in a the for {} warehouse", words(31));
        let r = app.ok(&token, SEARCH, json!({ "text": text })).await;
        assert_eq!(r.data("vacancySearch.totalCount"), 1, "{}", r.body);
        // A 33rd word, or more than 1,000 bytes, is refused naming `text`.
        let text = format!("{} warehouse", words(32));
        let r = app
            .graphql(Some(&token), SEARCH, json!({ "text": text }))
            .await;
        refused_naming(&r, "text");
        let long = "warehouse ".repeat(101);
        let r = app
            .graphql(Some(&token), SEARCH, json!({ "text": long }))
            .await;
        refused_naming(&r, "text");
        // 4,000 words: refused at once, not searched for seconds.
        let started = std::time::Instant::now();
        let r = app
            .graphql(Some(&token), SEARCH, json!({ "text": words(4_000) }))
            .await;
        refused_naming(&r, "text");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        // The name filters of the employer and client lists, and the integrators' employer list.
        for query in [
            "query($t: String) { employers(filter: { text: $t }) { totalCount } }",
            "query($t: String) { clients(filter: { text: $t }) { totalCount } }",
        ] {
            let r = app
                .graphql(Some(&token), query, json!({ "t": words(33) }))
                .await;
            refused_naming(&r, "filter.text");
            let r = app.graphql(Some(&token), query, json!({ "t": long })).await;
            refused_naming(&r, "filter.text");
            app.ok(&token, query, json!({ "t": words(32) })).await;
        }
        let (_, integrator) = app.integrator("limits").await;
        let r = app
            .integration(
                Some(&integrator),
                "query($t: String) { employers(text: $t) { totalCount } }",
                json!({ "t": words(33) }),
            )
            .await;
        refused_naming(&r, "text");
        // Matching searches with a client's titles and keywords: the same bounds when recorded.
        let client = crate::matching::register(&app, &token, "Bounded Client").await;
        let keywords: Vec<String> = (0..33).map(|i| format!("skill{i}")).collect();
        let r = app
            .ok(
                &token,
                "mutation($input: JobPreferencesRecordInput!) { jobPreferencesRecord(input: $input) { userErrors { field code } } }",
                json!({ "input": { "clientId": client, "keywords": keywords } }),
            )
            .await;
        assert_eq!(
            r.user_errors("jobPreferencesRecord"),
            vec![("input.keywords".to_string(), "TOO_LONG".to_string())]
        );
        crate::matching::prefer(&app, &token, &client, json!({ "keywords": &keywords[..32] }))
            .await;
    })
    .await;
}

#[tokio::test]
async fn expensive_fields_count_for_what_they_cost() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        // Matching for each of a hundred clients, or candidates for each of a hundred vacancies:
        // refused before anything runs.
        for query in [
            "{ clients(first: 100) { nodes { matches { nodes { score } } } } }",
            "{ clients(first: 100) { nodes { matches { hasPreferences } } } }",
            "{ vacancies(first: 100) { nodes { candidates { score } } } }",
        ] {
            let r = app.graphql(Some(&token), query, json!({})).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
            assert_eq!(r.error_code(), Some("QUERY_TOO_COMPLEX"), "{}", r.body);
            assert!(r.body.get("data").is_none());
        }
        // A hundred fidelity computations in one request, likewise.
        let fidelity: String = (0..100)
            .map(|i| format!(r#"f{i}: fidelity(scope: {{}}, from: "2026-01-01", to: "2026-03-31") {{ scope }} "#))
            .collect();
        let r = app.graphql(Some(&token), &format!("{{ {fidelity} }}"), json!({})).await;
        assert_eq!(r.error_code(), Some("QUERY_TOO_COMPLEX"), "{}", r.body);
        // The same lists without the costly fields are fine.
        app.ok(&token, "{ clients(first: 100) { nodes { id name } } }", json!({}))
            .await;
        let r = app
            .ok(&token, "{ vacancies(first: 5) { nodes { candidates(first: 5) { score } } } }", json!({}))
            .await;
        assert!(r.data("vacancies.nodes").is_array());
    })
    .await;
}

#[tokio::test]
async fn anonymous_requests_past_their_limit_get_429() {
    on_each_database_with(
        |s| s.anonymous_rate_limit_per_minute = 5,
        |app| async move {
            let mut statuses = Vec::new();
            let mut last = None;
            for _ in 0..6 {
                let r = app.graphql(None, "{ __typename }", json!({})).await;
                statuses.push(r.status.as_u16());
                last = Some(r);
            }
            assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
            let r = last.expect("a response");
            assert_eq!(r.error_code(), Some("RATE_LIMITED"));
            assert!(r.headers.get("retry-after").is_some());
            // Signed-in callers have buckets of their own.
            app.ok(&app.admin_token(), "{ __typename }", json!({}))
                .await;
        },
    )
    .await;
}

/// A specialist made straight in the database (so no request is needed to set up); their token.
async fn specialist_token(app: &TestApp) -> String {
    let team = ipsmatch::staff::service::create_team(
        &app.db,
        ipsmatch::staff::types::TeamCreateInput {
            name: format!("Team {}", uuid::Uuid::now_v7().simple()),
            site: "Leeds".into(),
        },
    )
    .await
    .expect("team");
    let specialist = ipsmatch::staff::service::create_staff(
        &app.db,
        ipsmatch::staff::types::StaffCreateInput {
            name: "Sam Specialist".into(),
            email: format!("{}@ipsmatch.example", uuid::Uuid::now_v7().simple()),
            role: ipsmatch::auth::Role::Specialist,
            fte: 1.0,
            team_id: Some(global_id("Team", team.id).into()),
            treatment_team_id: None,
        },
    )
    .await
    .expect("specialist");
    app.token_for(specialist.id)
}

async fn report(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn reports_are_charged_to_the_callers_bucket() {
    on_each_database_with(
        |s| {
            s.rate_limit_per_minute = 1_500;
            s.anonymous_rate_limit_per_minute = 2;
        },
        |app| async move {
            let token = specialist_token(&app).await;
            // The page costs what its GraphQL equivalent does (1,000), the export 200.
            let r = report(&app, Some(&token), "/reports/fidelity").await;
            assert_eq!(r.status(), StatusCode::OK);
            let r = report(&app, Some(&token), "/reports/ips-grow.csv").await;
            assert_eq!(r.status(), StatusCode::OK);
            let r = report(&app, Some(&token), "/reports/fidelity").await;
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(r.headers().get("retry-after").is_some());
            // The same bucket as GraphQL: a costly query is refused too now.
            let query = "{ vacancies(first: 100) { nodes { id title status } } }";
            let r = app.graphql(Some(&token), query, json!({})).await;
            assert_eq!(r.error_code(), Some("RATE_LIMITED"), "{}", r.body);
            // Anonymous report requests are charged to the address.
            let statuses: Vec<u16> = {
                let mut all = Vec::new();
                for _ in 0..3 {
                    all.push(
                        report(&app, None, "/reports/fidelity")
                            .await
                            .status()
                            .as_u16(),
                    );
                }
                all
            };
            assert_eq!(statuses, [401, 401, 429]);
        },
    )
    .await;
}

#[tokio::test]
async fn reports_run_under_the_request_time_limit() {
    // No database read finishes within no time at all.
    on_each_database_with(
        |s| s.request_timeout_ms = 0,
        |app| async move {
            let token = specialist_token(&app).await;
            for path in ["/reports/fidelity", "/reports/ips-grow.csv"] {
                let r = report(&app, Some(&token), path).await;
                assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
            }
        },
    )
    .await;
}

/// Every error of a response: a code, and a message of at most 300 characters.
fn bounded_and_coded(r: &Response) -> Vec<String> {
    let errors = r.body["errors"].as_array().expect("errors");
    errors
        .iter()
        .map(|e| {
            let message = e["message"].as_str().expect("message");
            assert!(message.chars().count() <= 300, "{} chars", message.len());
            e["extensions"]["code"]
                .as_str()
                .unwrap_or_else(|| panic!("no code: {e}"))
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn error_messages_are_short_coded_and_repeat_nothing() {
    on_each_database(|app| async move {
        let token = app.admin_token();
        // 5,000 levels of selection.
        let deep = format!("{{ {}{} }}", "viewer { team { ".repeat(2_500), "}".repeat(5_000));
        let r = app.graphql(Some(&token), &deep, json!({})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.to_string().len() < 2_000, "{}", r.body.to_string().len());
        assert_eq!(bounded_and_coded(&r), ["QUERY_TOO_DEEP"], "{}", r.body);
        // 17 levels (the limit is 16).
        let mut deeper = String::from("{ viewer");
        deeper.push_str(&" { team { members".repeat(8));
        deeper.push_str(" { name");
        deeper.push_str(&" }".repeat(18));
        let r = app.graphql(Some(&token), &deeper, json!({})).await;
        assert_eq!(bounded_and_coded(&r), ["QUERY_TOO_DEEP"], "{}", r.body);
        // Junk that does not parse: where, not what.
        let junk = format!("{{ viewer {} }}", "@".repeat(60_000));
        let r = app.graphql(Some(&token), &junk, json!({})).await;
        assert_eq!(bounded_and_coded(&r), ["GRAPHQL_PARSE_FAILED"], "{}", r.body);
        assert!(!r.body.to_string().contains("@@@@"), "{}", r.body);
        let junk = format!("{{ viewer {{ name }} }} {}", "x".repeat(60_000));
        let r = app.graphql(Some(&token), &junk, json!({})).await;
        assert_eq!(bounded_and_coded(&r), ["GRAPHQL_PARSE_FAILED"], "{}", r.body);
        assert!(r.body.to_string().len() < 2_000);
        // A 10,000-letter field name: named, but cut short.
        let unknown = format!("{{ {} }}", "z".repeat(10_000));
        let r = app.graphql(Some(&token), &unknown, json!({})).await;
        assert_eq!(bounded_and_coded(&r), ["GRAPHQL_VALIDATION_FAILED"], "{}", r.body);
        assert!(r.body.to_string().len() < 2_000);
        // Too complex.
        let complex = "{ employers(first: 100) { nodes { engagements(first: 100) { nodes { outcome notes } } } } }";
        let r = app.graphql(Some(&token), complex, json!({})).await;
        assert_eq!(bounded_and_coded(&r), ["QUERY_TOO_COMPLEX"], "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn int_literals_beyond_32_bits_are_refused_even_where_they_would_not_run() {
    on_each_database(|app| async move {
        let token = app.admin_token();
        for query in [
            "{ __typename vacancies(first: 3000000000) @skip(if: true) { totalCount } }",
            "{ __typename ... on Query @include(if: false) { employers(last: -2147483649) { totalCount } } }",
            "query($n: Int = 4294967296) { __typename vacancies(first: $n) @skip(if: true) { totalCount } }",
            "fragment F on Employer { engagements(first: 9999999999) { totalCount } } { node(id: \"x\") { ...F } }",
        ] {
            let r = app.graphql(Some(&token), query, json!({})).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
            assert_eq!(r.error_code(), Some("BAD_USER_INPUT"), "{}", r.body);
            assert!(r.body.get("data").is_none());
        }
        // 32-bit values, and numbers where a Float goes, are fine.
        for query in [
            "{ __typename vacancies(first: 2147483647) @skip(if: true) { totalCount } }",
            "{ vacancySearch(filter: { minHourlyPay: 3000000000 }) { totalCount } }",
        ] {
            let r = app.graphql(Some(&token), query, json!({})).await;
            assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        }
    })
    .await;
}
