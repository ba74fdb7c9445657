//! Test harness: each test gets the real server on port 0 with its own temporary folder and
//! database (SQLite, and PostgreSQL too when `IPSMATCH_TEST_POSTGRES_URL` is set), and speaks HTTP.
//! Tokens are signed here with jsonwebtoken directly, not with the server's own minting code.

use std::future::Future;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

use ipsmatch::config::Settings;
use ipsmatch::startup::{Application, prepare_database};

/// Which database a test runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// SQLite always; PostgreSQL as well when `IPSMATCH_TEST_POSTGRES_URL` is set.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("IPSMATCH_TEST_POSTGRES_URL")
        && !url.trim().is_empty()
    {
        all.push(Backend::Postgres(url));
    }
    all
}

/// Runs `test` once per backend, each time against a fresh server and database.
pub async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    on_each_database_with(|_| {}, test).await;
}

/// Like `on_each_database`, with settings adjusted before each server starts.
pub async fn on_each_database_with<A, F, Fut>(adjust: A, test: F)
where
    A: Fn(&mut Settings),
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in backends() {
        eprintln!(
            "running on {}",
            if backend == Backend::Sqlite {
                "SQLite"
            } else {
                "PostgreSQL"
            }
        );
        let app = spawn_app_with(backend, &adjust).await;
        let cleanup = app.cleanup();
        test(app).await;
        cleanup.run().await;
    }
}

pub const ISSUER: &str = "ipsmatch";
pub const AUDIENCE: &str = "ipsmatch-staff";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// A separate connection to the server's database, for setup and inspection.
    pub db: DatabaseConnection,
    pub backend: Backend,
    /// The HS256 secret the server was started with.
    pub secret: Vec<u8>,
    pub settings: Settings,
    pub admin_id: Uuid,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
    handle: ipsmatch::startup::StopHandle,
    pg_database: Option<(String, String)>,
    _dir: std::sync::Arc<tempfile::TempDir>,
}

/// What to tear down after a test.
pub struct Cleanup {
    handle: ipsmatch::startup::StopHandle,
    pg_database: Option<(String, String)>,
    /// The data folder stays until the cleanup has run: a test body that uses only some of the
    /// app's fields (an async block captures just those) would otherwise drop it at once, and
    /// SQLite could open no new connection ("unable to open database file").
    _dir: std::sync::Arc<tempfile::TempDir>,
}

