//! Typed settings with defaults: every setting is a command-line flag and an `IPSMATCH_*` variable,
//! so `ipsmatch serve` runs with no configuration at all. Tests build `Settings` directly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use ipsmatch_core::matching::{DEFAULT_MATCH_WEIGHTS, MatchWeights};

/// Which algorithm signs staff tokens. The server accepts exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum JwtAlgorithm {
    /// HMAC-SHA256 with a shared secret of at least 32 bytes (single-node and development).
    #[value(name = "HS256")]
    Hs256,
    /// Ed25519 signatures checked with a public key file (production: tokens come from an identity
    /// provider that holds the private key).
    #[value(name = "EdDSA")]
    EdDsa,
}

/// Everything the service needs to run.
#[derive(Clone, Debug, clap::Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(long, env = "IPSMATCH_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Folder for the embedded database, the development signing secret and (later) the index.
    #[arg(long, env = "IPSMATCH_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL: `sqlite://…` or `postgres://…`. Empty means SQLite at `<data-dir>/ipsmatch.db`.
    /// `DATABASE_URL` is honoured when this is not set.
    #[arg(long, env = "IPSMATCH_DATABASE_URL", default_value = "")]
    pub database_url: String,

    /// Folder of the search index. Empty means `<data-dir>/index`.
    #[arg(long, env = "IPSMATCH_INDEX_DIR", default_value = "")]
    pub index_dir: String,

    /// Largest number of pooled database connections.
    #[arg(long, env = "IPSMATCH_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// How long SQLite waits for a lock before giving up, in milliseconds.
    #[arg(long, env = "IPSMATCH_SQLITE_BUSY_TIMEOUT_MS", default_value_t = 5000)]
    pub sqlite_busy_timeout_ms: u64,

    /// HTTP worker threads.
    #[arg(long, env = "IPSMATCH_WORKERS", default_value_t = 2)]
    pub workers: usize,

    /// Algorithm staff tokens must be signed with.
    #[arg(
        long,
        env = "IPSMATCH_JWT_ALGORITHM",
        value_enum,
        default_value = "HS256"
    )]
    pub jwt_algorithm: JwtAlgorithm,

    /// HS256 secret file (created with 32 random bytes, mode 0600, when missing). Empty means
    /// `<data-dir>/jwt-secret`.
    #[arg(long, env = "IPSMATCH_JWT_SECRET_FILE")]
    pub jwt_secret_file: Option<PathBuf>,

    /// The key that signs short-lived report links (`reportLink`; created with 32 random bytes,
    /// mode 0600, when missing). Default `<data-dir>/report-link-secret`.
    #[arg(long, env = "IPSMATCH_REPORT_LINK_SECRET_FILE")]
    pub report_link_secret_file: Option<PathBuf>,

    /// The key (HMAC-SHA256) that signs the audit and disclosure logs' links and checkpoints; created
    /// with 32 random bytes, mode 0600, when missing. Keep it out of the database and its backups.
    /// Default `<data-dir>/log-key`.
    #[arg(long, env = "IPSMATCH_LOG_KEY_FILE")]
    pub log_key_file: Option<PathBuf>,

    /// Where signed checkpoints of the logs' heads are appended (one JSON line each), for `ipsmatch
    /// audit verify` to hold the database to. Default `<data-dir>/log-checkpoints.jsonl`.
    #[arg(long, env = "IPSMATCH_LOG_CHECKPOINT_FILE")]
    pub log_checkpoint_file: Option<PathBuf>,

    /// How often the service checkpoints the logs' heads, in seconds (only when a log grew); 0 means
    /// only at start-up and on `ipsmatch audit checkpoint`.
    #[arg(long, env = "IPSMATCH_LOG_CHECKPOINT_SECS", default_value_t = 300)]
    pub log_checkpoint_secs: u64,

    /// EdDSA public key (PEM) that verifies tokens; required when the algorithm is EdDSA.
    #[arg(long, env = "IPSMATCH_JWT_PUBLIC_KEY_FILE", default_value = "")]
    pub jwt_public_key_file: String,

    /// Required `iss` claim.
    #[arg(long, env = "IPSMATCH_JWT_ISSUER", default_value = "ipsmatch")]
    pub jwt_issuer: String,

    /// Required `aud` claim of staff tokens.
    #[arg(long, env = "IPSMATCH_JWT_AUDIENCE", default_value = "ipsmatch-staff")]
    pub jwt_audience: String,

    /// Required `aud` claim of integrator tokens (never the staff audience).
    #[arg(
        long,
        env = "IPSMATCH_JWT_INTEGRATOR_AUDIENCE",
        default_value = "ipsmatch-integrations"
    )]
    pub jwt_integrator_audience: String,

    /// Query-cost points each member of staff and each integrator may spend per minute (a query's
    /// cost is its complexity); 0 turns rate limiting off.
    #[arg(
        long,
        env = "IPSMATCH_RATE_LIMIT_PER_MINUTE",
        default_value_t = 600_000
    )]
    pub rate_limit_per_minute: u64,

    /// Query-cost points each client IP address may spend per minute on anonymous requests (no
    /// `Authorization` header; the TCP peer's address, so behind a proxy the proxy's); 0 turns
    /// this limit off.
    #[arg(
        long,
        env = "IPSMATCH_ANONYMOUS_RATE_LIMIT_PER_MINUTE",
        default_value_t = 6_000
    )]
    pub anonymous_rate_limit_per_minute: u64,

    /// Serve GraphiQL at `/` (a development aid).
    #[arg(long, env = "IPSMATCH_GRAPHIQL", default_value_t = true, action = clap::ArgAction::Set)]
    pub graphiql: bool,

    /// A folder holding GraphiQL's pinned files (`react.production.min.js`,
    /// `react-dom.production.min.js`, `graphiql.min.js`, `graphiql.min.css`), served from the
    /// service itself for networks that block the CDN; each is checked against its pinned hash at
    /// startup (default: load them from jsDelivr).
    #[arg(long, env = "IPSMATCH_GRAPHIQL_ASSETS")]
    pub graphiql_assets: Option<PathBuf>,

    /// Origins (`https://app.example.org`, comma-separated) whose browser pages may call the API
    /// (CORS); credentials are never allowed, tokens go in `Authorization` (default: none).
    #[arg(
        long,
        env = "IPSMATCH_CORS_ALLOWED_ORIGINS",
        value_delimiter = ',',
        value_parser = parse_origin
    )]
    pub cors_allowed_origins: Vec<String>,

    /// How many persisted queries (automatic persisted queries, by SHA-256 hash) the service keeps
    /// in memory, for all callers together (at most 100,000); 0 turns persisted queries off.
    #[arg(long, env = "IPSMATCH_PERSISTED_QUERIES", default_value_t = 1_000, value_parser = parse_persisted_queries)]
    pub persisted_queries: usize,

    /// Answer introspection queries.
    #[arg(long, env = "IPSMATCH_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub introspection: bool,

    /// Deepest query accepted (introspection tools need about 15).
    #[arg(long, env = "IPSMATCH_MAX_DEPTH", default_value_t = 16)]
    pub max_depth: usize,

    /// Largest query complexity accepted; list fields multiply their children by the page size.
    #[arg(long, env = "IPSMATCH_MAX_COMPLEXITY", default_value_t = 20_000)]
    pub max_complexity: usize,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "IPSMATCH_MAX_BODY_BYTES", default_value_t = 1_048_576)]
    pub max_body_bytes: usize,

    /// Longest a GraphQL request may run, in milliseconds.
    #[arg(long, env = "IPSMATCH_REQUEST_TIMEOUT_MS", default_value_t = 30_000)]
    pub request_timeout_ms: u64,

    /// How often open vacancies past their closing date are expired, in seconds.
    #[arg(long, env = "IPSMATCH_EXPIRY_SWEEP_SECS", default_value_t = 60)]
    pub expiry_sweep_secs: u64,

    /// Log filter (`tracing` syntax), e.g. `info` or `ipsmatch=debug,info`.
    #[arg(long, env = "IPSMATCH_LOG", default_value = "info")]
    pub log: String,

    /// Weights of the match factors, `name=weight` for each of occupation, distance, pay, hours,
    /// shift, skills and employer_openness.
    #[arg(
        long,
        env = "IPSMATCH_MATCH_WEIGHTS",
        default_value = DEFAULT_MATCH_WEIGHTS,
        value_parser = MatchWeights::parse
    )]
    pub match_weights: MatchWeights,

    /// A JSON file of fidelity-scale thresholds (default: the built-in IPS Fidelity Scale anchors).
    #[arg(long, env = "IPSMATCH_FIDELITY_THRESHOLDS_FILE")]
    pub fidelity_thresholds_file: Option<PathBuf>,
}

