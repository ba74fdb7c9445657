//! The `ipsmatch` command: `serve` (the default), `migrate`, `token`, `import`, `schema` and the
//! admin helpers.

#![expect(
    clippy::print_stdout,
    reason = "the command line prints tokens and the schema for people and scripts"
)]

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use uuid::Uuid;

use crate::auth::{Role, load_keys};
use crate::config::Settings;
use crate::startup::{Application, prepare_database};

/// ipsmatch: employers, vacancies, clients and disclosure consent for IPS employment specialists.
#[derive(Parser)]
#[command(name = "ipsmatch", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service (the default when no command is given).
    Serve {
        /// Fill an empty database with the demo data set and print a token for each role.
        #[arg(long, env = "IPSMATCH_DEMO")]
        demo: bool,
        #[command(flatten)]
        settings: Settings,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        settings: Settings,
    },
    /// Mint a development token (HS256 only).
    Token {
        /// Role of the staff member to mint for: admin, team-lead or specialist. Without
        /// `--subject`, the first active member of staff with this role is used.
        #[arg(long, value_parser = parse_role)]
        role: Option<Role>,
        /// The staff id (UUID) the token is for.
        #[arg(long)]
        subject: Option<Uuid>,
        /// Mint an integrator token for this integrator id instead (see `integrator-create`).
        #[arg(long, conflicts_with_all = ["role", "subject"])]
        integrator: Option<Uuid>,
        /// Scopes an integrator token asks for, comma-separated (default: all four; it gets only
        /// those it was registered with).
        #[arg(
            long,
            default_value = "vacancies:read,vacancies:write,employers:read,employers:write"
        )]
        scopes: String,
        /// Hours the token stays valid.
        #[arg(long, default_value_t = 12)]
        ttl_hours: u64,
        #[command(flatten)]
        settings: Settings,
    },
    /// Check the append-only logs.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Rebuild the search index from the database (stop the server first).
    Reindex {
        #[command(flatten)]
        settings: Settings,
    },
    /// Add an admin (how a new installation gets its first user) and print their staff id.
    AdminCreate {
        /// Full name.
        #[arg(long)]
        name: String,
        /// Work e-mail address.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        settings: Settings,
    },
    /// Register an integrator (a system that syncs vacancies and employers) and print its id.
    IntegratorCreate {
        /// Its name.
        #[arg(long)]
        name: String,
        /// The feed key its records carry (lower-case letters, digits, hyphens).
        #[arg(long)]
        source_key: String,
        /// Scopes it may be granted, comma-separated.
        #[arg(
            long,
            default_value = "vacancies:read,vacancies:write,employers:read,employers:write"
        )]
        scopes: String,
        #[command(flatten)]
        settings: Settings,
    },
    /// Load vacancies from a file of schema.org JobPosting JSON-LD (one object, an array, or JSON
    /// Lines) into a source, as `vacanciesUpsert` would; prints a summary.
    Import {
        /// The file.
        file: std::path::PathBuf,
        /// The source key the vacancies belong to.
        #[arg(long)]
        source: String,
        /// Postings per transaction (at most 1,000).
        #[arg(long, default_value_t = 1_000)]
        batch: usize,
        #[command(flatten)]
        settings: Settings,
    },
    /// Print a schema (SDL): the staff one, or with `--integrations` the integrator one.
    Schema {
        /// Print the integrator schema.
        #[arg(long)]
        integrations: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the audit log and the disclosure log link by link and hold each to every checkpoint in
    /// the checkpoint file; report the first problem of each (a non-zero exit when either is
    /// broken). Needs the log key file.
    Verify {
        #[command(flatten)]
        settings: Settings,
    },
    /// Append a signed checkpoint of each log's head to the checkpoint file now.
    Checkpoint {
        #[command(flatten)]
        settings: Settings,
    },
}

/// What `ipsmatch audit verify` prints (one line a log: `intact`, or `BROKEN at entry N: why`) and
/// whether both logs verify. Reads the database and the key and checkpoint files; writes nothing.
pub async fn audit_verify(settings: &Settings) -> anyhow::Result<(String, bool)> {
    let db = crate::db::connect(settings).await?;
    crate::db::migrate(&db).await?;
    let key = crate::log_chain::open(settings, &db, crate::log_chain::KeyFile::Existing).await?;
    let mut said = String::new();
    if key.is_none() {
        said.push_str(&format!(
            "no log key at {}: keyed entries cannot be checked\n",
            settings.effective_log_key_file().display()
        ));
    }
    let mut intact = true;
    for verdict in crate::log_chain::verify(settings, &db).await? {
        let name = verdict.log.label();
        match verdict.broken {
            None => said.push_str(&format!(
                "{name}: intact ({} entries, {} checkpoints held)\n",
                verdict.entries, verdict.checkpoints
            )),
            Some(broken) => {
                intact = false;
                said.push_str(&format!(
                    "{name}: BROKEN at entry {}: {}\n",
                    broken.seq, broken.reason
                ));
            }
        }
    }
    Ok((said, intact))
}

