//! HTTP surface: GraphQL over HTTP as the spec asks (media types negotiated, request errors as 4xx
//! for `application/graphql-response+json`, 405 for mutations over GET, 415 for non-JSON bodies,
//! body-size limit, no batching, request timeout), plus GraphiQL, the SDL, and health checks.
//!
//! async-graphql-actix-web's stock handler answers every request 200 with one media type and runs
//! mutations over GET, so requests are parsed and answered here; the schema itself is async-graphql's.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{ServerError, Variables};
use futures_util::StreamExt as _;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::error::ApiError;
use crate::loaders::Loaders;
use crate::persisted::Missing;
use crate::session::{Audience, caller, credential};

use crate::serving::censor;
pub use crate::serving::{AppState, RequestId, Surface};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// Which media type the response is written in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MediaType {
    /// `application/graphql-response+json`: request errors get 4xx statuses.
    GraphqlResponse,
    /// `application/json`: every well-formed GraphQL response is 200.
    Json,
}

impl MediaType {
    fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
            MediaType::Json => JSON,
        }
    }
}

/// Picks the response media type from `Accept`; `None` when neither is acceptable.
fn negotiate(req: &HttpRequest) -> Option<MediaType> {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
    else {
        return Some(MediaType::Json);
    };
    let mut json_ok = false;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        if refused {
            continue;
        }
        match media.as_str() {
            "application/graphql-response+json" => return Some(MediaType::GraphqlResponse),
            "application/json" | "application/*" | "*/*" => json_ok = true,
            _ => {}
        }
    }
    json_ok.then_some(MediaType::Json)
}

/// A GraphQL request as read off the wire, before execution.
struct Params {
    /// The document; absent when a persisted query's hash stands for it.
    query: Option<String>,
    persisted: Option<crate::persisted::PersistedQuery>,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
}

/// A response with a JSON body and the request's headers.
fn respond(status: StatusCode, media: MediaType, body: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body.to_string())
}

/// A request error: `errors` only, no `data`.
fn request_error(status: StatusCode, media: MediaType, message: &str, code: &str) -> HttpResponse {
    respond(
        status,
        media,
        &json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }),
    )
}

fn reads_params(object: Map<String, Value>) -> Result<Params, &'static str> {
    if !matches!(
        object.get("extensions"),
        None | Some(Value::Null) | Some(Value::Object(_))
    ) {
        return Err("`extensions` must be an object or null");
    }
    let persisted = crate::persisted::PersistedQuery::from_extensions(object.get("extensions"))?;
    let query = match object.get("query") {
        Some(Value::String(q)) => Some(q.clone()),
        Some(_) => return Err("`query` must be a string"),
        None if persisted.is_some() => None,
        None => return Err("`query` is required"),
    };
    let operation_name = match object.get("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => return Err("`operationName` must be a string or null"),
    };
    let variables = match object.get("variables") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(map.clone()),
        Some(_) => return Err("`variables` must be an object or null"),
    };
    Ok(Params {
        query,
        persisted,
        operation_name,
        variables,
    })
}

/// `POST /graphql`.
pub async fn graphql_post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<Arc<AppState>>,
) -> HttpResponse {
    post(req, payload, &state, Surface::Staff).await
}

/// `POST /integrations/graphql`.
pub async fn integrations_post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<Arc<AppState>>,
) -> HttpResponse {
    post(req, payload, &state, Surface::Integrations).await
}

/// `GET /graphql`: a query, or a WebSocket upgrade for subscriptions.
pub async fn graphql_get(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<Arc<AppState>>,
) -> HttpResponse {
    get(req, payload, state.get_ref().clone(), Surface::Staff).await
}

/// `GET /integrations/graphql`: a query, or a WebSocket upgrade for subscriptions.
pub async fn integrations_get(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<Arc<AppState>>,
) -> HttpResponse {
    get(req, payload, state.get_ref().clone(), Surface::Integrations).await
}

async fn post(
    req: HttpRequest,
    mut payload: web::Payload,
    state: &AppState,
    surface: Surface,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or("").trim().to_string();
    let charset_ok = parts.all(|p| {
        let p = p.trim();
        !p.starts_with("charset=") || p.trim_start_matches("charset=").trim_matches('"') == "utf-8"
    });
    if essence != "application/json" || !charset_ok {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "send the request as application/json (UTF-8)",
            "UNSUPPORTED_MEDIA_TYPE",
        );
    }

    let limit = state.settings.max_body_bytes;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "the request body could not be read",
                "BAD_REQUEST",
            );
        };
        if body.len() + chunk.len() > limit {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                &format!("the request body is larger than {limit} bytes"),
                "PAYLOAD_TOO_LARGE",
            );
        }
        body.extend_from_slice(&chunk);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            "the request body is empty",
            "BAD_REQUEST",
        );
    }
    let object = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(object)) => object,
        Ok(Value::Array(_)) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "batched requests are not supported; send one operation per request",
                "BAD_REQUEST",
            );
        }
        Ok(_) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "the request body must be a JSON object",
                "BAD_REQUEST",
            );
        }
        Err(_) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "the request body is not valid JSON",
                "BAD_REQUEST",
            );
        }
    };
    match reads_params(object) {
        Ok(params) => execute(&req, state, media, params, false, surface).await,
        Err(problem) => request_error(StatusCode::BAD_REQUEST, media, problem, "BAD_REQUEST"),
    }
}

