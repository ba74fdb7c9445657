//! The integrator API: its own tokens and schema, idempotent bulk sync with per-item errors,
//! schema.org JSON-LD in and out, the change feed, and rate limits charged by query cost.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{on_each_database, on_each_database_with};

const UPSERT: &str = "mutation($input: VacanciesUpsertInput!) { vacanciesUpsert(input: $input) {
    summary { created updated unchanged rejected expired replayed }
    results { index externalId outcome id errors { field code message } }
    userErrors { field code message } } }";

const CHANGES: &str = "query($after: String, $first: Int!, $types: [ChangeEntity!]) {
    changes(after: $after, first: $first, types: $types) {
        changes { cursor sequence entity kind recordId vacancy { title status } employer { name } }
        endCursor hasMore } }";

fn item(external_id: &str, title: &str) -> Value {
    json!({
        "externalId": external_id,
        "title": title,
        "description": "Helping in a busy kitchen.",
        "employerName": "The Crown Hotel",
        "occupation": { "code": "9272" },
        "location": { "town": "Leeds", "latitude": 53.7997, "longitude": -1.5492 },
        "hoursPerWeekMin": 16.0,
        "hoursPerWeekMax": 24.0,
        "pay": { "min": 12.21, "period": "HOURLY" },
        "contractType": "PERMANENT",
        "closingDate": "2099-01-31",
    })
}

fn summary(r: &crate::helpers::Response) -> (i64, i64, i64, i64) {
    let s = r.data("vacanciesUpsert.summary");
    let n = |k: &str| s[k].as_i64().expect("count");
    (n("created"), n("updated"), n("unchanged"), n("rejected"))
}

async fn max_seq(app: &crate::helpers::TestApp) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QuerySelect};
    entities::change_log::Entity::find()
        .select_only()
        .column_as(entities::change_log::Column::Seq.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(&app.db)
        .await
        .expect("read")
        .flatten()
        .unwrap_or(0)
}

#[tokio::test]
async fn integrator_and_staff_tokens_never_stand_in_for_each_other() {
    on_each_database(|app| async move {
        let admin = app.admin_token();
        let (_, _, specialist_token) = app.specialist().await;
        // Only admins register integrators.
        let register = "mutation($input: IntegratorRegisterInput!) { integratorRegister(input: $input) { integrator { id } userErrors { field code } } }";
        let input = json!({ "input": { "name": "Council scheme", "sourceKey": "council", "scopes": ["VACANCIES_READ"] } });
        let r = app.graphql(Some(&specialist_token), register, input.clone()).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"));
        let (id, token) = app.integrator("dwp").await;
        let r = app.ok(&admin, register, json!({ "input": { "name": "Again", "sourceKey": "dwp", "scopes": ["VACANCIES_READ"] } })).await;
        assert_eq!(r.user_errors("integratorRegister"), vec![("input.sourceKey".to_string(), "DUPLICATE".to_string())]);

        let query = "{ vacancies(first: 1) { totalCount } }";
        // The integrator token works on its own API and nowhere else.
        app.integration_ok(&token, query, json!({})).await;
        let r = app.graphql(Some(&token), query, json!({})).await;
        assert_eq!((r.status.as_u16(), r.error_code()), (401, Some("UNAUTHENTICATED")));
        // A staff token (even an admin's) is refused on the integrator API.
        let r = app.integration(Some(&admin), query, json!({})).await;
        assert_eq!((r.status.as_u16(), r.error_code()), (401, Some("UNAUTHENTICATED")));
        let r = app.integration(None, query, json!({})).await;
        assert_eq!(r.error_code(), Some("UNAUTHENTICATED"));

        // A scope the token does not carry is FORBIDDEN; one asked for but never granted too.
        let read_only = app.integrator_token(id, &["vacancies:read"]);
        let r = app.integration(Some(&read_only), UPSERT, json!({ "input": { "source": "dwp", "items": [] } })).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);
        let r = app.ok(&admin, "{ integrators { id scopes active version } }", json!({})).await;
        let record = r.data("integrators")[0].clone();
        let r = app.ok(&admin, "mutation($input: IntegratorUpdateInput!) { integratorUpdate(input: $input) { integrator { scopes } userErrors { code } } }",
            json!({ "input": { "id": record["id"], "version": record["version"], "scopes": ["VACANCIES_READ"] } })).await;
        assert_eq!(r.data("integratorUpdate.integrator.scopes"), &json!(["VACANCIES_READ"]));
        let r = app.integration(Some(&token), "{ employers(first: 1) { totalCount } }", json!({})).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"), "{}", r.body);

        // Deactivated: its tokens stop working at once.
        let r = app.ok(&admin, "mutation($input: IntegratorUpdateInput!) { integratorUpdate(input: $input) { integrator { active } userErrors { code } } }",
            json!({ "input": { "id": record["id"], "version": record["version"].as_i64().expect("v") + 1, "active": false } })).await;
        assert_eq!(r.data("integratorUpdate.integrator.active"), false);
        let r = app.integration(Some(&token), query, json!({})).await;
        assert_eq!(r.error_code(), Some("UNAUTHENTICATED"));
    })
    .await;
}

