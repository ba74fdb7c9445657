//! The write benchmark: `engagementCreate` over HTTP from 8 connections at once (each sends its
//! next request when the last is answered), on SQLite and PostgreSQL, with the latency tail
//! (p50, p99, max) of each and SQLite's as a multiple of PostgreSQL's. Every response must be free
//! of errors. Run it with `cargo bench -p ipsmatch-tests --bench writes` (`-- --no-postgres` for
//! SQLite only).

#![allow(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Value, json};

use ipsmatch::config::Settings;

/// Connections writing at once.
const CONNECTIONS: usize = 8;
/// Requests each connection sends (after one that warms it, not counted).
const REQUESTS: usize = 60;

mod support;

fn main() -> ExitCode {
    let postgres = !std::env::args().any(|a| a == "--no-postgres");
    support::run_bench("writes", run(postgres))
}

/// Latency percentiles in milliseconds.
struct Tail {
    p50: f64,
    p99: f64,
    max: f64,
}

async fn run(postgres: bool) -> anyhow::Result<()> {
    println!(
        "ipsmatch write benchmark: engagementCreate, {CONNECTIONS} connections x {REQUESTS} requests"
    );
    let dir = tempfile::tempdir()?;
    let sqlite = measure("SQLite", &Settings::with_data_dir(dir.path())).await?;
    if postgres {
        let url = std::env::var("IPSMATCH_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!("ipsmatch_bench_writes_{}", std::process::id());
        let pg = support::with_scratch_database(&url, &name, async |db_url: &str| {
            let mut settings = Settings::with_data_dir(dir.path().join("pg"));
            settings.database_url = db_url.to_string();
            measure("PostgreSQL", &settings).await
        })
        .await?;
        println!(
            "SQLite / PostgreSQL: p50 {:.1}x, p99 {:.1}x, max {:.1}x",
            sqlite.p50 / pg.p50,
            sqlite.p99 / pg.p99,
            sqlite.max / pg.max
        );
    }
    Ok(())
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?
        .json()
        .await?;
    anyhow::ensure!(body.get("errors").is_none(), "errors: {body}");
    Ok(body)
}

fn text_at<'a>(body: &'a Value, pointer: &str) -> anyhow::Result<&'a str> {
    body.pointer(pointer)
        .and_then(Value::as_str)
        .with_context(|| format!("no {pointer} in {body}"))
}

async fn measure(label: &str, settings: &Settings) -> anyhow::Result<Tail> {
    let mut settings = settings.clone();
    settings.bind = "127.0.0.1:0".parse()?;
    settings.log = "warn".into();
    settings.rate_limit_per_minute = 0;
    let db = ipsmatch::startup::prepare_database(&settings).await?;
    let admin = ipsmatch::staff::service::create_staff(
        &db,
        ipsmatch::staff::types::StaffCreateInput {
            name: "Bench Admin".into(),
            email: "bench.admin@ipsmatch.example".into(),
            role: ipsmatch::auth::Role::Admin,
            fte: 1.0,
            team_id: None,
            treatment_team_id: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("seeding the admin: {e:?}"))?;
    let (_, issuer) = ipsmatch::auth::load_keys(&settings)?;
    let issuer = issuer.context("a signing key")?;
    let hour = Duration::from_secs(3600);
    let admin_token = issuer.mint(admin.id, hour)?;
    let app = ipsmatch::startup::Application::build(settings, db)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let stop = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();

    let team = post(
        &client,
        &base,
        &admin_token,
        "mutation($input: TeamCreateInput!) { teamCreate(input: $input) { team { id } } }",
        json!({ "input": { "name": "Bench team", "site": "Leeds" } }),
    )
    .await?;
    let team = text_at(&team, "/data/teamCreate/team/id")?.to_string();
    let specialist = post(&client, &base, &admin_token,
        "mutation($input: StaffCreateInput!) { staffCreate(input: $input) { staff { id } } }",
        json!({ "input": { "name": "Bench Specialist", "email": "bench.specialist@ipsmatch.example", "role": "SPECIALIST", "fte": 1.0, "teamId": team } })).await?;
    let specialist = text_at(&specialist, "/data/staffCreate/staff/id")?;
    let specialist = ipsmatch::ids::decode_as(specialist, ipsmatch::ids::Kind::Staff)
        .context("the specialist's id")?;
    let token = issuer.mint(specialist, hour)?;
    let employer = post(&client, &base, &token,
        "mutation($input: EmployerCreateInput!) { employerCreate(input: $input) { employer { id } } }",
        json!({ "input": { "name": "Calder Foods", "sector": "MANUFACTURING", "size": "SMALL" } })).await?;
    let employer = text_at(&employer, "/data/employerCreate/employer/id")?.to_string();

    let mut tasks = tokio::task::JoinSet::new();
    for connection in 0..CONNECTIONS {
        let (base, token, employer) = (base.clone(), token.clone(), employer.clone());
        tasks.spawn(async move {
            // A client of its own: one keep-alive connection per writer.
            let client = reqwest::Client::builder().pool_max_idle_per_host(1).build()?;
            let mut ms = Vec::with_capacity(REQUESTS);
            for request in 0..=REQUESTS {
                let input = json!({ "employerId": employer, "occurredAt": chrono::Utc::now().to_rfc3339(), "mode": "PHONE",
                    "purpose": "LEARN_NEEDS", "outcome": format!("call {connection}.{request}") });
                let started = Instant::now();
                let body = post(&client, &base, &token,
                    "mutation($input: EngagementCreateInput!) { engagementCreate(input: $input) { engagement { id } userErrors { code } } }",
                    json!({ "input": input })).await?;
                if request > 0 {
                    ms.push(started.elapsed().as_secs_f64() * 1e3);
                }
                anyhow::ensure!(body.pointer("/data/engagementCreate/engagement/id").is_some(), "{body}");
            }
            anyhow::Ok(ms)
        });
    }
    let mut ms = Vec::new();
    while let Some(done) = tasks.join_next().await {
        ms.extend(done??);
    }
    stop.stop().await;
    let _ = running.await;
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    let tail = Tail {
        p50: at(0.5),
        p99: at(0.99),
        max: ms[ms.len() - 1],
    };
    println!(
        "{label:<11} engagementCreate x{}: p50 {:7.1} ms  p99 {:7.1} ms  max {:7.1} ms",
        ms.len(),
        tail.p50,
        tail.p99,
        tail.max
    );
    Ok(tail)
}