async fn get(
    req: HttpRequest,
    payload: web::Payload,
    state: Arc<AppState>,
    surface: Surface,
) -> HttpResponse {
    let upgrade = req
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if upgrade {
        return crate::socket::start(&req, payload, state, surface);
    }
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let Ok(query) = web::Query::<HashMap<String, String>>::from_query(req.query_string()) else {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            "the query string is malformed",
            "BAD_REQUEST",
        );
    };
    let mut object = Map::new();
    for (key, value) in query.into_inner() {
        let value = match key.as_str() {
            "variables" | "extensions" => match serde_json::from_str::<Value>(&value) {
                Ok(v) => v,
                Err(_) => {
                    return request_error(
                        StatusCode::BAD_REQUEST,
                        media,
                        &format!("`{key}` must be JSON"),
                        "BAD_REQUEST",
                    );
                }
            },
            _ => Value::String(value),
        };
        object.insert(key, value);
    }
    match reads_params(object) {
        Ok(params) => execute(&req, &state, media, params, true, surface).await,
        Err(problem) => request_error(StatusCode::BAD_REQUEST, media, problem, "BAD_REQUEST"),
    }
}

fn not_acceptable() -> HttpResponse {
    HttpResponse::NotAcceptable()
        .insert_header((header::CONTENT_TYPE, JSON))
        .body(
            json!({ "errors": [{ "message": "accept application/graphql-response+json or application/json", "extensions": { "code": "NOT_ACCEPTABLE" } }] })
                .to_string(),
        )
}

fn request_id(req: &HttpRequest) -> RequestId {
    req.extensions()
        .get::<RequestId>()
        .copied()
        .unwrap_or(RequestId(Uuid::nil()))
}

/// Which operation of the document will run, if it can be told.
fn operation_type(
    doc: &async_graphql::parser::types::ExecutableDocument,
    name: Option<&str>,
) -> Option<OperationType> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        _ => None,
    }
}