#[tokio::test]
async fn a_batch_sent_twice_changes_nothing_the_second_time() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let items = json!([item("A1", "Kitchen porter"), item("A2", "Cleaner"), item("A3", "Barista")]);
        let input = json!({ "input": { "source": "dwp", "items": items } });
        let r = app.integration_ok(&token, UPSERT, input.clone()).await;
        assert_eq!(summary(&r), (3, 0, 0, 0));
        let ids: Vec<Value> = r.data("vacanciesUpsert.results").as_array().expect("results").iter().map(|x| x["id"].clone()).collect();
        let seq = max_seq(&app).await;

        // The same batch again: every item unchanged, nothing written (no change-log row, no version).
        let r = app.integration_ok(&token, UPSERT, input.clone()).await;
        assert_eq!(summary(&r), (0, 0, 3, 0));
        assert_eq!(max_seq(&app).await, seq, "a repeated batch wrote to the change log");
        let again: Vec<Value> = r.data("vacanciesUpsert.results").as_array().expect("results").iter().map(|x| x["id"].clone()).collect();
        assert_eq!(again, ids);
        let r = app.integration_ok(&token, "query($id: ID!) { vacancy(id: $id) { version title status source { feed } externalId } }", json!({ "id": ids[0] })).await;
        assert_eq!(r.data("vacancy.version"), 1);
        assert_eq!(r.data("vacancy.source.feed"), "dwp");

        // One item changed: only it is written.
        let mut changed = items.clone();
        changed[1]["title"] = json!("Office cleaner");
        let r = app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": changed } })).await;
        assert_eq!(summary(&r), (0, 1, 2, 0));
        assert_eq!(max_seq(&app).await, seq + 1);

        // An idempotency key: the retry gets the first call's result, not a fresh one.
        let keyed = json!({ "input": { "source": "dwp", "items": [item("B1", "Porter")], "idempotencyKey": "batch-7" } });
        let first = app.integration_ok(&token, UPSERT, keyed.clone()).await;
        assert_eq!(summary(&first), (1, 0, 0, 0));
        let retry = app.integration_ok(&token, UPSERT, keyed.clone()).await;
        assert_eq!(summary(&retry), (1, 0, 0, 0));
        assert_eq!(retry.data("vacanciesUpsert.summary.replayed"), true);
        assert_eq!(retry.data("vacanciesUpsert.results"), first.data("vacanciesUpsert.results"));
        // The same key with other arguments is refused, and applies nothing.
        let other = json!({ "input": { "source": "dwp", "items": [item("B2", "Porter")], "idempotencyKey": "batch-7" } });
        let r = app.integration_ok(&token, UPSERT, other).await;
        assert_eq!(r.user_errors("vacanciesUpsert"), vec![("input.idempotencyKey".to_string(), "DUPLICATE".to_string())]);
        let r = app.integration_ok(&token, "query { vacancies(filter: { feed: \"dwp\" }) { totalCount } }", json!({})).await;
        assert_eq!(r.data("vacancies.totalCount"), 4);

        // Another integrator's source is not yours to write.
        let r = app.integration_ok(&token, UPSERT, json!({ "input": { "source": "council", "items": [item("C1", "Porter")] } })).await;
        assert_eq!(r.user_errors("vacanciesUpsert"), vec![("input.source".to_string(), "INVALID".to_string())]);
        // Over 1,000 items is refused whole.
        let many: Vec<Value> = (0..1001).map(|i| item(&format!("M{i}"), "Porter")).collect();
        let r = app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": many } })).await;
        assert_eq!(r.user_errors("vacanciesUpsert"), vec![("input.items".to_string(), "INVALID".to_string())]);
    })
    .await;
}