impl Cleanup {
    pub async fn run(self) {
        self.handle.stop().await;
        if let Some((admin_url, name)) = self.pg_database
            && let Ok(admin) = Database::connect(admin_url.as_str()).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let cut = base.rfind('/').map(|i| i + 1).unwrap_or(base.len());
    let mut out = format!("{}{}", &base[..cut], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Starts a server after letting the test adjust its settings.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    // The in-process server's warnings and errors go to the failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_test_writer()
        .try_init();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::with_data_dir(dir.path());
    settings.bind = "127.0.0.1:0".parse().expect("address");
    settings.workers = 1;
    settings.log = "warn".into();
    // Tests page through thousands of hits; the rate-limit test sets its own limit.
    settings.rate_limit_per_minute = 0;
    settings.anonymous_rate_limit_per_minute = 0;

    let mut pg_database = None;
    if let Backend::Postgres(url) = &backend {
        let name = format!("ipsmatch_test_{}", Uuid::now_v7().simple());
        let admin = Database::connect(url.as_str())
            .await
            .expect("connect to PostgreSQL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create test database");
        settings.database_url = with_database(url, &name);
        pg_database = Some((url.clone(), name));
    }

    // The server reads this secret; the tests sign with it independently.
    let secret: Vec<u8> = (0..32).map(|_| rand_byte()).collect();
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(dir.path().join("jwt-secret"), hex).expect("write secret");
    adjust(&mut settings);

    let db = prepare_database(&settings).await.expect("database");
    let admin = ipsmatch::staff::service::create_staff(
        &db,
        ipsmatch::staff::types::StaffCreateInput {
            name: "Ada Admin".into(),
            email: "ada.admin@ipsmatch.example".into(),
            role: ipsmatch::auth::Role::Admin,
            fte: 1.0,
            team_id: None,
            treatment_team_id: None,
        },
    )
    .await
    .expect("seed admin");
    let (address, handle, running) = serve(&settings, &db).await;
    let client = reqwest::Client::new();

    TestApp {
        address,
        client,
        db,
        backend,
        secret,
        settings,
        admin_id: admin.id,
        handle,
        running,
        pg_database,
        _dir: std::sync::Arc::new(dir),
    }
}

/// Starts the server over `db` and waits until it is ready (database answering, index open).
async fn serve(
    settings: &Settings,
    db: &DatabaseConnection,
) -> (
    String,
    ipsmatch::startup::StopHandle,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let app = Application::build(settings.clone(), db.clone()).expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    for _ in 0..400 {
        let status = client
            .get(format!("{address}/readyz"))
            .send()
            .await
            .map(|r| r.status());
        if status.is_ok_and(|s| s == StatusCode::OK) {
            return (address, handle, running);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

fn rand_byte() -> u8 {
    // Uuid v4 draws from the OS generator; one byte of it is enough here.
    Uuid::new_v4().as_bytes()[0]
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

/// A global id as the server writes them (base64url of `Type:uuid`).
pub fn global_id(kind: &str, id: Uuid) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// A GraphQL response: HTTP status and JSON body.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Response {
    /// The value at a `/`-separated path under `data`.
    pub fn data(&self, path: &str) -> &Value {
        let pointer = format!("/data/{}", path.replace('.', "/"));
        self.body.pointer(&pointer).unwrap_or(&Value::Null)
    }

    /// `extensions.code` of the first error.
    pub fn error_code(&self) -> Option<&str> {
        self.body
            .pointer("/errors/0/extensions/code")
            .and_then(Value::as_str)
    }

    /// The user errors of a mutation payload at `path`.
    pub fn user_errors(&self, path: &str) -> Vec<(String, String)> {
        self.data(&format!("{path}.userErrors"))
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        let field = e["field"]
                            .as_array()
                            .map(|f| {
                                f.iter()
                                    .filter_map(Value::as_str)
                                    .collect::<Vec<_>>()
                                    .join(".")
                            })
                            .unwrap_or_default();
                        (field, e["code"].as_str().unwrap_or_default().to_string())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    /// Stops the server (and its index follower) and starts a new one on the same database and
    /// data folder, as a restart of the process would. `between` runs while it is down, with a
    /// fresh connection pool: connections the stopped server opened belonged to its worker
    /// runtimes, which are gone, so the pool is replaced as a new process would start with one.
    pub async fn restart(&mut self, between: impl AsyncFnOnce(&Settings, &DatabaseConnection)) {
        self.handle.stop().await;
        let running = std::mem::replace(&mut self.running, tokio::spawn(async { Ok(()) }));
        let _ = running.await;
        self.db = prepare_database(&self.settings).await.expect("reconnect");
        between(&self.settings, &self.db).await;
        let (address, handle, running) = serve(&self.settings, &self.db).await;
        self.address = address;
        self.handle = handle;
        self.running = running;
    }

    pub fn cleanup(&self) -> Cleanup {
        Cleanup {
            handle: self.handle.clone(),
            pg_database: self.pg_database.clone(),
            _dir: self._dir.clone(),
        }
    }

    /// Signs `claims` as a staff token with `typ` at+jwt.
    pub fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("at+jwt".into());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(&self.secret))
            .expect("sign")
    }

    /// A valid token for a staff id.
    pub fn token_for(&self, staff_id: Uuid) -> String {
        let now = now_secs();
        self.sign(&json!({ "iss": ISSUER, "aud": AUDIENCE, "sub": staff_id.to_string(), "exp": now + 600, "nbf": now, "iat": now }))
    }

    pub fn admin_token(&self) -> String {
        self.token_for(self.admin_id)
    }

    /// POSTs a GraphQL request with `Accept: application/graphql-response+json`.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Response {
        self.post_graphql("/graphql", token, query, variables).await
    }

    /// POSTs a GraphQL request to the integrator API.
    pub async fn integration(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Response {
        self.post_graphql("/integrations/graphql", token, query, variables)
            .await
    }

    /// Runs an integrator query or mutation and panics on top-level errors.
    pub async fn integration_ok(&self, token: &str, query: &str, variables: Value) -> Response {
        let response = self.integration(Some(token), query, variables).await;
        assert!(
            response.body.get("errors").is_none(),
            "unexpected errors on {:?}: {}",
            self.backend,
            response.body
        );
        response
    }

    /// Signs an integrator token (typ `integrator+jwt`, the integrator audience) asking for `scopes`.
    pub fn integrator_token(&self, integrator_id: Uuid, scopes: &[&str]) -> String {
        let now = now_secs();
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some("integrator+jwt".into());
        let claims = json!({
            "iss": ISSUER, "aud": "ipsmatch-integrations", "sub": integrator_id.to_string(),
            "exp": now + 600, "nbf": now, "iat": now, "scope": scopes.join(" "),
        });
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&self.secret))
            .expect("sign")
    }

    /// Registers an integrator for `source` through the admin API with every scope; returns its id
    /// and a token asking for every scope.
    pub async fn integrator(&self, source: &str) -> (Uuid, String) {
        let r = self
            .ok(
                &self.admin_token(),
                "mutation($input: IntegratorRegisterInput!) { integratorRegister(input: $input) { integrator { tokenSubject } userErrors { message } } }",
                json!({ "input": { "name": format!("{source} feed"), "sourceKey": source, "scopes": ["VACANCIES_READ", "VACANCIES_WRITE", "EMPLOYERS_READ", "EMPLOYERS_WRITE"] } }),
            )
            .await;
        let id: Uuid = r
            .data("integratorRegister.integrator.tokenSubject")
            .as_str()
            .expect("registered")
            .parse()
            .expect("uuid");
        let token = self.integrator_token(
            id,
            &[
                "vacancies:read",
                "vacancies:write",
                "employers:read",
                "employers:write",
            ],
        );
        (id, token)
    }

    async fn post_graphql(
        &self,
        path: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json")
            .body(json!({ "query": query, "variables": variables }).to_string());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        Response {
            status,
            headers,
            body,
        }
    }

    /// Runs a query or mutation as `token` and panics on top-level errors.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Response {
        let response = self.graphql(Some(token), query, variables).await;
        assert!(
            response.body.get("errors").is_none(),
            "unexpected errors on {:?}: {}",
            self.backend,
            response.body
        );
        response
    }

    /// Creates a team through the API; returns its global id.
    pub async fn create_team(&self, name: &str) -> String {
        let r = self
            .ok(
                &self.admin_token(),
                "mutation($input: TeamCreateInput!) { teamCreate(input: $input) { team { id } userErrors { field code message } } }",
                json!({ "input": { "name": name, "site": format!("{name} site") } }),
            )
            .await;
        r.data("teamCreate.team.id")
            .as_str()
            .expect("team id")
            .to_string()
    }

    /// Creates a member of staff through the API; returns (global id, uuid, token).
    pub async fn create_staff(&self, role: &str, team: Option<&str>) -> (String, Uuid, String) {
        let email = format!("{}@ipsmatch.example", Uuid::now_v7().simple());
        let r = self
            .ok(
                &self.admin_token(),
                "mutation($input: StaffCreateInput!) { staffCreate(input: $input) { staff { id } userErrors { field code message } } }",
                json!({ "input": { "name": format!("Test {role}"), "email": email, "role": role, "fte": 1.0, "teamId": team } }),
            )
            .await;
        let id = r
            .data("staffCreate.staff.id")
            .as_str()
            .unwrap_or_else(|| panic!("staff not created: {}", r.body))
            .to_string();
        let uuid = decode_global_id(&id);
        let token = self.token_for(uuid);
        (id, uuid, token)
    }

    /// A team with one specialist; returns (team id, specialist id, specialist token).
    pub async fn specialist(&self) -> (String, String, String) {
        let team = self
            .create_team(&format!("Team {}", Uuid::now_v7().simple()))
            .await;
        let (id, _, token) = self.create_staff("SPECIALIST", Some(&team)).await;
        (team, id, token)
    }

    /// Creates an employer; returns its global id.
    pub async fn create_employer(&self, token: &str, name: &str, sector: &str) -> String {
        let r = self
            .ok(
                token,
                "mutation($input: EmployerCreateInput!) { employerCreate(input: $input) { employer { id } userErrors { field code message } } }",
                json!({ "input": { "name": name, "sector": sector, "size": "SMALL" } }),
            )
            .await;
        r.data("employerCreate.employer.id")
            .as_str()
            .unwrap_or_else(|| panic!("employer not created: {}", r.body))
            .to_string()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request sent")
    }
}

/// The uuid inside a global id.
pub fn decode_global_id(id: &str) -> Uuid {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .expect("base64 id");
    let text = String::from_utf8(bytes).expect("utf-8 id");
    let (_, uuid) = text.split_once(':').expect("Type:uuid");
    Uuid::parse_str(uuid).expect("uuid")
}

/// A server process started by a test; killed when dropped, so a failing test leaves none behind.
pub struct ServerProcess(pub std::process::Child);

impl std::ops::Deref for ServerProcess {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for ServerProcess {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `ipsmatch serve` as a child process on the test's settings; returns it and its base URL.
pub fn spawn_server(settings: &Settings) -> (ServerProcess, String) {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ipsmatch-under-test"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--log",
            "error",
            "--workers",
            "2",
        ])
        .arg("--data-dir")
        .arg(&settings.data_dir)
        .arg("--database-url")
        .arg(settings.effective_database_url())
        .arg("--index-dir")
        .arg(settings.effective_index_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server process");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .expect("line");
        if let Some(url) = line.strip_prefix("ipsmatch listening on ") {
            break url.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (ServerProcess(child), base)
}