async fn execute(
    req: &HttpRequest,
    state: &AppState,
    media: MediaType,
    params: Params,
    over_get: bool,
    surface: Surface,
) -> HttpResponse {
    let request_id = request_id(req);
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let audience = match surface {
        Surface::Staff => Audience::Staff,
        Surface::Integrations => Audience::Integrator,
    };
    // The one caller check (the same as every operation over a socket runs). A refusal is
    // answered after the document is parsed, except for a persisted query: each caller's
    // documents are kept apart, so the caller must be known first.
    let signed_in = match credential(&state.verifier, audience, authorization) {
        Ok(None) => Ok(None),
        Ok(Some(credential)) => caller(&state.db, &credential).await.map(Some),
        Err(err) => Err(err),
    };
    let signed_in = match signed_in {
        Err(err) if params.persisted.is_some() => {
            return api_error_response(media, err, request_id);
        }
        other => other,
    };
    let query = match (params.query, &params.persisted) {
        (query, None) => query.unwrap_or_default(),
        // Anonymous callers keep nothing: a document is run as sent.
        (Some(query), Some(_)) if matches!(signed_in, Ok(None)) => query,
        (query, Some(persisted)) => {
            let Ok(Some(who)) = &signed_in else {
                return persisted_refusal(media, Missing::NotSupported);
            };
            match state
                .persisted
                .resolve((surface, who.id()), query, Some(persisted))
            {
                Ok(query) => query,
                Err(missing) => return persisted_refusal(media, missing),
            }
        }
    };
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = &params.operation_name {
        request = request.operation_name(name.clone());
    }
    if let Some(variables) = params.variables {
        request = request.variables(Variables::from_json(Value::Object(variables)));
    }

    // Parse once up front: a document that does not parse is a request error, and GET may only
    // carry queries.
    match request.parsed_query() {
        Err(err) => return graphql_errors(media, vec![parse_failure(err)], request_id),
        Ok(doc) => {
            if over_get
                && operation_type(doc, params.operation_name.as_deref())
                    == Some(OperationType::Mutation)
            {
                return HttpResponse::MethodNotAllowed()
                    .insert_header((header::ALLOW, "POST"))
                    .insert_header((header::CONTENT_TYPE, media.content_type()))
                    .body(
                        json!({ "errors": [{ "message": "mutations must be sent with POST", "extensions": { "code": "METHOD_NOT_ALLOWED" } }] })
                            .to_string(),
                    );
            }
        }
    }

    match signed_in {
        Err(err) => return api_error_response(media, err, request_id),
        // Anonymous requests are charged to the client's address.
        Ok(None) => {
            if let Some(peer) = req.peer_addr() {
                request.data.insert(crate::rate_limit::ClientIp(peer.ip()));
            }
        }
        Ok(Some(who)) => who.insert_into(&mut request.data),
    }
    request = request.data(Loaders::new(&state.db)).data(request_id);

    let timeout = state.settings.request_timeout();
    let run = async {
        match surface {
            Surface::Staff => state.schema.execute(request).await,
            Surface::Integrations => state.integrations.execute(request).await,
        }
    };
    let response = match tokio::time::timeout(timeout, run).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(timeout_ms = timeout.as_millis() as u64, "request timed out");
            return respond(
                StatusCode::SERVICE_UNAVAILABLE,
                media,
                &json!({ "errors": [{ "message": "the request took too long", "extensions": { "code": "TIMEOUT", "requestId": request_id.0.to_string() } }] }),
            );
        }
    };
    let mut errors = response.errors;
    censor(&mut errors, request_id);
    // Errors before execution (validation, variables, limits) carry no path and leave no data.
    let request_failed = response.data == async_graphql::Value::Null
        && !errors.is_empty()
        && errors.iter().all(|e| e.path.is_empty());
    if let Some(retry_after) = rate_limited(&errors) {
        let mut response = respond(
            StatusCode::TOO_MANY_REQUESTS,
            media,
            &json!({ "errors": errors }),
        );
        if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    if request_failed {
        return graphql_errors(media, errors, request_id);
    }
    let mut body = Map::new();
    body.insert(
        "data".into(),
        serde_json::to_value(&response.data).unwrap_or(Value::Null),
    );
    if !errors.is_empty() {
        body.insert(
            "errors".into(),
            serde_json::to_value(&errors).unwrap_or(Value::Null),
        );
    }
    if !response.extensions.is_empty() {
        body.insert(
            "extensions".into(),
            serde_json::to_value(&response.extensions).unwrap_or(Value::Null),
        );
    }
    respond(StatusCode::OK, media, &Value::Object(body))
}

/// The seconds to wait when the request was refused for its rate limit.
fn rate_limited(errors: &[ServerError]) -> Option<u64> {
    let extensions = errors.first()?.extensions.as_ref()?;
    if extensions.get("code")? != &async_graphql::Value::from("RATE_LIMITED") {
        return None;
    }
    match extensions.get("retryAfterSeconds") {
        Some(async_graphql::Value::Number(n)) => n.as_u64(),
        _ => Some(1),
    }
}

/// A response holding only errors: a request error, 400 under `graphql-response+json` and 200 under
/// plain JSON (as the GraphQL-over-HTTP spec asks).
fn graphql_errors(
    media: MediaType,
    mut errors: Vec<ServerError>,
    request_id: RequestId,
) -> HttpResponse {
    censor(&mut errors, request_id);
    let status = match media {
        MediaType::GraphqlResponse => StatusCode::BAD_REQUEST,
        MediaType::Json => StatusCode::OK,
    };
    respond(status, media, &json!({ "errors": errors }))
}