/// Runs the command line and reports failure as a non-zero exit.
pub fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    // `ipsmatch` and `ipsmatch --flag …` mean `ipsmatch serve …`.
    let first = args.get(1).map(String::as_str);
    let is_help = matches!(first, Some("-h" | "--help" | "-V" | "--version"));
    if first.is_none() || (first.is_some_and(|a| a.starts_with('-')) && !is_help) {
        args.insert(1, "serve".into());
    }
    let cli = Cli::parse_from(args);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("ipsmatch: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ipsmatch: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// `IPSMATCH_DATABASE_URL` wins; `DATABASE_URL` is honoured when it is not set.
fn with_database_url_fallback(mut settings: Settings) -> Settings {
    if settings.database_url.is_empty()
        && let Ok(url) = std::env::var("DATABASE_URL")
    {
        settings.database_url = url;
    }
    settings
}

async fn run(command: Command) -> anyhow::Result<()> {
    if let Command::Schema { integrations } = command {
        print_schema(integrations);
        return Ok(());
    }
    let (command, settings) = command.split();
    let settings = with_database_url_fallback(settings);
    init_logging(&settings.log);
    match command {
        Command::Serve { demo, .. } => serve(settings, demo).await,
        Command::Migrate { .. } => migrate(&settings).await,
        Command::Token {
            role,
            subject,
            integrator,
            scopes,
            ttl_hours,
            ..
        } => token(&settings, role, subject, integrator, &scopes, ttl_hours).await,
        Command::Audit {
            command: AuditCommand::Verify { .. },
        } => {
            let (said, intact) = audit_verify(&settings).await?;
            print!("{said}");
            anyhow::ensure!(intact, "a log does not verify");
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Checkpoint { .. },
        } => audit_checkpoint(&settings).await,
        Command::Reindex { .. } => reindex(&settings).await,
        Command::AdminCreate { name, email, .. } => admin_create(&settings, name, email).await,
        Command::IntegratorCreate {
            name,
            source_key,
            scopes,
            ..
        } => integrator_create(&settings, name, source_key, &scopes).await,
        Command::Import {
            file,
            source,
            batch,
            ..
        } => import(&settings, &file, &source, batch).await,
        Command::Schema { .. } => Ok(()),
    }
}

impl Command {
    /// The command with its settings taken out (every command but `schema` has them).
    fn split(self) -> (Command, Settings) {
        let mut command = self;
        let slot = match &mut command {
            Command::Serve { settings, .. }
            | Command::Migrate { settings }
            | Command::Token { settings, .. }
            | Command::Reindex { settings }
            | Command::AdminCreate { settings, .. }
            | Command::IntegratorCreate { settings, .. }
            | Command::Import { settings, .. }
            | Command::Audit {
                command: AuditCommand::Verify { settings } | AuditCommand::Checkpoint { settings },
            } => Some(settings),
            Command::Schema { .. } => None,
        };
        let settings = slot.map(std::mem::take).unwrap_or_default();
        (command, settings)
    }
}

/// `ipsmatch schema [--integrations]`.
fn print_schema(integrations: bool) {
    if integrations {
        print!("{}", crate::integrations::schema::sdl());
    } else {
        print!("{}", crate::schema::sdl());
    }
}

/// `ipsmatch migrate`.
async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    prepare_database(settings).await?;
    println!("database is up to date");
    Ok(())
}

/// `ipsmatch token`: a staff token (by `--subject`, or the first active member with `--role`), or
/// an integrator token.
async fn token(
    settings: &Settings,
    role: Option<Role>,
    subject: Option<Uuid>,
    integrator: Option<Uuid>,
    scopes: &str,
    ttl_hours: u64,
) -> anyhow::Result<()> {
    let ttl = Duration::from_secs(ttl_hours * 3600);
    let issuer = || -> anyhow::Result<_> {
        let (_, issuer) = load_keys(settings)?;
        issuer.context(
            "tokens can only be minted with HS256; with EdDSA your identity provider issues them",
        )
    };
    if let Some(integrator) = integrator {
        let scopes: Vec<&str> = scopes
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        println!("{}", issuer()?.mint_integrator(integrator, &scopes, ttl)?);
        return Ok(());
    }
    let subject = match (subject, role) {
        (Some(subject), _) => subject,
        (None, Some(role)) => {
            let db = prepare_database(settings).await?;
            crate::demo::first_with_role(&db, role)
                .await?
                .with_context(|| {
                    format!(
                        "no active {} in the database; run `ipsmatch serve --demo` or create staff first",
                        role.cli_name()
                    )
                })?
                .id
        }
        (None, None) => anyhow::bail!("give --subject <staff id> or --role <role>"),
    };
    println!("{}", issuer()?.mint(subject, ttl)?);
    Ok(())
}