impl Settings {
    /// Settings for a service whose files all live under `data_dir`, every other value at its
    /// default. This is what `ipsmatch serve` uses with no flags and no environment.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            database_url: String::new(),
            index_dir: String::new(),
            db_max_connections: 10,
            sqlite_busy_timeout_ms: 5000,
            workers: 2,
            jwt_algorithm: JwtAlgorithm::Hs256,
            jwt_secret_file: None,
            report_link_secret_file: None,
            log_key_file: None,
            log_checkpoint_file: None,
            log_checkpoint_secs: 300,
            jwt_public_key_file: String::new(),
            jwt_issuer: "ipsmatch".into(),
            jwt_audience: "ipsmatch-staff".into(),
            jwt_integrator_audience: "ipsmatch-integrations".into(),
            rate_limit_per_minute: 600_000,
            anonymous_rate_limit_per_minute: 6_000,
            graphiql: true,
            graphiql_assets: None,
            cors_allowed_origins: Vec::new(),
            persisted_queries: 1_000,
            introspection: true,
            max_depth: 16,
            max_complexity: 20_000,
            max_body_bytes: 1_048_576,
            request_timeout_ms: 30_000,
            expiry_sweep_secs: 60,
            log: "info".into(),
            match_weights: MatchWeights::standard(),
            fidelity_thresholds_file: None,
        }
    }

    /// The database URL in force: the setting, or SQLite inside the data folder.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("ipsmatch.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }

    /// The search index folder in force.
    pub fn effective_index_dir(&self) -> PathBuf {
        if self.index_dir.is_empty() {
            self.data_dir.join("index")
        } else {
            PathBuf::from(&self.index_dir)
        }
    }

    /// The HS256 secret file in force.
    pub fn effective_secret_file(&self) -> PathBuf {
        self.jwt_secret_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("jwt-secret"))
    }

    /// The log key file in force.
    pub fn effective_log_key_file(&self) -> PathBuf {
        self.log_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("log-key"))
    }

    /// The log checkpoint file in force.
    pub fn effective_log_checkpoint_file(&self) -> PathBuf {
        self.log_checkpoint_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("log-checkpoints.jsonl"))
    }

    /// What the database layer needs of the settings.
    pub fn database(&self) -> ipsmatch_core::db::DatabaseSettings {
        ipsmatch_core::db::DatabaseSettings {
            url: self.effective_database_url(),
            data_dir: self.data_dir.clone(),
            max_connections: self.db_max_connections,
            sqlite_busy_timeout: Duration::from_millis(self.sqlite_busy_timeout_ms),
        }
    }

    /// What the log chain needs of the settings.
    pub fn log_files(&self) -> ipsmatch_core::log_chain::LogFiles {
        ipsmatch_core::log_chain::LogFiles {
            key_file: self.effective_log_key_file(),
            checkpoint_file: self.effective_log_checkpoint_file(),
            checkpoint_secs: self.log_checkpoint_secs,
        }
    }

    /// The report-link key file: `IPSMATCH_REPORT_LINK_SECRET_FILE`, or `report-link-secret` in
    /// the data folder.
    pub fn report_link_key_file(&self) -> PathBuf {
        self.report_link_secret_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("report-link-secret"))
    }

    /// The limits both GraphQL schemas run within.
    pub fn schema_limits(&self) -> ipsmatch_graphql::schema::Limits {
        ipsmatch_graphql::schema::Limits {
            max_depth: self.max_depth,
            max_complexity: self.max_complexity,
            introspection: self.introspection,
        }
    }

    /// The request timeout as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::with_data_dir("data")
    }
}