/// A top-level failure outside execution (authentication, or the database failing during it).
fn api_error_response(media: MediaType, err: ApiError, request_id: RequestId) -> HttpResponse {
    let status = match &err {
        ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
        ApiError::Forbidden => StatusCode::FORBIDDEN,
        ApiError::BadUserInput(_) => StatusCode::BAD_REQUEST,
        ApiError::SearchIndexRebuilding => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let unauthenticated = matches!(err, ApiError::Unauthenticated);
    let server_error: async_graphql::Error = err.into();
    let mut errors = vec![server_error.into_server_error(async_graphql::Pos::default())];
    errors[0].locations.clear();
    censor(&mut errors, request_id);
    let mut response = respond(status, media, &json!({ "errors": errors }));
    if unauthenticated {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A document that does not parse, told in a bounded message: where, and what was expected, but
/// none of the document (pest's own message quotes the offending line, which may be the whole query).
fn parse_failure(err: ServerError) -> ServerError {
    let mut ext = async_graphql::ErrorExtensionValues::default();
    if err.message.starts_with("recursion limit exceeded")
        || err.message.contains("= stack limit reached")
    {
        // The parser's own nesting limits (its own, and its grammar engine's stack): the same
        // refusal as the depth limit.
        ext.set("code", "QUERY_TOO_DEEP");
        let mut failure = ServerError::new("Query is nested too deep.", None);
        failure.extensions = Some(ext);
        return failure;
    }
    let mut message = match err.locations.first() {
        Some(at) => format!(
            "the query does not parse (line {}, column {})",
            at.line, at.column
        ),
        None => format!("the query does not parse: {}", err.message),
    };
    if let Some(expected) = err
        .message
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
    {
        message.push_str(": ");
        message.push_str(expected);
    }
    let mut failure = ServerError::new(message, None);
    failure.locations = err.locations;
    ext.set("code", "GRAPHQL_PARSE_FAILED");
    failure.extensions = Some(ext);
    failure
}

/// The answer when a persisted query's document cannot be had.
fn persisted_refusal(media: MediaType, missing: Missing) -> HttpResponse {
    // PERSISTED_QUERY_NOT_FOUND and _NOT_SUPPORTED come with 200, as Apollo Server sends them, so
    // that every APQ client (Apollo's link, urql's exchange) sends the document and goes on.
    match missing {
        Missing::NotFound => request_error(
            StatusCode::OK,
            media,
            "PersistedQueryNotFound",
            "PERSISTED_QUERY_NOT_FOUND",
        ),
        Missing::NotSupported => request_error(
            StatusCode::OK,
            media,
            "PersistedQueryNotSupported",
            "PERSISTED_QUERY_NOT_SUPPORTED",
        ),
        Missing::HashMismatch => request_error(
            StatusCode::BAD_REQUEST,
            media,
            "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`",
            "BAD_USER_INPUT",
        ),
    }
}

/// CORS for browser pages on other origins: only the configured ones, GET and POST, the headers a
/// GraphQL client sends, and never credentials (tokens travel in `Authorization`). With no origin
/// configured, no cross-origin page may read a response; same-origin and non-browser callers are
/// not affected either way.
pub fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers(["x-request-id"])
        .max_age(600)
        .block_on_origin_mismatch(false);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// `GET /graphiql/{file}`: GraphiQL's start script and, with a local assets folder, its files.
pub async fn graphiql_file(
    state: web::Data<Arc<AppState>>,
    name: web::Path<String>,
) -> HttpResponse {
    match &state.graphiql {
        Some(page) => page.file(&name),
        None => HttpResponse::NotFound().finish(),
    }
}

/// `GET /`: GraphiQL, when enabled.
pub async fn graphiql(state: web::Data<Arc<AppState>>) -> HttpResponse {
    match &state.graphiql {
        Some(page) => page.page(),
        None => HttpResponse::NotFound().finish(),
    }
}

/// `GET /schema.graphql`: the staff schema's SDL.
pub async fn schema_sdl(state: web::Data<Arc<AppState>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(state.schema.sdl_with_options(crate::schema::sdl_options()))
}

/// `GET /integrations/schema.graphql`: the integrator schema's SDL.
pub async fn integrations_sdl(state: web::Data<Arc<AppState>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(
            state
                .integrations
                .sdl_with_options(crate::schema::sdl_options()),
        )
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(JSON)
        .body(json!({ "status": "ok" }).to_string())
}

/// `GET /readyz`: the database answers and the search index is open. 503 with the failing part
/// named otherwise.
pub async fn readyz(state: web::Data<Arc<AppState>>) -> HttpResponse {
    let database = crate::db::is_reachable(&state.db).await;
    let index = state.search.is_ready();
    let ready = database && index;
    let body = json!({
        "status": if ready { "ready" } else { "unavailable" },
        "database": if database { "ok" } else { "unreachable" },
        "searchIndex": if index { "ok" } else { "rebuilding" },
        "searchIndexAppliedSeq": state.search.applied_seq(),
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    HttpResponse::build(status)
        .content_type(JSON)
        .body(body.to_string())
}

/// Answers any other method on `/graphql`.
pub async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let allow = if req.method() == Method::GET {
        "POST"
    } else {
        "GET, POST"
    };
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, allow))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accept(value: &str) -> Option<MediaType> {
        negotiate(
            &TestRequest::default()
                .insert_header((header::ACCEPT, value))
                .to_http_request(),
        )
    }

    #[test]
    fn negotiates_the_response_media_type() {
        assert_eq!(
            negotiate(&TestRequest::default().to_http_request()),
            Some(MediaType::Json)
        );
        assert_eq!(
            accept("application/graphql-response+json"),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json;q=0.9"),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("text/html"), None);
        assert_eq!(
            accept("application/graphql-response+json;q=0, application/json"),
            Some(MediaType::Json)
        );
    }
}