#[tokio::test]
async fn a_batch_with_bad_rows_reports_each_by_index_and_applies_the_rest() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let mut blank_title = item("X1", "");
        blank_title["title"] = json!("  ");
        let mut bad_code = item("X3", "Driver");
        bad_code["occupation"] = json!({ "code": "0000" });
        let mut unknown_employer = item("X4", "Packer");
        unknown_employer["employerExternalId"] = json!("NOPE");
        let items = json!([item("X0", "Kitchen porter"), blank_title, item("X2", "Cleaner"), bad_code, unknown_employer, item("X2", "Cleaner again")]);
        let r = app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": items } })).await;
        assert_eq!(summary(&r), (2, 0, 0, 4));
        let results = r.data("vacanciesUpsert.results").as_array().expect("results").clone();
        let outcome = |i: usize| results[i]["outcome"].as_str().expect("outcome").to_string();
        let field = |i: usize| results[i]["errors"][0]["field"].as_array().expect("field").iter().map(|f| f.as_str().expect("s")).collect::<Vec<_>>().join(".");
        assert_eq!((0..6).map(outcome).collect::<Vec<_>>(), ["CREATED", "REJECTED", "CREATED", "REJECTED", "REJECTED", "REJECTED"]);
        assert_eq!(field(1), "input.items.1.title");
        assert_eq!(results[1]["errors"][0]["code"], "REQUIRED");
        assert_eq!(field(3), "input.items.3.occupation.code");
        assert_eq!(field(4), "input.items.4.employerExternalId");
        assert_eq!(results[4]["errors"][0]["code"], "NOT_FOUND");
        assert_eq!(field(5), "input.items.5.externalId");
        assert_eq!(results[5]["errors"][0]["code"], "DUPLICATE");
        assert!(results[1]["id"].is_null());
        // Only the good rows exist.
        let r = app.integration_ok(&token, "{ vacancies(filter: { feed: \"dwp\" }) { nodes { externalId } } }", json!({})).await;
        let mut stored: Vec<&str> = r.data("vacancies.nodes").as_array().expect("nodes").iter().map(|n| n["externalId"].as_str().expect("id")).collect();
        stored.sort_unstable();
        assert_eq!(stored, ["X0", "X2"]);

        // JSON-LD postings report their own fields.
        let good = json!({ "@type": "JobPosting", "identifier": "J1", "title": "Warehouse operative", "baseSalary": { "@type": "MonetaryAmount", "currency": "GBP", "value": { "@type": "QuantitativeValue", "value": 11.5, "unitText": "HOUR" } } });
        let mut euros = good.clone();
        euros["identifier"] = json!("J2");
        euros["baseSalary"]["currency"] = json!("EUR");
        let r = app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "jobPostings": [good, euros, "not an object"] } })).await;
        assert_eq!(summary(&r), (1, 0, 0, 2));
        let results = r.data("vacanciesUpsert.results").as_array().expect("results").clone();
        assert_eq!(results[1]["errors"][0]["field"], json!(["input", "jobPostings", "1", "baseSalary", "currency"]));
        assert_eq!(results[2]["outcome"], "REJECTED");
    })
    .await;
}