/// Reads `persisted_queries`: a count up to [`crate::persisted::MAX_KEPT`].
fn parse_persisted_queries(text: &str) -> Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    if n > crate::persisted::MAX_KEPT {
        return Err(format!("at most {}", crate::persisted::MAX_KEPT));
    }
    Ok(n)
}

/// Reads one CORS origin as a browser sends it in `Origin`: `http` or `https`, a lower-case host
/// (a name or a bracketed IPv6 address), and a port only when it is not the scheme's default.
/// Anything else could never match a browser's `Origin`, or would stop the HTTP server.
fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let not_origin = || {
        format!(
            "`{text}` is not an origin as a browser sends it (scheme, lower-case host and a \
             non-default port only, e.g. https://app.example.org)"
        )
    };
    let (scheme, rest) = text.split_once("://").ok_or_else(not_origin)?;
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => return Err(not_origin()),
    };
    let (host, port) = match rest.strip_prefix('[') {
        Some(v6) => {
            let (address, after) = v6.split_once(']').ok_or_else(not_origin)?;
            let ok = !address.is_empty()
                && address
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'a'..=b'f' | b':'));
            if !ok {
                return Err(not_origin());
            }
            (address, after.strip_prefix(':'))
        }
        None => {
            let (host, port) = match rest.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            };
            let ok = host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
            if !ok {
                return Err(not_origin());
            }
            (host, port)
        }
    };
    if host.is_empty() {
        return Err(not_origin());
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65_535).contains(&p));
        if !valid || port == default_port {
            return Err(not_origin());
        }
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    #[test]
    fn flag_defaults_match_the_default_settings() {
        // Keeps the two lists of defaults (clap attributes and `with_data_dir`) in step.
        let parsed = Cli::parse_from(["ipsmatch"]).settings;
        let default = Settings::default();
        assert_eq!(format!("{parsed:?}"), format!("{default:?}"));
    }

    #[test]
    fn embedded_database_lives_in_the_data_folder() {
        let settings = Settings::with_data_dir("/srv/ipsmatch");
        assert_eq!(
            settings.effective_database_url(),
            "sqlite:///srv/ipsmatch/ipsmatch.db?mode=rwc"
        );
    }

    #[test]
    fn cors_origins_are_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin("https://app.example.org").as_deref(),
            Ok("https://app.example.org")
        );
        assert!(parse_origin("http://localhost:5173").is_ok());
        for bad in [
            "*",
            "app.example.org",
            "https://app.example.org/path",
            "https://",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
