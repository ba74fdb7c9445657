//! Builds the running service: binds the port, wires routes and middleware, and runs until stopped.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{Server, Service as _};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{App, HttpMessage as _, HttpServer, web};
use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use tracing::Instrument as _;
use uuid::Uuid;

use crate::auth::{TokenIssuer, load_keys};
use crate::config::Settings;
use crate::http::{self, AppState, RequestId};
use crate::schema::build_schema;

/// Connects to the configured database, applies pending migrations and loads the log key
/// (creating it on first start), so the audit and disclosure logs can be appended to.
pub async fn prepare_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let db = crate::db::connect(settings).await?;
    crate::db::migrate(&db).await?;
    crate::log_chain::open(settings, &db, crate::log_chain::KeyFile::CreateIfMissing).await?;
    Ok(db)
}

/// A bound, not yet running, service.
pub struct Application {
    port: u16,
    server: Server,
    issuer: Option<TokenIssuer>,
    search: std::sync::Arc<crate::vacancies::indexer::SearchIndex>,
    follower: tokio::task::JoinHandle<()>,
}

/// Stops a running service: the HTTP server, then the index follower (releasing the index).
#[derive(Clone)]
pub struct StopHandle {
    server: actix_web::dev::ServerHandle,
    search: std::sync::Arc<crate::vacancies::indexer::SearchIndex>,
}

impl StopHandle {
    /// Stops serving and lets the follower finish.
    pub async fn stop(&self) {
        self.server.stop(true).await;
        self.search.stop();
    }
}

impl Application {
    /// Binds the configured address (port 0 picks a free port) over a migrated database, and starts
    /// the search-index follower and the background expiry of overdue vacancies. Must be called inside
    /// a tokio runtime.
    pub fn build(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        let (verifier, issuer) = load_keys(&settings)?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let workers = settings.workers.max(1);
        tokio::spawn(crate::vacancies::service::expire_overdue_forever(
            db.clone(),
            std::time::Duration::from_secs(settings.expiry_sweep_secs.max(1)),
        ));
        tokio::spawn(crate::log_chain::checkpoint_forever(
            settings.log_files(),
            db.clone(),
        ));
        let (search, follower) =
            crate::vacancies::indexer::start(db.clone(), settings.effective_index_dir());
        let limiter = Arc::new(crate::rate_limit::RateLimiter::new(
            settings.rate_limit_per_minute,
            settings.anonymous_rate_limit_per_minute,
        ));
        let links = Arc::new(crate::report_link::LinkKey::load(
            &settings.report_link_key_file(),
            &settings.jwt_issuer,
        )?);
        let limits = settings.schema_limits();
        let thresholds = crate::fidelity::thresholds::Thresholds::load(
            settings.fidelity_thresholds_file.as_deref(),
        )?;
        let graphiql = if settings.graphiql {
            Some(crate::graphiql::Graphiql::new(
                settings.graphiql_assets.as_deref(),
            )?)
        } else {
            None
        };
        let persisted = crate::persisted::PersistedQueries::new(settings.persisted_queries);
        let cors_origins = settings.cors_allowed_origins.clone();
        let state = Arc::new(AppState {
            persisted,
            graphiql,
            schema: build_schema(
                &limits,
                crate::schema::StaffServices {
                    db: db.clone(),
                    search: search.clone(),
                    limiter: limiter.clone(),
                    links: links.clone(),
                    weights: settings.match_weights.clone(),
                    thresholds: thresholds.clone(),
                },
            ),
            integrations: crate::integrations::schema::build(
                &limits,
                db.clone(),
                search.clone(),
                limiter.clone(),
            ),
            limiter,
            db,
            verifier,
            thresholds,
            settings,
            search: search.clone(),
            links,
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .wrap(crate::http::cors(&cors_origins))
                .wrap_fn(|req, srv| {
                    let id = RequestId(Uuid::now_v7());
                    req.extensions_mut().insert(id);
                    let span = tracing::info_span!(
                        "request",
                        request_id = %id.0,
                        method = %req.method(),
                        path = %req.path(),
                    );
                    let started = Instant::now();
                    let call = srv.call(req);
                    async move {
                        let mut res = call.await?;
                        if let Ok(value) = HeaderValue::from_str(&id.0.to_string()) {
                            res.headers_mut()
                                .insert(HeaderName::from_static("x-request-id"), value);
                        }
                        tracing::info!(
                            status = res.status().as_u16(),
                            elapsed_ms = started.elapsed().as_millis() as u64,
                            "answered"
                        );
                        Ok(res)
                    }
                    .instrument(span)
                })
                .service(
                    web::resource("/graphql")
                        .route(web::post().to(http::graphql_post))
                        .route(web::get().to(http::graphql_get))
                        .default_service(web::to(http::method_not_allowed)),
                )
                .service(
                    web::resource("/integrations/graphql")
                        .route(web::post().to(http::integrations_post))
                        .route(web::get().to(http::integrations_get))
                        .default_service(web::to(http::method_not_allowed)),
                )
                .route(
                    "/reports/fidelity",
                    web::get().to(crate::reports::fidelity_page),
                )
                .route(
                    "/reports/ips-grow.csv",
                    web::get().to(crate::reports::ips_grow_csv),
                )
                .route("/", web::get().to(http::graphiql))
                .route("/graphiql/{file}", web::get().to(http::graphiql_file))
                .route("/schema.graphql", web::get().to(http::schema_sdl))
                .route(
                    "/integrations/schema.graphql",
                    web::get().to(http::integrations_sdl),
                )
                .route("/healthz", web::get().to(http::healthz))
                .route("/readyz", web::get().to(http::readyz))
        })
        .workers(workers)
        .shutdown_timeout(5)
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            issuer,
            search,
            follower,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Mints development tokens, when the service signs its own (HS256).
    pub fn token_issuer(&self) -> Option<&TokenIssuer> {
        self.issuer.as_ref()
    }

    /// A handle that stops the service.
    pub fn handle(&self) -> StopHandle {
        StopHandle {
            server: self.server.handle(),
            search: self.search.clone(),
        }
    }

    /// Serves until the process is told to stop; then stops the index follower and waits for it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.search.stop();
        let _ = self.follower.await;
        served
    }
}