#[tokio::test]
async fn a_full_snapshot_expires_what_it_leaves_out() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let all = json!([item("S1", "Porter"), item("S2", "Cleaner"), item("S3", "Chef")]);
        app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": all } })).await;
        // A vacancy of another source is never touched.
        let (_, other) = app.integrator("council").await;
        app.integration_ok(&other, UPSERT, json!({ "input": { "source": "council", "items": [item("S9", "Gardener")] } })).await;
        let r = app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": [item("S1", "Porter")], "expireMissing": true } })).await;
        assert_eq!(r.data("vacanciesUpsert.summary.expired"), 2);
        let r = app.integration_ok(&token, "{ vacancies(first: 10) { nodes { externalId status } } }", json!({})).await;
        let mut statuses: Vec<(String, String)> = r.data("vacancies.nodes").as_array().expect("nodes").iter()
            .map(|n| (n["externalId"].as_str().expect("id").to_string(), n["status"].as_str().expect("s").to_string())).collect();
        statuses.sort();
        assert_eq!(statuses, [("S1".into(), "OPEN".into()), ("S2".into(), "EXPIRED".into()), ("S3".into(), "EXPIRED".into()), ("S9".into(), "OPEN".into())]);
        // Sending the snapshot again expires nothing more.
        let r = app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": [item("S1", "Porter")], "expireMissing": true } })).await;
        assert_eq!(r.data("vacanciesUpsert.summary.expired"), 0);
    })
    .await;
}

#[tokio::test]
async fn employers_sync_links_vacancies_and_never_shows_relationship_notes() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let (_, _, staff) = app.specialist().await;
        // Kept by hand, with the service's notes on the relationship.
        app.create_employer(&staff, "Crown Hotel", "ACCOMMODATION_FOOD").await;
        let upsert = "mutation($input: EmployersUpsertInput!) { employersUpsert(input: $input) {
            summary { created updated unchanged rejected } results { outcome id errors { field code } } userErrors { code } } }";
        let items = json!([
            { "externalId": "E1", "name": "crown  hotel", "disabilityConfident": true },
            { "externalId": "E2", "name": "Leeds Bakery", "sector": "MANUFACTURING", "size": "MEDIUM" },
            { "externalId": "E3", "name": "" },
        ]);
        let r = app.integration_ok(&token, upsert, json!({ "input": { "source": "dwp", "items": items } })).await;
        let s = r.data("employersUpsert.summary").clone();
        // The hand-kept employer is neither taken over nor duplicated: the item is refused by name
        // (linking a staff record to a feed is a staff act; clients' consents name it).
        assert_eq!((s["created"].as_i64(), s["updated"].as_i64(), s["rejected"].as_i64()), (Some(1), Some(0), Some(2)));
        assert_eq!(r.data("employersUpsert.results")[0]["errors"][0]["code"], "DUPLICATE");
        let r = app.integration_ok(&token, upsert, json!({ "input": { "source": "dwp", "items": items } })).await;
        assert_eq!(r.data("employersUpsert.summary.unchanged"), 1);
        let r = app.ok(&staff, "{ employers(first: 5) { nodes { name source } } }", json!({})).await;
        let crown: Vec<&Value> = r.data("employers.nodes").as_array().expect("list").iter().filter(|e| e["name"] == "Crown Hotel").collect();
        assert_eq!(crown.len(), 1);
        assert_eq!(crown[0]["source"], Value::Null);

        let mut linked = item("V1", "Kitchen porter");
        linked["employerExternalId"] = json!("E2");
        app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": [linked] } })).await;
        let r = app.integration_ok(&token, "{ vacancies(first: 1) { nodes { employer { name sector size source externalId } employerName jobPostingJsonLd } } }", json!({})).await;
        let v = r.data("vacancies.nodes")[0].clone();
        assert_eq!(v["employer"], json!({ "name": "Leeds Bakery", "sector": "MANUFACTURING", "size": "MEDIUM", "source": "dwp", "externalId": "E2" }));
        let ld = &v["jobPostingJsonLd"];
        assert_eq!(ld["@type"], "JobPosting");
        assert_eq!(ld["identifier"]["value"], "V1");
        assert_eq!(ld["hiringOrganization"]["name"], "Leeds Bakery");
        assert_eq!(ld["hiringOrganization"]["identifier"], "E2");
        assert_eq!(ld["baseSalary"]["value"]["unitText"], "HOUR");
        assert_eq!(ld["jobLocation"]["geo"]["latitude"], 53.7997);
        assert_eq!(ld["occupationalCategory"]["codeValue"], "9272");
        assert_eq!(ld["validThrough"], "2099-01-31");
        assert_eq!(ld["workHours"], "16-24 hours per week");

        // The integrator's Employer type has no relationship fields at all.
        for field in ["stage", "opennessNotes", "owner", "engagements", "contacts", "recoveryFriendly"] {
            let r = app.integration(Some(&token), &format!("{{ employers(first: 1) {{ nodes {{ {field} }} }} }}"), json!({})).await;
            assert_eq!(r.status.as_u16(), 400, "{field}: {}", r.body);
        }
    })
    .await;
}

