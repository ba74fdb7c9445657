//! What every request shares, over HTTP and over a socket: the service's state, which surface a
//! request is for, its request id, and the censoring every response's errors pass through (no
//! database, index or file-system text; short, coded messages).

use std::sync::Arc;

use async_graphql::ServerError;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::auth::TokenVerifier;
use crate::config::Settings;
use crate::integrations::schema::IntegratorSchema;
use crate::schema::StaffSchema;

/// Shared by every request.
pub struct AppState {
    /// The staff schema.
    pub schema: StaffSchema,
    /// The integrator schema.
    pub integrations: IntegratorSchema,
    /// The database pool.
    pub db: DatabaseConnection,
    /// Checks bearer tokens.
    pub verifier: TokenVerifier,
    /// The settings the service started with.
    pub settings: Settings,
    /// The vacancy search index and its follower.
    pub search: Arc<crate::vacancies::indexer::SearchIndex>,
    /// The fidelity anchors, for the HTML report.
    pub thresholds: crate::fidelity::thresholds::Thresholds,
    /// Opens report links.
    pub links: Arc<crate::report_link::LinkKey>,
    /// The rate-limit buckets both schemas and the HTTP reports charge.
    pub limiter: Arc<crate::rate_limit::RateLimiter>,
    /// Documents kept for automatic persisted queries.
    pub persisted: crate::persisted::PersistedQueries<(Surface, Uuid)>,
    /// GraphiQL's page and files (none when GraphiQL is off).
    pub graphiql: Option<crate::graphiql::Graphiql>,
}

/// Which API a request is for: each has its own schema and its own kind of token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Surface {
    /// `/graphql`: staff tokens, the staff schema.
    Staff,
    /// `/integrations/graphql`: integrator tokens, the integrator schema.
    Integrations,
}

/// The id of one HTTP request, in its log lines, its `x-request-id` header and its INTERNAL errors.
#[derive(Clone, Copy, Debug)]
pub struct RequestId(pub Uuid);

/// The code of an error async-graphql raised before execution without one: the query's limits,
/// or (anything else) validation.
fn request_error_code(message: &str) -> &'static str {
    if message.starts_with("Query is too complex") {
        "QUERY_TOO_COMPLEX"
    } else if message.starts_with("Query is nested too deep")
        || message.starts_with("The recursion depth of the query")
        || message.starts_with("recursion limit exceeded")
    {
        "QUERY_TOO_DEEP"
    } else {
        "GRAPHQL_VALIDATION_FAILED"
    }
}

/// Makes sure no resolver error leaks text the server did not mean to send: an error raised while
/// resolving a field without one of our codes is replaced by `INTERNAL` (its text logged), and every
/// `INTERNAL` error carries the request id. Errors raised before execution get a code naming their
/// kind, and every message is cut to `limits::MAX_ERROR_MESSAGE_CHARS`. Socket operations pass
/// through here too.
pub fn censor(errors: &mut [ServerError], request_id: RequestId) {
    for error in errors.iter_mut() {
        error.message = crate::limits::bounded_message(&error.message);
        let code = error
            .extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .map(|v| v.to_string().trim_matches('"').to_string());
        if code.is_none() && error.path.is_empty() {
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", request_error_code(&error.message));
            error.extensions = Some(ext);
        }
        if code.is_none() && !error.path.is_empty() {
            let mut ext = async_graphql::ErrorExtensionValues::default();
            if is_argument_error(&error.message) {
                // async-graphql's own words about an argument the caller sent: safe, and the caller's fault.
                ext.set("code", "BAD_USER_INPUT");
            } else {
                tracing::error!(error = %error.message, "uncoded resolver error, sent as INTERNAL");
                error.message = "internal error".into();
                ext.set("code", "INTERNAL");
            }
            error.extensions = Some(ext);
        }
        let is_internal = error
            .extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|v| *v == async_graphql::Value::from("INTERNAL"));
        if is_internal && let Some(ext) = error.extensions.as_mut() {
            ext.set("requestId", request_id.0.to_string());
        }
    }
}

/// True for async-graphql's messages about arguments that failed to coerce (e.g. `null` for a
/// non-null argument), which are raised while a field resolves and so carry a path.
fn is_argument_error(message: &str) -> bool {
    [
        "Failed to parse \"",
        "Expected input type \"",
        "Invalid value for argument",
    ]
    .iter()
    .any(|prefix| message.starts_with(prefix))
}