/// `ipsmatch audit checkpoint`.
async fn audit_checkpoint(settings: &Settings) -> anyhow::Result<()> {
    let db = prepare_database(settings).await?;
    let written = crate::log_chain::checkpoint(settings, &db).await?;
    for c in &written {
        println!("{}: checkpoint at entry {}", c.log.label(), c.seq);
    }
    if written.is_empty() {
        println!("no new entries since the last checkpoint");
    }
    Ok(())
}

/// What a command says when a service refused its input.
fn refused(what: &str, err: crate::error::ServiceError) -> anyhow::Error {
    match err {
        crate::error::ServiceError::User(errors) => {
            let reasons: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            anyhow::anyhow!("{what}: {}", reasons.join("; "))
        }
        crate::error::ServiceError::Api(err) => anyhow::anyhow!("{what}: {err:?}"),
    }
}

/// `ipsmatch admin-create`.
async fn admin_create(settings: &Settings, name: String, email: String) -> anyhow::Result<()> {
    let db = prepare_database(settings).await?;
    let input = crate::staff::inputs::StaffCreateInput {
        name,
        email,
        role: Role::Admin,
        fte: 1.0,
        team_id: None,
        treatment_team_id: None,
    };
    let admin = crate::staff::service::create_staff(&db, input)
        .await
        .map_err(|e| refused("admin not created", e))?;
    println!("{}", admin.id);
    Ok(())
}

