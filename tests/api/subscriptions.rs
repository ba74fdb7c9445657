//! Subscriptions over WebSocket as a front-end or an integrator would use them: the `graphql-ws`
//! npm client (in `tests/ws-client`, installed with `npm ci` on first use) speaking
//! `graphql-transport-ws` to the real server, with the token in `connection_init`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{TestApp, on_each_database};

const UPSERT: &str = "mutation($input: VacanciesUpsertInput!) { vacanciesUpsert(input: $input) { summary { created rejected } } }";

/// The client's folder, with its packages installed (once per test run).
fn ws_client() -> PathBuf {
    static INSTALLED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ws-client");
    let mut installed = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    if !*installed && !dir.join("node_modules/graphql-ws").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("the WebSocket tests need Node.js and npm (to install tests/ws-client)");
        assert!(status.success(), "npm ci in tests/ws-client failed");
    }
    *installed = true;
    dir
}

/// The JSON lines a client process prints, read on a thread of their own.
fn json_lines(stdout: std::process::ChildStdout) -> mpsc::Receiver<Value> {
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Ok(value) = serde_json::from_str(&line)
                && send.send(value).is_err()
            {
                break;
            }
        }
    });
    lines
}

/// The next of `lines` within `wait`, if any.
async fn next_line(lines: &mpsc::Receiver<Value>, wait: Duration) -> Option<Value> {
    let until = Instant::now() + wait;
    while Instant::now() < until {
        match lines.try_recv() {
            Ok(value) => return Some(value),
            Err(mpsc::TryRecvError::Empty) => tokio::time::sleep(Duration::from_millis(10)).await,
            Err(mpsc::TryRecvError::Disconnected) => return None,
        }
    }
    None
}

/// A running `graphql-ws` client and the JSON lines it prints.
pub(crate) struct Subscriber {
    child: Child,
    lines: mpsc::Receiver<Value>,
}