#[tokio::test]
async fn an_integrator_cannot_reach_a_client_by_any_query_id_or_node() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let (_, specialist, staff) = app.specialist().await;
        let r = app.ok(&staff, "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } userErrors { message } } }",
            json!({ "input": { "name": "Sam Taylor", "referralDate": "2026-11-02", "referralSource": "TREATMENT_KEYWORKER" } })).await;
        let client = r.data("clientRegister.client.id").as_str().expect("client id").to_string();
        let vacancy = app.ok(&staff, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } } }",
            json!({ "input": { "title": "Porter", "employerName": "X", "source": { "kind": "FEED", "feed": "dwp" }, "externalId": "P1", "contractType": "PERMANENT", "status": "OPEN" } })).await;
        let vacancy = vacancy.data("vacancyCreate.vacancy.id").as_str().expect("vacancy").to_string();

        // By id through node: null, exactly as for an id of nothing; so is a staff member's id.
        for id in [client.clone(), specialist.clone()] {
            let r = app.integration_ok(&token, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
            assert_eq!(r.data("node"), &Value::Null);
        }
        // By any field: none exists.
        for query in [
            format!("{{ client(id: \"{client}\") {{ id }} }}"),
            "{ clients(first: 1) { totalCount } }".to_string(),
            format!("{{ vacancy(id: \"{vacancy}\") {{ candidates {{ client {{ id }} }} }} }}"),
            format!("{{ vacancy(id: \"{vacancy}\") {{ createdBy {{ id }} }} }}"),
            "{ consentsExpiring(days: 30) { id } }".to_string(),
            "{ staff(first: 1) { totalCount } }".to_string(),
        ] {
            let r = app.integration(Some(&token), &query, json!({})).await;
            assert_eq!(r.status.as_u16(), 400, "{query}: {}", r.body);
            assert!(r.body.get("data").is_none(), "{query}");
        }
        // The schema itself has no client, staff, consent or pipeline types.
        let r = app.integration_ok(&token, "{ __schema { types { name } } }", json!({})).await;
        let names: HashSet<String> = r.data("__schema.types").as_array().expect("types").iter().map(|t| t["name"].as_str().expect("name").to_string()).collect();
        for forbidden in ["Client", "Staff", "Team", "Consent", "Application", "JobStart", "Engagement", "EmployerContact", "DisclosedProfile", "SensitiveFacts", "MatchSuggestion"] {
            assert!(!names.contains(forbidden), "{forbidden} is in the integrator schema");
        }
        assert!(names.contains("Vacancy") && names.contains("Change"));
        let sdl = app.get("/integrations/schema.graphql").await.text().await.expect("sdl");
        assert!(!sdl.contains("Client") && !sdl.contains("caseload"), "the integrator SDL mentions clients");
        // The change feed names vacancies and employers only.
        let r = app.integration_ok(&token, CHANGES, json!({ "first": 100 })).await;
        assert!(r.data("changes.changes").as_array().expect("changes").iter().all(|c| c["entity"] == "VACANCY" || c["entity"] == "EMPLOYER"));
    })
    .await;
}

