//! The integrations benchmark: `ipsmatch import` of a JSON Lines file of schema.org JobPostings
//! (rows a second, on SQLite and PostgreSQL, first load and an unchanged re-import), and replica
//! propagation on PostgreSQL: two `ipsmatch serve` processes on one database, a vacancy written
//! through one, timed until the other can search it and until a `graphql-ws` subscriber on the
//! other hears of it. Run it with `cargo bench -p ipsmatch-tests --bench integrations`.
//!
//! The binary doubles as the `ipsmatch` it measures: `integrations serve|import|token|…` is `ipsmatch`.

#![allow(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use ipsmatch::demo::vacancies::VacancyCorpus;
use ipsmatch::demo::{Rng, places};

const SOURCE: &str = "bench-feed";

mod support;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if matches!(
        args.get(1).map(String::as_str),
        Some("serve" | "token" | "import" | "integrator-create" | "admin-create")
    ) {
        return ipsmatch::cli::main();
    }
    let options = match Options::parse(&args[1..]) {
        Ok(options) => options,
        Err(err) => {
            eprintln!("integrations bench: {err:#}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    support::run_bench("integrations", run(options))
}

const USAGE: &str = "usage: cargo bench -p ipsmatch-tests --bench integrations -- [options]
  --rows N          JobPostings in the import file (default 100000)
  --probes N        writes timed across replicas (default 100)
  --seed N          corpus seed (default 2026)
  --postgres URL    PostgreSQL (default $IPSMATCH_TEST_POSTGRES_URL, else
                    postgres://postgres@127.0.0.1:5432/test)
  --no-postgres     import on SQLite only; no replica run";

struct Options {
    rows: usize,
    probes: usize,
    seed: u64,
    postgres: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut options = Options {
            rows: 100_000,
            probes: 100,
            seed: 2026,
            postgres: Some(
                std::env::var("IPSMATCH_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into()),
            ),
        };
        let mut args = args.iter().filter(|a| *a != "--bench");
        while let Some(arg) = args.next() {
            let mut value = || args.next().context("a value is missing");
            match arg.as_str() {
                "--rows" => options.rows = value()?.parse()?,
                "--probes" => options.probes = value()?.parse()?,
                "--seed" => options.seed = value()?.parse()?,
                "--postgres" => options.postgres = Some(value()?.clone()),
                "--no-postgres" => options.postgres = None,
                other => bail!("unknown option {other}"),
            }
        }
        Ok(options)
    }
}

fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench")
}

/// Writes the JobPostings file (once per size and seed).
fn postings_file(options: &Options) -> anyhow::Result<PathBuf> {
    let path = target_dir().join(format!(
        "jobpostings-{}-{}.jsonl",
        options.rows, options.seed
    ));
    if path.exists() {
        return Ok(path);
    }
    std::fs::create_dir_all(target_dir())?;
    let mut corpus = VacancyCorpus::new(
        places(),
        &[],
        chrono::Utc::now().date_naive(),
        uuid::Uuid::nil(),
    );
    let mut rng = Rng::new(options.seed);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for i in 0..options.rows {
        let mut row = corpus.vacancy(&mut rng, i);
        row.external_id = Some(format!("FAJ-{i:07}"));
        row.source = SOURCE.into();
        let posting = ipsmatch::integrations::job_posting::to_json_ld(&row, None);
        writeln!(out, "{posting}")?;
    }
    out.flush()?;
    Ok(path)
}

/// Runs `import` as a separate process; returns seconds and what it printed.
fn import(
    file: &Path,
    data_dir: &Path,
    database_url: Option<&str>,
) -> anyhow::Result<(f64, String)> {
    let started = Instant::now();
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg("import")
        .arg(file)
        .args(["--source", SOURCE, "--log", "warn"])
        .arg("--data-dir")
        .arg(data_dir)
        .stderr(Stdio::null());
    if let Some(url) = database_url {
        command.args(["--database-url", url]);
    }
    let output = command.output()?;
    if !output.status.success() {
        bail!("import failed");
    }
    Ok((
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
    ))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

async fn run(options: Options) -> anyhow::Result<()> {
    let started = Instant::now();
    let file = postings_file(&options)?;
    println!(
        "ipsmatch integrations benchmark: {} JobPostings ({:.0} MB of JSON Lines, written in {:.1} s)",
        options.rows,
        std::fs::metadata(&file)?.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let mut report = json!({ "rows": options.rows });

    let dir = tempfile::tempdir()?;
    let (first, printed) = import(&file, dir.path(), None)?;
    let (again, _) = import(&file, dir.path(), None)?;
    println!(
        "SQLite      import {first:6.1} s ({:6.0} rows/s)   unchanged re-import {again:6.1} s ({:6.0} rows/s)",
        options.rows as f64 / first,
        options.rows as f64 / again
    );
    println!("            {printed}");
    report["sqlite"] = json!({ "importSeconds": first, "reimportSeconds": again });

    if let Some(url) = &options.postgres {
        let name = format!("ipsmatch_bench_int_{}", std::process::id());
        support::with_scratch_database(url, &name, async |db_url: &str| {
            let pg_dir = tempfile::tempdir()?;
            let (first, printed) = import(&file, pg_dir.path(), Some(db_url))?;
            let (again, _) = import(&file, pg_dir.path(), Some(db_url))?;
            println!("PostgreSQL  import {first:6.1} s ({:6.0} rows/s)   unchanged re-import {again:6.1} s ({:6.0} rows/s)",
                options.rows as f64 / first, options.rows as f64 / again);
            println!("            {printed}");
            report["postgres"] = json!({ "importSeconds": first, "reimportSeconds": again });
            report["replicas"] = replicas(&options, pg_dir.path(), db_url).await?;
            anyhow::Ok(())
        })
        .await?;
    }
    let out = target_dir().join("integrations.json");
    std::fs::write(&out, serde_json::to_string_pretty(&report)?)?;
    println!("wrote {}", out.display());
    Ok(())
}

/// A server process; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data_dir: &Path, index_dir: &Path, db_url: &str) -> anyhow::Result<Server> {
    let mut child = Command::new(std::env::current_exe()?)
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--log",
            "warn",
            "--rate-limit-per-minute",
            "0",
        ])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--index-dir")
        .arg(index_dir)
        .args(["--database-url", db_url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let mut lines = std::io::BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().context("the server ended")??;
        if let Some(url) = line.strip_prefix("ipsmatch listening on ") {
            break url.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok(Server { child, base })
}

async fn ready(client: &reqwest::Client, base: &str) -> anyhow::Result<i64> {
    for _ in 0..6_000 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            let body: Value = r.json().await?;
            return Ok(body["searchIndexAppliedSeq"].as_i64().unwrap_or(0));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("{base} never became ready")
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

/// Two replicas on the imported database: writes through one, timed until the other searches and
/// announces them.
async fn replicas(options: &Options, data_dir: &Path, db_url: &str) -> anyhow::Result<Value> {
    let exe = std::env::current_exe()?;
    let run = |args: &[&str]| -> anyhow::Result<String> {
        let output = Command::new(&exe)
            .args(args)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--database-url", db_url, "--log", "warn"])
            .output()?;
        if !output.status.success() {
            bail!(
                "{args:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    let integrator = run(&[
        "integrator-create",
        "--name",
        "Bench feed",
        "--source-key",
        SOURCE,
    ])?;
    let token = run(&["token", "--integrator", &integrator])?;
    let (index_a, index_b) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let started = Instant::now();
    let a = serve(data_dir, index_a.path(), db_url)?;
    let b = serve(data_dir, index_b.path(), db_url)?;
    let client = reqwest::Client::new();
    ready(&client, &a.base).await?;
    ready(&client, &b.base).await?;
    println!(
        "replicas    two servers built their indexes of {} vacancies and were ready in {:.1} s",
        options.rows,
        started.elapsed().as_secs_f64()
    );

    // A graphql-ws subscriber on replica B, printing the time it hears each change.
    let ws_client = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ws-client");
    if !ws_client.join("node_modules/graphql-ws").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&ws_client)
            .status()?;
        if !status.success() {
            bail!("npm ci in tests/ws-client failed");
        }
    }
    let ws = format!(
        "{}/integrations/graphql",
        b.base.replacen("http://", "ws://", 1)
    );
    let mut node = Command::new("node")
        .arg(ws_client.join("subscribe.mjs"))
        .args([
            ws.as_str(),
            token.as_str(),
            "subscription { vacancyChanged(filter: { kinds: [CREATED] }) { vacancy { externalId } } }",
            "{}",
            "1000000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = node.stdout.take().context("node stdout")?;
    let (send, heard) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Ok(v) = serde_json::from_str(&line)
                && send.send(v).is_err()
            {
                break;
            }
        }
    });
    let db = sea_orm::Database::connect(db_url).await?;
    let max_seq = async || -> anyhow::Result<i64> {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log",
            ))
            .await?
            .context("no row")?;
        Ok(row.try_get("", "seq")?)
    };
    let upsert = "mutation($input: VacanciesUpsertInput!) { vacanciesUpsert(input: $input) { summary { created } } }";
    let write = async |id: &str| -> anyhow::Result<f64> {
        let body = json!({ "query": upsert, "variables": { "input": { "source": SOURCE, "items": [{ "externalId": id, "title": "Replica probe", "employerName": "Bench", "contractType": "PERMANENT" }] } } });
        let r = client
            .post(format!("{}/integrations/graphql", a.base))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await?;
        let body: Value = r.json().await?;
        if body["data"]["vacanciesUpsert"]["summary"]["created"] != 1 {
            bail!("probe not created: {body}");
        }
        Ok(now_ms())
    };
    // Wait until the subscriber is connected and hearing.
    let mut warm = 0;
    loop {
        write(&format!("warm-{warm}")).await?;
        warm += 1;
        if let Ok(v) = heard.recv_timeout(Duration::from_millis(500))
            && v.get("next").is_some()
        {
            break;
        }
        if warm > 40 {
            bail!("the subscriber on the replica heard nothing");
        }
    }
    while heard.try_recv().is_ok() {}

    let mut searchable = Vec::new();
    let mut announced = Vec::new();
    for i in 0..options.probes {
        let id = format!("probe-{i}");
        let acked = write(&id).await?;
        let acked_at = Instant::now();
        let seq = max_seq().await?;
        loop {
            let r: Value = client
                .get(format!("{}/readyz", b.base))
                .send()
                .await?
                .json()
                .await?;
            if r["searchIndexAppliedSeq"].as_i64().unwrap_or(0) >= seq {
                break;
            }
            if acked_at.elapsed() > Duration::from_secs(30) {
                bail!("replica B never applied seq {seq}");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        searchable.push(acked_at.elapsed().as_secs_f64() * 1e3);
        loop {
            let v = heard
                .recv_timeout(Duration::from_secs(30))
                .context("no announcement")?;
            if v["next"]["data"]["vacancyChanged"]["vacancy"]["externalId"] == id.as_str() {
                announced.push((v["at"].as_f64().unwrap_or(acked) - acked).max(0.0));
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = node.kill();
    let _ = node.wait();
    searchable.sort_by(f64::total_cmp);
    announced.sort_by(f64::total_cmp);
    println!(
        "replicas    written through A, searchable on B: p50 {:.1} ms, p99 {:.1} ms; announced to a subscriber on B: p50 {:.1} ms, p99 {:.1} ms ({} writes)",
        percentile(&searchable, 0.5),
        percentile(&searchable, 0.99),
        percentile(&announced, 0.5),
        percentile(&announced, 0.99),
        options.probes
    );
    drop((a, b));
    Ok(json!({
        "searchableMs": { "p50": percentile(&searchable, 0.5), "p99": percentile(&searchable, 0.99) },
        "announcedMs": { "p50": percentile(&announced, 0.5), "p99": percentile(&announced, 0.99) },
        "probes": options.probes,
    }))
}
