//! The fidelity benchmark: the time to compute the fidelity measures, the printable report and the
//! outcomes for a team of ten specialists over a year, on the demo data set (a year of engagements,
//! referrals, jobs and support), on SQLite and PostgreSQL. Ten demo specialists are gathered into
//! one team; the report is timed both in-process and as a team lead fetches it over HTTP from
//! `/reports/fidelity`. Run it with `cargo bench -p ipsmatch-tests --bench fidelity`
//! (`-- --no-postgres` for SQLite only).

#![allow(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use ipsmatch::config::Settings;
use ipsmatch::fidelity::outcomes::{OutcomeSplit, outcomes};
use ipsmatch::fidelity::service::{Scope, fidelity};
use ipsmatch::fidelity::thresholds::Thresholds;

/// Timed runs of each computation.
const RUNS: usize = 10;

mod support;

fn main() -> ExitCode {
    let postgres = !std::env::args().any(|a| a == "--no-postgres");
    support::run_bench("fidelity", run(postgres))
}

async fn run(postgres: bool) -> anyhow::Result<()> {
    println!(
        "ipsmatch fidelity benchmark: 10 specialists, a year's range, demo data, {RUNS} runs each"
    );
    let dir = tempfile::tempdir()?;
    let sqlite = Settings::with_data_dir(dir.path());
    measure("SQLite", &sqlite).await?;
    if postgres {
        let url = std::env::var("IPSMATCH_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!("ipsmatch_bench_fid_{}", std::process::id());
        support::with_scratch_database(&url, &name, async |db_url: &str| {
            let mut settings = Settings::with_data_dir(dir.path().join("pg"));
            settings.database_url = db_url.to_string();
            measure("PostgreSQL", &settings).await
        })
        .await?;
    }
    Ok(())
}

fn percentiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[ms.len() - 1])
}

async fn measure(label: &str, settings: &Settings) -> anyhow::Result<()> {
    let db = ipsmatch::startup::prepare_database(settings).await?;
    ipsmatch::demo::load_if_empty(&db).await?;
    let specialists: Vec<entities::staff::Model> = entities::staff::Entity::find()
        .filter(entities::staff::Column::Role.eq("SPECIALIST"))
        .order_by_asc(entities::staff::Column::Email)
        .all(&db)
        .await?
        .into_iter()
        .take(10)
        .collect();
    let lead = ipsmatch::demo::first_with_role(&db, ipsmatch::auth::Role::TeamLead)
        .await?
        .context("a team lead")?;
    // One team of ten: the lead's own team takes in the other specialists.
    let team_id = lead.team_id.context("the lead's team")?;
    entities::staff::Entity::update_many()
        .col_expr(
            entities::staff::Column::TeamId,
            sea_orm::sea_query::Expr::value(team_id),
        )
        .filter(entities::staff::Column::Id.is_in(specialists.iter().map(|s| s.id)))
        .exec(&db)
        .await?;
    let engagements = entities::engagement::Entity::find()
        .filter(entities::engagement::Column::SpecialistId.is_in(specialists.iter().map(|s| s.id)))
        .count(&db)
        .await?;
    let clients = entities::caseload_assignment::Entity::find()
        .filter(
            entities::caseload_assignment::Column::SpecialistId
                .is_in(specialists.iter().map(|s| s.id)),
        )
        .count(&db)
        .await?;
    let jobs = entities::job_start::Entity::find().count(&db).await?;
    let http_ms = over_http(settings, lead.id, team_id).await?;
    let viewer = ipsmatch::auth::Viewer {
        staff: lead,
        role: ipsmatch::auth::Role::TeamLead,
    };
    let scope = Scope {
        label: format!("{} specialists", specialists.len()),
        specialists,
        team: Some(team_id),
        reach: ipsmatch::clients::access::ClientScope::of(&viewer),
    };
    let thresholds = Thresholds::load(None)?;
    let to = chrono::Utc::now().date_naive();
    let from = to - chrono::Duration::days(364);
    let mut measures_ms = Vec::new();
    let mut report_ms = Vec::new();
    let mut outcomes_ms = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let measures = fidelity(&db, &thresholds, &scope, from, to)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        measures_ms.push(started.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(measures.len() == 10);
        let started = Instant::now();
        let report =
            ipsmatch::reports::page::Report::compute(&db, &thresholds, &viewer, &scope, from, to)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let html = ipsmatch::reports::page::render(&report);
        report_ms.push(started.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(html.contains("data-chart=\"weekly-contacts\""));
        let started = Instant::now();
        for definition in ipsmatch::reports::page::OUTCOMES {
            outcomes(
                &db,
                &viewer,
                &scope,
                definition,
                Some(OutcomeSplit::Specialist),
                from,
                to,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        outcomes_ms.push(started.elapsed().as_secs_f64() * 1e3);
    }
    let (m50, m_max) = percentiles(measures_ms);
    let (r50, r_max) = percentiles(report_ms);
    let (o50, o_max) = percentiles(outcomes_ms);
    let (h50, h_max) = percentiles(http_ms);
    println!(
        "{label:<11} team of 10: {clients} clients, {engagements} engagements, {jobs} job starts in the demo"
    );
    println!(
        "{label:<11} measures p50 {m50:.1} ms (max {m_max:.1}); whole report (the team's measures, each specialist's, four outcomes by quarter, HTML) p50 {r50:.1} ms (max {r_max:.1}); GET /reports/fidelity over HTTP p50 {h50:.1} ms (max {h_max:.1}); four outcome definitions split by specialist p50 {o50:.1} ms (max {o_max:.1})"
    );
    Ok(())
}

/// Serves the API on the benchmark's database and times a team lead fetching the team's report
/// for the last year.
async fn over_http(
    settings: &Settings,
    lead: uuid::Uuid,
    team: uuid::Uuid,
) -> anyhow::Result<Vec<f64>> {
    let mut settings = settings.clone();
    settings.bind = "127.0.0.1:0".parse()?;
    settings.log = "warn".into();
    let (_, issuer) = ipsmatch::auth::load_keys(&settings)?;
    let token = issuer
        .context("a signing key")?
        .mint(lead, std::time::Duration::from_secs(3600))?;
    // The server gets a pool of its own, as a server process would: connections its worker
    // runtimes open must not outlive them in the pool the rest of the benchmark goes on using.
    let served = ipsmatch::startup::prepare_database(&settings).await?;
    let app = ipsmatch::startup::Application::build(settings, served)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let stop = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let to = chrono::Utc::now().date_naive();
    let from = to - chrono::Duration::days(364);
    let url = format!(
        "{base}/reports/fidelity?teamId={}&from={from}&to={to}",
        ipsmatch::ids::encode(ipsmatch::ids::Kind::Team, team).as_str()
    );
    let mut ms = Vec::new();
    for run in 0..=RUNS {
        let started = Instant::now();
        let response = client.get(&url).bearer_auth(&token).send().await?;
        anyhow::ensure!(response.status().is_success(), "{}", response.status());
        let html = response.text().await?;
        anyhow::ensure!(html.contains("data-chart=\"weekly-contacts\""));
        // The first request warms the connection; it is not counted.
        if run > 0 {
            ms.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    stop.stop().await;
    let _ = running.await;
    Ok(ms)
}