#[tokio::test]
async fn the_change_feed_delivers_every_change_once_in_order_under_concurrent_writers() {
    on_each_database(|mut app| async move {
        let (_, token) = app.integrator("dwp").await;
        let writers = 4;
        let per_writer = 15;
        let mut tasks = Vec::new();
        for w in 0..writers {
            let client = app.client.clone();
            let url = format!("{}/integrations/graphql", app.address);
            let token = token.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..per_writer {
                    let body = json!({ "query": UPSERT, "variables": { "input": { "source": "dwp", "items": [item(&format!("W{w}-{i}"), "Porter")] } } });
                    let r = client.post(&url).bearer_auth(&token).header("content-type", "application/json").body(body.to_string()).send().await.expect("sent");
                    assert!(r.status().is_success());
                }
            }));
        }
        // Poll while the writers write, with a small page so the cursor moves often.
        let mut cursor: Option<String> = None;
        let mut seen: Vec<(i64, String, String)> = Vec::new();
        let expected = writers * per_writer;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while seen.iter().filter(|(_, kind, _)| kind == "CREATED").count() < expected {
            assert!(std::time::Instant::now() < deadline, "the feed stalled at {} changes", seen.len());
            let r = app.integration_ok(&token, CHANGES, json!({ "after": cursor, "first": 7, "types": ["VACANCY"] })).await;
            for c in r.data("changes.changes").as_array().expect("changes") {
                seen.push((c["sequence"].as_i64().expect("seq"), c["kind"].as_str().expect("kind").to_string(), c["recordId"].as_str().expect("id").to_string()));
            }
            cursor = r.data("changes.endCursor").as_str().map(str::to_string);
            if r.data("changes.hasMore") == false {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
        for task in tasks {
            task.await.expect("writer");
        }
        // In order, each once, and every created vacancy present.
        assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "out of order or repeated");
        let created: HashSet<&str> = seen.iter().filter(|(_, k, _)| k == "CREATED").map(|(_, _, id)| id.as_str()).collect();
        assert_eq!(created.len(), expected);
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let stored = entities::vacancy::Entity::find().filter(entities::vacancy::Column::Source.eq("dwp")).all(&app.db).await.expect("read");
        assert_eq!(stored.len(), expected);
        assert!(stored.iter().all(|v| created.contains(vacancy_id(v.id).as_str())));

        // The cursor survives a restart: after it come exactly the changes made since.
        app.restart(async |_, _| {}).await;
        app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": [item("AFTER", "Chef")] } })).await;
        let mut after_restart = Vec::new();
        for _ in 0..100 {
            let r = app.integration_ok(&token, CHANGES, json!({ "after": cursor, "first": 100 })).await;
            after_restart = r.data("changes.changes").as_array().expect("changes").clone();
            if !after_restart.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(after_restart.len(), 1, "{after_restart:?}");
        assert_eq!(after_restart[0]["kind"], "CREATED");
        assert_eq!(after_restart[0]["vacancy"]["title"], "Chef");
    })
    .await;
}

fn vacancy_id(id: uuid::Uuid) -> String {
    crate::helpers::global_id("Vacancy", id)
}

#[tokio::test]
async fn requests_report_their_cost_and_are_refused_past_the_rate_limit() {
    on_each_database_with(
        |settings| settings.rate_limit_per_minute = 300,
        |app| async move {
            let (_, token) = app.integrator("dwp").await;
            let query = "{ vacancies(first: 20) { nodes { id title } } }";
            let r = app.integration_ok(&token, query, json!({})).await;
            let cost = r.body["extensions"]["cost"].clone();
            let requested = cost["requested"].as_i64().expect("cost");
            assert!(
                requested > 20,
                "a page of 20 with two fields costs more than 20: {cost}"
            );
            assert_eq!(cost["limitPerMinute"], 300);
            assert_eq!(cost["remaining"].as_i64(), Some(300 - requested));
            // Spend the rest: the next request is refused with 429 and a time to retry.
            let mut refused = None;
            for _ in 0..10 {
                let r = app.integration(Some(&token), query, json!({})).await;
                if r.error_code() == Some("RATE_LIMITED") {
                    refused = Some(r);
                    break;
                }
            }
            let r = refused.expect("refused within ten requests");
            assert_eq!(r.status.as_u16(), 429);
            assert!(r.headers.get("retry-after").is_some());
            assert!(r.body.get("data").is_none());
            // Staff have buckets of their own.
            let admin = app.admin_token();
            let r = app.ok(&admin, "{ integrators { id } }", json!({})).await;
            assert!(r.body["extensions"]["cost"]["requested"].as_i64().is_some());
        },
    )
    .await;
}