/// `ipsmatch integrator-create`.
async fn integrator_create(
    settings: &Settings,
    name: String,
    source_key: String,
    scopes: &str,
) -> anyhow::Result<()> {
    let db = prepare_database(settings).await?;
    let scopes = scopes
        .split(',')
        .map(|s| {
            crate::integrations::access::Scope::parse(s.trim())
                .with_context(|| format!("unknown scope {s:?}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let input = crate::integrations::registry::IntegratorRegisterInput {
        name,
        source_key,
        scopes,
    };
    let integrator = crate::integrations::registry::register(&db, input)
        .await
        .map_err(|e| refused("integrator not registered", e))?;
    println!("{}", integrator.id);
    Ok(())
}

/// Rebuilds the index into a fresh folder, printing progress on standard error.
async fn reindex(settings: &Settings) -> anyhow::Result<()> {
    let db = prepare_database(settings).await?;
    let dir = settings.effective_index_dir();
    // Opening the index takes its writer lock: this fails while a server is using it.
    drop(
        search_index::VacancyIndex::open_or_create(&dir).context(
            "the search index is in use (stop `ipsmatch serve` first) or cannot be opened",
        )?,
    );
    std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    let index = search_index::VacancyIndex::open_or_create(&dir)?;
    let started = std::time::Instant::now();
    let count = crate::vacancies::indexer::rebuild(&db, &index, &mut |done, total| {
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width) as usize;
        eprint!(
            "\r[{}{}] {done}/{total} vacancies",
            "#".repeat(filled),
            " ".repeat(width as usize - filled)
        );
    })
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!();
    println!(
        "indexed {count} vacancies in {seconds:.1} s ({:.0} a second)",
        count as f64 / seconds.max(0.001)
    );
    Ok(())
}

/// `ipsmatch import`: reads the file, maps each posting, applies them in batches, and prints what
/// was accepted and rejected (the first few reasons too). A running server picks the vacancies up
/// from the change log.
async fn import(
    settings: &Settings,
    file: &std::path::Path,
    source: &str,
    batch: usize,
) -> anyhow::Result<()> {
    use crate::integrations::sync::{MAX_BATCH, import_vacancies};
    anyhow::ensure!(
        crate::integrations::registry::is_source_key(source),
        "--source must be lower-case letters, digits and hyphens (at most 50)"
    );
    let batch = batch.clamp(1, MAX_BATCH);
    let db = prepare_database(settings).await?;
    let started = std::time::Instant::now();
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let documents = crate::integrations::job_posting::read_documents(&text);
    drop(text);
    let total = documents.len();
    let mut summary = crate::integrations::types::SyncSummary::default();
    let mut reasons: Vec<String> = Vec::new();
    let mut done = 0usize;
    for chunk in documents.chunks(batch) {
        let items = chunk
            .iter()
            .map(|doc| match doc {
                Ok(value) => crate::integrations::job_posting::from_json_ld(value),
                Err(reason) => Err(vec![crate::error::UserError::on(
                    "",
                    crate::error::UserErrorCode::Invalid,
                    reason.clone(),
                )]),
            })
            .collect();
        let result = match import_vacancies(&db, source, items).await {
            Ok(result) => result,
            Err(crate::error::ServiceError::User(errors)) => {
                let reasons: Vec<String> = errors.into_iter().map(|e| e.message).collect();
                anyhow::bail!("import refused: {}", reasons.join("; "))
            }
            Err(crate::error::ServiceError::Api(err)) => {
                anyhow::bail!("import failed after {done} postings: {err:?}")
            }
        };
        for item in &result.results {
            if reasons.len() < 10
                && let Some(error) = item.errors.first()
            {
                let field = error.field.clone().unwrap_or_default();
                let field = field.get(3..).map(|f| f.join(".")).unwrap_or_default();
                reasons.push(format!(
                    "posting {}: {}{}",
                    done + item.index as usize + 1,
                    if field.is_empty() {
                        String::new()
                    } else {
                        format!("{field}: ")
                    },
                    error.message
                ));
            }
        }
        summary.created += result.summary.created;
        summary.updated += result.summary.updated;
        summary.unchanged += result.summary.unchanged;
        summary.rejected += result.summary.rejected;
        done += chunk.len();
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width);
        eprint!(
            "\r[{}{}] {done}/{total} postings",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
    }
    eprintln!();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{total} postings in {seconds:.1} s ({:.0} a second): {} created, {} updated, {} unchanged, {} rejected",
        total as f64 / seconds.max(0.001),
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.rejected
    );
    for reason in reasons {
        println!("  {reason}");
    }
    Ok(())
}

/// Reads `--role`: admin, team-lead (or team_lead) or specialist.
fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse_cli(text).ok_or_else(|| "expected admin, team-lead or specialist".into())
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let db = prepare_database(&settings).await?;
    if demo && crate::demo::load_if_empty(&db).await? {
        println!("loaded the demo data set");
    }
    let app = Application::build(settings.clone(), db.clone())?;
    let base = format!("http://{}:{}", settings.bind.ip(), app.port());
    println!("ipsmatch listening on {base}");
    println!("  GraphQL:  {base}/graphql");
    if settings.graphiql {
        println!("  GraphiQL: {base}/");
    }
    println!("  SDL:      {base}/schema.graphql");
    println!("  Integrations: {base}/integrations/graphql (SDL at /integrations/schema.graphql)");
    if demo {
        if let Some(issuer) = app.token_issuer() {
            let mut printed = 0;
            // Only in a demo database (the demo's integrator is written with its staff), and
            // only for the demo's own people: never a token for someone real.
            let is_demo = crate::demo::demo_integrator(&db).await?.is_some();
            for role in [
                Role::Admin,
                Role::TeamLead,
                Role::Specialist,
                Role::Keyworker,
            ] {
                if !is_demo {
                    break;
                }
                if let Some(staff) = crate::demo::first_demo_with_role(&db, role).await? {
                    let token = issuer.mint(staff.id, Duration::from_secs(12 * 3600))?;
                    println!("{} token: {token}", role.cli_name());
                    printed += 1;
                }
            }
            if printed == 0 {
                println!(
                    "This database already holds staff who are not the demo's: no tokens printed (mint one with `ipsmatch token --subject <staff id>`)."
                );
            }
            if let Some(integrator) = crate::demo::demo_integrator(&db).await? {
                let scopes: Vec<&str> = crate::integrations::access::Scope::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect();
                let token = issuer.mint_integrator(
                    integrator.id,
                    &scopes,
                    Duration::from_secs(12 * 3600),
                )?;
                println!(
                    "integrator token (source `{}`, for {base}/integrations/graphql): {token}",
                    integrator.source_key
                );
            }
            println!("Send one as `Authorization: Bearer <token>` (in GraphiQL: the Headers tab).");
        }
    } else {
        println!(
            "Get a token: `ipsmatch token --role admin|team-lead|specialist|keyworker` (or `--subject <staff id>`)."
        );
        println!(
            "A new installation starts with `ipsmatch admin-create --name … --email …`; `serve --demo` loads demo data and prints tokens."
        );
    }
    app.run_until_stopped().await.context("serving HTTP")
}