impl Subscriber {
    pub(crate) fn start(
        url: &str,
        token: &str,
        query: &str,
        variables: Value,
        count: usize,
    ) -> Self {
        let dir = ws_client();
        let mut child = Command::new("node")
            .arg(dir.join("subscribe.mjs"))
            .args([
                url,
                token,
                query,
                &variables.to_string(),
                &count.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node");
        let lines = json_lines(child.stdout.take().expect("stdout"));
        Self { child, lines }
    }

    /// The next line within `wait`, if any.
    pub(crate) async fn next(&self, wait: Duration) -> Option<Value> {
        next_line(&self.lines, wait).await
    }

    pub(crate) async fn connected(&self) {
        let line = self
            .next(Duration::from_secs(20))
            .await
            .expect("the client said something");
        assert_eq!(line, json!({ "connected": true }));
    }

    /// Writes with `write(i)` until an event arrives (a subscription starts a moment after the
    /// connection is acknowledged, so early writes may go unheard); returns the event.
    async fn event_after(&self, mut write: impl AsyncFnMut(usize)) -> Value {
        for attempt in 0..40 {
            write(attempt).await;
            if let Some(line) = self.next(Duration::from_millis(400)).await {
                assert!(line.get("next").is_some(), "expected an event, got {line}");
                return line["next"].clone();
            }
        }
        panic!("no subscription event after 40 writes");
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One socket driven line by line (`tests/ws-client/session.mjs`): operations sent one at a time,
/// each answered by id, and the close the server sends.
pub(crate) struct SocketSession {
    child: Child,
    input: std::process::ChildStdin,
    lines: mpsc::Receiver<Value>,
}

impl SocketSession {
    pub(crate) fn open(url: &str, token: &str) -> Self {
        let dir = ws_client();
        let mut child = Command::new("node")
            .arg(dir.join("session.mjs"))
            .args([url, token])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node");
        let input = child.stdin.take().expect("stdin");
        let lines = json_lines(child.stdout.take().expect("stdout"));
        Self {
            child,
            input,
            lines,
        }
    }

    /// The next line within `wait`, if any.
    pub(crate) async fn next(&self, wait: Duration) -> Option<Value> {
        next_line(&self.lines, wait).await
    }

    /// Sends one operation.
    pub(crate) fn send(&mut self, id: &str, query: &str, variables: Value) {
        use std::io::Write as _;
        let line = json!({ "id": id, "query": query, "variables": variables }).to_string();
        writeln!(self.input, "{line}").expect("write to the client");
        self.input.flush().expect("flush");
    }

    /// The first `next` payload for operation `id` within `wait` (skipping other lines).
    pub(crate) async fn answer(&self, id: &str, wait: Duration) -> Option<Value> {
        let until = Instant::now() + wait;
        while Instant::now() < until {
            let line = self.next(until - Instant::now()).await?;
            if line["id"] == id && line.get("next").is_some() {
                return Some(line["next"].clone());
            }
            if line["id"] == id && line.get("error").is_some() {
                return Some(json!({ "errors": [{ "message": line["error"].to_string() }] }));
            }
            if line.get("closed").is_some() {
                return Some(line);
            }
        }
        None
    }

    /// The close the server sends within `wait`, skipping any other lines.
    pub(crate) async fn closed(&self, wait: Duration) -> Option<Value> {
        let until = Instant::now() + wait;
        while Instant::now() < until {
            let line = self.next(until - Instant::now()).await?;
            if let Some(closed) = line.get("closed") {
                return Some(closed.clone());
            }
        }
        None
    }
}

impl Drop for SocketSession {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn ws_url(app: &TestApp, path: &str) -> String {
    format!("{}{path}", app.address.replacen("http://", "ws://", 1))
}

pub(crate) fn leeds(external_id: &str, title: &str) -> Value {
    json!({ "externalId": external_id, "title": title, "employerName": "Leeds Kitchens", "contractType": "PERMANENT",
        "location": { "town": "Leeds", "latitude": 53.7997, "longitude": -1.5492 } })
}

#[tokio::test]
async fn an_integrator_hears_of_vacancy_changes_over_graphql_ws() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let query = "subscription($filter: VacancyChangeFilter) { vacancyChanged(filter: $filter) { kind recordId vacancy { title externalId status } } }";
        let subscriber = Subscriber::start(&ws_url(&app, "/integrations/graphql"), &token, query, json!({ "filter": { "kinds": ["CREATED"] } }), 3);
        subscriber.connected().await;
        let event = subscriber
            .event_after(async |i| {
                app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": [leeds(&format!("L{i}"), &format!("Live {i}"))] } })).await;
            })
            .await;
        let change = &event["data"]["vacancyChanged"];
        assert_eq!(change["kind"], "CREATED");
        assert!(change["vacancy"]["title"].as_str().is_some_and(|t| t.starts_with("Live ")), "{event}");
        // Once subscribed, every later change arrives, in order; an update does not (filtered out).
        app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": [leeds("L0", "Live 0 renamed")] } })).await;
        app.integration_ok(&token, UPSERT, json!({ "input": { "source": "dwp", "items": [leeds("N1", "Next one"), leeds("N2", "Next two")] } })).await;
        let mut titles = Vec::new();
        while titles.len() < 2 {
            let line = subscriber.next(Duration::from_secs(10)).await.expect("the next events");
            if let Some(event) = line.get("next") {
                titles.push(event["data"]["vacancyChanged"]["vacancy"]["title"].as_str().expect("title").to_string());
            }
        }
        assert_eq!(titles, ["Next one", "Next two"]);
    })
    .await;
}

#[tokio::test]
async fn staff_hear_of_vacancies_posted_near_a_place_and_bad_tokens_are_refused() {
    on_each_database(|app| async move {
        let (_, integrator) = app.integrator("dwp").await;
        let (_, _, staff) = app.specialist().await;
        let query = "subscription($near: NearInput) { vacancyPosted(near: $near) { title location { town } } }";
        let near = json!({ "near": { "latitude": 53.80, "longitude": -1.55, "radiusKm": 20.0 } });
        let subscriber = Subscriber::start(&ws_url(&app, "/graphql"), &staff, query, near.clone(), 1);
        subscriber.connected().await;
        let event = subscriber
            .event_after(async |i| {
                let far = json!({ "externalId": format!("F{i}"), "title": format!("Far {i}"), "contractType": "PERMANENT", "employerName": "London Co",
                    "location": { "town": "London", "latitude": 51.5072, "longitude": -0.1276 } });
                app.integration_ok(&integrator, UPSERT, json!({ "input": { "source": "dwp", "items": [far, leeds(&format!("P{i}"), &format!("Near {i}"))] } })).await;
            })
            .await;
        assert!(event["data"]["vacancyPosted"]["title"].as_str().is_some_and(|t| t.starts_with("Near ")), "{event}");
        assert_eq!(event["data"]["vacancyPosted"]["location"]["town"], "Leeds");

        // No token, a forged one, and an integrator token on the staff endpoint: closed at init.
        for (path, token) in [("/graphql", "not-a-token".to_string()), ("/graphql", integrator.clone()), ("/integrations/graphql", staff.clone())] {
            let refused = Subscriber::start(&ws_url(&app, path), &token, query, near.clone(), 1);
            let line = refused.next(Duration::from_secs(20)).await.expect("a close");
            assert_eq!(line["closed"]["reason"], "authentication required", "{path}: {line}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_specialist_hears_when_a_new_vacancy_ranks_among_a_clients_top_matches() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let client = crate::matching::register(&app, &token, "Avery Avoids").await;
        let preferences = json!({ "occupationTitles": ["Kitchen assistant"], "hoursPerWeekMin": 16.0, "hoursPerWeekMax": 30.0, "minHourlyPay": 12.0,
            "homeLatitude": 53.79, "homeLongitude": -1.54, "maxTravelKm": 10.0, "freeWindows": [], "avoidEnvironments": ["ALCOHOL_SERVED"] });
        crate::matching::prefer(&app, &token, &client, preferences).await;
        let query = "subscription($client: ID!) { matchesChanged(clientId: $client, top: 5) { client { name } rank suggestion { score vacancy { title environments } } } }";
        let subscriber = Subscriber::start(&ws_url(&app, "/graphql"), &token, query, json!({ "client": client }), 1);
        subscriber.connected().await;
        let create = "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id } userErrors { field code } } }";
        let event = subscriber
            .event_after(async |i| {
                for (title, environments) in [("Bar and kitchen assistant", json!(["ALCOHOL_SERVED"])), ("Kitchen assistant", json!([]))] {
                    let input = json!({ "title": format!("{title} {i}"), "employerName": "Leeds Hospitality Ltd", "contractType": "PERMANENT", "status": "OPEN",
                        "source": { "kind": "FEED", "feed": "test" }, "externalId": uuid::Uuid::now_v7().to_string(), "environments": environments,
                        "location": { "town": "Leeds", "latitude": 53.80, "longitude": -1.55 }, "hoursPerWeekMin": 16.0, "hoursPerWeekMax": 30.0,
                        "pay": { "min": 12.5, "max": 12.5, "period": "HOURLY" } });
                    app.ok(&token, create, json!({ "input": input })).await;
                }
            })
            .await;
        let change = &event["data"]["matchesChanged"];
        assert_eq!(change["client"]["name"], "Avery Avoids");
        // The vacancy serving alcohol is never announced to a client who avoids it.
        assert!(change["suggestion"]["vacancy"]["title"].as_str().is_some_and(|t| t.starts_with("Kitchen assistant")), "{event}");
        assert!((1..=5).contains(&change["rank"].as_i64().expect("rank")));

        // Another specialist cannot subscribe to this client: refused like a missing id.
        let (_, _, other) = app.specialist().await;
        let refused = Subscriber::start(&ws_url(&app, "/graphql"), &other, query, json!({ "client": client }), 1);
        refused.connected().await;
        let line = refused.next(Duration::from_secs(20)).await.expect("an error");
        assert_eq!(line["next"]["errors"][0]["message"], "no such client", "{line}");
        assert_eq!(line["next"]["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    })
    .await;
}

/// A vacancy of the kind the client wants, near them, paying `pay` an hour.
fn kitchen_vacancy(title: &str, pay: f64) -> Value {
    json!({ "title": title, "employerName": "Leeds Hospitality Ltd", "contractType": "PERMANENT", "status": "OPEN",
        "source": { "kind": "FEED", "feed": "test" }, "externalId": uuid::Uuid::now_v7().to_string(), "environments": [],
        "location": { "town": "Leeds", "latitude": 53.80, "longitude": -1.55 }, "hoursPerWeekMin": 16.0, "hoursPerWeekMax": 30.0,
        "pay": { "min": pay, "max": pay, "period": "HOURLY" }, "waitUntilSearchable": true })
}

#[tokio::test]
async fn a_vacancy_that_rises_into_a_clients_top_matches_when_a_better_one_closes_is_announced() {
    on_each_database(|app| async move {
        let (_, _, token) = app.specialist().await;
        let client = crate::matching::register(&app, &token, "Tess Top").await;
        let preferences = json!({ "occupationTitles": ["Kitchen assistant"], "hoursPerWeekMin": 16.0, "hoursPerWeekMax": 30.0, "minHourlyPay": 12.0,
            "homeLatitude": 53.79, "homeLongitude": -1.54, "maxTravelKm": 10.0, "freeWindows": [], "avoidEnvironments": [] });
        crate::matching::prefer(&app, &token, &client, preferences).await;
        let query = "subscription($client: ID!) { matchesChanged(clientId: $client, top: 1) { rank suggestion { vacancy { id title } } } }";
        let subscriber = Subscriber::start(&ws_url(&app, "/graphql"), &token, query, json!({ "client": client }), 2);
        subscriber.connected().await;
        let create = "mutation($input: VacancyCreateInput!) { vacancyCreate(input: $input) { vacancy { id version } userErrors { field code } } }";
        let created = |r: &crate::helpers::Response| {
            (r.data("vacancyCreate.vacancy.id").clone(), r.data("vacancyCreate.vacancy.version").clone())
        };
        // The best match is announced at the top of a top-one list.
        let mut best = Vec::new();
        let first = subscriber
            .event_after(async |i| {
                let r = app.ok(&token, create, json!({ "input": kitchen_vacancy(&format!("Kitchen assistant {i}"), 18.0) })).await;
                best.push(created(&r));
            })
            .await;
        assert_eq!(first["data"]["matchesChanged"]["rank"], 1, "{first}");
        // A worse-paid one does not make the top of one (no event for it)...
        let r = app.ok(&token, create, json!({ "input": kitchen_vacancy("Kitchen assistant, weekends", 12.1) })).await;
        let (worse, worse_version) = created(&r);
        // ...until the better ones close: then its next change puts it at the top, and is heard.
        let close = "mutation($input: VacancyStatusChangeInput!) { vacancyStatusChange(input: $input) { vacancy { status } userErrors { field code } } }";
        for (id, version) in &best {
            let r = app.ok(&token, close, json!({ "input": { "id": id, "version": version, "status": "CLOSED", "waitUntilSearchable": true } })).await;
            assert_eq!(r.data("vacancyStatusChange.vacancy.status"), "CLOSED", "{}", r.body);
        }
        let update = "mutation($input: VacancyUpdateInput!) { vacancyUpdate(input: $input) { vacancy { title } userErrors { field code } } }";
        let r = app.ok(&token, update, json!({ "input": { "id": worse, "version": worse_version, "title": "Kitchen assistant, weekends and evenings", "waitUntilSearchable": true } })).await;
        assert_eq!(r.data("vacancyUpdate.vacancy.title"), "Kitchen assistant, weekends and evenings", "{}", r.body);
        let next = subscriber.next(Duration::from_secs(20)).await.expect("an event for the risen vacancy");
        let change = &next["next"]["data"]["matchesChanged"];
        // The first event after the top one is the update: the worse vacancy was never announced
        // while a better one held the top place.
        assert_eq!(change["suggestion"]["vacancy"]["title"], "Kitchen assistant, weekends and evenings", "{next}");
        assert_eq!(change["suggestion"]["vacancy"]["id"], worse, "{next}");
        assert_eq!(change["rank"], 1, "{next}");
    })
    .await;
}

const SENSITIVE: &str = "{ clients(first: 5) { nodes { name sensitive(purpose: SUPPORT_PLANNING) { primarySubstanceGroup criminalRecordStatus } } } }";

/// A specialist with one client whose special-category facts are recorded, and a colleague to
/// hand the caseload to; returns (specialist id, token, colleague id).
async fn caseload_with_facts(app: &TestApp) -> (String, String, String) {
    let (team, specialist, token) = app.specialist().await;
    let (colleague, _, _) = app.create_staff("SPECIALIST", Some(&team)).await;
    let r = app.ok(&token, "mutation($input: ClientRegisterInput!) { clientRegister(input: $input) { client { id } } }",
        json!({ "input": { "name": "Sam Socket", "referralDate": "2026-10-01", "referralSource": "SELF_REFERRAL" } })).await;
    let client = r
        .data("clientRegister.client.id")
        .as_str()
        .expect("client")
        .to_string();
    app.ok(&token, "mutation($input: ClientSensitiveRecordInput!) { clientSensitiveRecord(input: $input) { client { id } } }",
        json!({ "input": { "clientId": client, "primarySubstanceGroup": "OPIATES", "criminalRecordStatus": "UNSPENT" } })).await;
    (specialist, token, colleague)
}

#[tokio::test]
async fn a_socket_refuses_every_operation_once_its_caller_is_deactivated_and_then_closes() {
    on_each_database(|app| async move {
        let (specialist, token, colleague) = caseload_with_facts(&app).await;
        let mut socket = SocketSession::open(&ws_url(&app, "/graphql"), &token);
        assert_eq!(socket.next(Duration::from_secs(20)).await, Some(json!({ "connected": true })));
        // A query sent as `subscribe` runs like one over HTTP while the caller is signed in.
        socket.send("1", SENSITIVE, json!({}));
        let answer = socket.answer("1", Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(answer["data"]["clients"]["nodes"][0]["sensitive"]["primarySubstanceGroup"], "OPIATES", "{answer}");

        let r = app.ok(&app.admin_token(), "mutation($input: StaffDeactivateInput!) { staffDeactivate(input: $input) { staff { active } userErrors { message } } }",
            json!({ "input": { "id": specialist, "handOverTo": colleague } })).await;
        assert_eq!(r.data("staffDeactivate.staff.active"), false, "{}", r.body);
        // HTTP refuses at once; so does the open socket, for the very next operation.
        assert_eq!(app.graphql(Some(&token), SENSITIVE, json!({})).await.status.as_u16(), 401);
        socket.send("2", SENSITIVE, json!({}));
        let answer = socket.answer("2", Duration::from_secs(10)).await.expect("an answer");
        assert!(!answer.to_string().contains("OPIATES"), "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answer}");
        // And the server closes the socket (4401: sign in again) within a heartbeat or two.
        let closed = socket.closed(Duration::from_secs(15)).await.expect("the server closed the socket");
        assert_eq!(closed["code"], 4401, "{closed}");
    })
    .await;
}

#[tokio::test]
async fn a_socket_closes_when_its_token_expires() {
    on_each_database(|app| async move {
        let (_, specialist, _) = app.specialist().await;
        // Expired 18 s ago: accepted within the 30 s clock-skew leeway, which runs out in 12 s.
        let now = crate::helpers::now_secs();
        let token = app.sign(&json!({ "iss": crate::helpers::ISSUER, "aud": crate::helpers::AUDIENCE,
            "sub": crate::helpers::decode_global_id(&specialist).to_string(), "exp": now - 18, "nbf": now - 60, "iat": now - 60 }));
        let mut socket = SocketSession::open(&ws_url(&app, "/graphql"), &token);
        assert_eq!(socket.next(Duration::from_secs(20)).await, Some(json!({ "connected": true })));
        socket.send("1", "{ viewer { id } }", json!({}));
        let answer = socket.answer("1", Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(answer["data"]["viewer"]["id"], specialist.as_str(), "{answer}");
        let closed = socket.closed(Duration::from_secs(30)).await.expect("the server closed the socket");
        assert_eq!(closed["code"], 4401, "{closed}");
    })
    .await;
}

#[tokio::test]
async fn errors_over_a_socket_are_censored_as_over_http_and_operations_are_charged() {
    crate::helpers::on_each_database_with(
        |settings| settings.rate_limit_per_minute = 60,
        |app| async move {
            let (_, token, _) = caseload_with_facts(&app).await;
            // Someone edited the database: a table the resolvers read is gone.
            let drop = match app.backend {
                crate::helpers::Backend::Sqlite => "DROP TABLE vocational_profile",
                crate::helpers::Backend::Postgres(_) => "DROP TABLE vocational_profile CASCADE",
            };
            sea_orm::ConnectionTrait::execute_unprepared(&app.db, drop)
                .await
                .expect("drop");
            let mut socket = SocketSession::open(&ws_url(&app, "/graphql"), &token);
            assert_eq!(
                socket.next(Duration::from_secs(20)).await,
                Some(json!({ "connected": true }))
            );
            socket.send(
                "1",
                "{ clients(first: 1) { nodes { profileHistory { version } } } }",
                json!({}),
            );
            let answer = socket
                .answer("1", Duration::from_secs(10))
                .await
                .expect("an answer");
            let error = &answer["errors"][0];
            assert_eq!(error["extensions"]["code"], "INTERNAL", "{answer}");
            assert!(error["extensions"]["requestId"].is_string(), "{answer}");
            assert!(
                !answer
                    .to_string()
                    .to_lowercase()
                    .contains("vocational_profile"),
                "database text reached the socket: {answer}"
            );
            // The same bucket as HTTP: a socket cannot run past the rate limit.
            let mut limited = false;
            for n in 0..40 {
                let id = format!("q{n}");
                socket.send(&id, "{ clients(first: 20) { nodes { name } } }", json!({}));
                let answer = socket
                    .answer(&id, Duration::from_secs(10))
                    .await
                    .expect("an answer");
                if answer["errors"][0]["extensions"]["code"] == "RATE_LIMITED" {
                    limited = true;
                    break;
                }
            }
            assert!(
                limited,
                "40 operations of cost 21 within a 60-point minute were never refused"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn an_integrator_socket_closes_once_its_scopes_change() {
    on_each_database(|app| async move {
        let (_, token) = app.integrator("dwp").await;
        let admin = app.admin_token();
        let mut socket = SocketSession::open(&ws_url(&app, "/integrations/graphql"), &token);
        assert_eq!(socket.next(Duration::from_secs(20)).await, Some(json!({ "connected": true })));
        socket.send("1", "{ employers(first: 1) { totalCount } }", json!({}));
        let answer = socket.answer("1", Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(answer["data"]["employers"]["totalCount"], 0, "{answer}");
        // The admin narrows its scopes: the open socket is not the integrator it was.
        let record = app.ok(&admin, "{ integrators { id version } }", json!({})).await.data("integrators")[0].clone();
        app.ok(&admin, "mutation($input: IntegratorUpdateInput!) { integratorUpdate(input: $input) { userErrors { code } } }",
            json!({ "input": { "id": record["id"], "version": record["version"], "scopes": ["VACANCIES_READ"] } })).await;
        socket.send("2", "{ employers(first: 1) { totalCount } }", json!({}));
        let answer = socket.answer("2", Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answer}");
        let closed = socket.closed(Duration::from_secs(15)).await.expect("the server closed the socket");
        assert_eq!(closed["code"], 4401, "{closed}");
    })
    .await;
}