#[tokio::test]
async fn ipsmatch_import_loads_json_lines_and_reports_what_it_refused() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let posting = |id: &str, title: &str| json!({ "@context": "https://schema.org", "@type": "JobPosting", "identifier": id, "title": title,
            "hiringOrganization": { "@type": "Organization", "name": "Leeds Bakery" }, "employmentType": "PART_TIME",
            "jobLocation": { "@type": "Place", "address": { "addressLocality": "Leeds" }, "geo": { "latitude": 53.8, "longitude": -1.55 } },
            "baseSalary": { "@type": "MonetaryAmount", "currency": "GBP", "value": { "@type": "QuantitativeValue", "minValue": 23000, "unitText": "YEAR" } },
            "validThrough": "2099-03-01" });
        let lines = [
            posting("I1", "Baker").to_string(),
            posting("I2", "Packer").to_string(),
            "{ this is not json".to_string(),
            json!({ "@type": "JobPosting", "title": "No identifier" }).to_string(),
            posting("I3", "Driver").to_string(),
        ];
        let file = app.settings.data_dir.join("postings.jsonl");
        std::fs::write(&file, lines.join("\n")).expect("write file");
        let run = || {
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_ipsmatch-under-test"))
                .arg("import").arg(&file).args(["--source", "dwp", "--log", "warn"])
                .arg("--data-dir").arg(&app.settings.data_dir)
                .arg("--database-url").arg(app.settings.effective_database_url())
                .output()
                .expect("run import");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            String::from_utf8_lossy(&output.stdout).to_string()
        };
        let printed = run();
        assert!(printed.contains("5 postings"), "{printed}");
        assert!(printed.contains("3 created, 0 updated, 0 unchanged, 2 rejected"), "{printed}");
        assert!(printed.contains("posting 3: line 3 is not valid JSON"), "{printed}");
        assert!(printed.contains("posting 4: identifier: a posting needs its identifier"), "{printed}");
        // Imported vacancies reach the API (and the index) through the change log.
        let r = app.integration_ok(&token, "{ vacancies(filter: { feed: \"dwp\" }) { totalCount nodes { title pay { period min } } } }", json!({})).await;
        assert_eq!(r.data("vacancies.totalCount"), 3);
        // Run twice, nothing changes.
        let printed = run();
        assert!(printed.contains("0 created, 0 updated, 3 unchanged, 2 rejected"), "{printed}");
    })
    .await;
}

#[tokio::test]
async fn the_change_feed_never_serves_a_draft() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let (_, _, staff) = app.specialist().await;
        let employer = app.create_employer(&staff, "Crown Hotel", "ACCOMMODATION_FOOD").await;
        let r = app.ok(&staff, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } userErrors { code } } }",
            json!({ "input": { "title": "Cleaner for J.M.", "description": "DRAFT-MARKER: Tue/Thu off for script pick-up", "contractType": "TEMPORARY", "employerId": employer,
                "status": "DRAFT", "waitUntilSearchable": true } })).await;
        let draft = r.data("vacancyCreate.vacancy.id").as_str().unwrap_or_else(|| panic!("draft: {}", r.body)).to_string();
        app.ok(&staff, "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } } }",
            json!({ "input": { "title": "Kitchen porter", "employerId": employer, "contractType": "PERMANENT", "status": "OPEN", "waitUntilSearchable": true } })).await;
        let r = app.integration_ok(&token, "{ changes(first: 1000) { changes { recordId vacancy { title description } } } }", json!({})).await;
        let feed = r.body.to_string();
        assert!(!feed.contains("DRAFT-MARKER") && !feed.contains(&draft), "{feed}");
        assert!(feed.contains("Kitchen porter"), "the feed serves the open vacancy: {feed}");
    })
    .await;
}
