//! GraphQL over WebSocket (`graphql-transport-ws`, and the legacy `graphql-ws`) for both surfaces.
//! The token comes in `connection_init` and is verified once; after that every operation and
//! every subscription event re-reads the caller through [`crate::session`] (active, same role,
//! team or scopes, token unexpired) and is refused otherwise, and the socket itself is closed
//! (4401) when the token expires or the caller loses their standing — within one heartbeat.
//! Operations over the socket get what HTTP gives them: fresh loaders and a request id each,
//! the request timeout, the same error censoring, and the same cost charging (the schema's
//! rate-limit extension).

use std::str::FromStr as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason};
use async_graphql::http::{WebSocket, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use futures_util::StreamExt as _;
use futures_util::stream::BoxStream;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::ApiError;
use crate::loaders::Loaders;
use crate::serving::{AppState, RequestId, Surface, censor};
use crate::session::{Audience, Caller, Credential, caller, credential, recheck};

/// How often the server pings the peer and re-reads the caller between operations.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// How long a peer that answers nothing is kept.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// The close code for "sign in again" (graphql-transport-ws: Unauthorized).
const UNAUTHORIZED: u16 = 4401;
/// How long a socket may stay open without a successful `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// The close code for an initialisation that never came (graphql-transport-ws).
const INIT_TIMED_OUT: u16 = 4408;

/// The credential a socket was opened with and the caller it named then.
#[derive(Default)]
struct SignedIn(Mutex<Option<(Credential, Caller)>>);

impl SignedIn {
    fn get(&self) -> Option<(Credential, Caller)> {
        self.0.lock().ok().and_then(|held| held.clone())
    }

    fn set(&self, credential: Credential, caller: Caller) {
        if let Ok(mut held) = self.0.lock() {
            *held = Some((credential, caller));
        }
    }
}

/// The schema of one surface behind the per-operation caller check.
#[derive(Clone)]
struct Guarded {
    state: Arc<AppState>,
    surface: Surface,
    signed_in: Arc<SignedIn>,
}

/// A response holding one coded error.
fn refusal(message: &str, code: &str) -> Response {
    let mut error = ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    Response::from_errors(vec![error])
}

/// The same `UNAUTHENTICATED` error HTTP answers with.
fn unauthenticated() -> Response {
    let error: async_graphql::Error = ApiError::Unauthenticated.into();
    Response::from_errors(vec![error.into_server_error(async_graphql::Pos::default())])
}

impl Guarded {
    /// The caller now, or why not.
    async fn current(&self) -> Result<Caller, ApiError> {
        let (credential, signed_in) = self.signed_in.get().ok_or(ApiError::Unauthenticated)?;
        recheck(&self.state.db, &credential, &signed_in).await
    }

    /// Gives an operation what an HTTP request gets: the caller as they are now, fresh loaders,
    /// a request id.
    async fn prepare(
        &self,
        mut request: Request,
        request_id: RequestId,
    ) -> Result<Request, Response> {
        let caller = self.current().await.map_err(|_| unauthenticated())?;
        caller.insert_into(&mut request.data);
        request.data.insert(Loaders::new(&self.state.db));
        request.data.insert(request_id);
        Ok(request)
    }

    fn run(&self, request: Request) -> BoxStream<'static, Response> {
        match self.surface {
            Surface::Staff => self.state.schema.execute_stream(request),
            Surface::Integrations => self.state.integrations.execute_stream(request),
        }
    }
}

impl Executor for Guarded {
    async fn execute(&self, request: Request) -> Response {
        self.execute_stream(request, None)
            .next()
            .await
            .unwrap_or_default()
    }

    fn execute_stream(
        &self,
        mut request: Request,
        _session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let this = self.clone();
        let request_id = RequestId(Uuid::now_v7());
        let subscription = request
            .parsed_query()
            .ok()
            .map(|doc| {
                doc.operations
                    .iter()
                    .any(|(_, op)| op.node.ty == OperationType::Subscription)
            })
            .unwrap_or(false);
        let timeout = self.state.settings.request_timeout();
        futures_util::stream::once(async move {
            match this.prepare(request, request_id).await {
                Err(refused) => futures_util::stream::once(async move { refused }).boxed(),
                Ok(request) => {
                    let events = this.run(request);
                    guard_events(this, events, subscription, timeout, request_id)
                }
            }
        })
        .flatten()
        .boxed()
    }
}

/// What an operation's responses pass through: the first within the request timeout (queries and
/// mutations), every later one (subscription events) only while the caller still holds their
/// standing, and each censored as over HTTP.
fn guard_events(
    guard: Guarded,
    events: BoxStream<'static, Response>,
    subscription: bool,
    timeout: Duration,
    request_id: RequestId,
) -> BoxStream<'static, Response> {
    futures_util::stream::unfold(
        (guard, events, 0usize, false),
        move |(guard, mut events, n, done)| async move {
            if done {
                return None;
            }
            let next = if subscription {
                events.next().await
            } else {
                match tokio::time::timeout(timeout, events.next()).await {
                    Ok(next) => next,
                    Err(_) => {
                        tracing::warn!("an operation over a socket timed out");
                        let mut response = refusal("the request took too long", "TIMEOUT");
                        censor(&mut response.errors, request_id);
                        return Some((response, (guard, events, n + 1, true)));
                    }
                }
            };
            let mut response = next?;
            if n > 0 || subscription {
                // Each event is told only to a caller still signed in as they subscribed.
                if guard.current().await.is_err() {
                    return Some((unauthenticated(), (guard, events, n + 1, true)));
                }
            }
            censor(&mut response.errors, request_id);
            Some((response, (guard, events, n + 1, false)))
        },
    )
    .boxed()
}

/// The bearer credentials a `connection_init` payload carries: `{"Authorization": "Bearer …"}`
/// (any case) or `{"token": "…"}`.
fn connection_credentials(payload: &Value) -> Option<String> {
    let object = payload.as_object()?;
    if let Some(token) = object.get("token").and_then(Value::as_str) {
        return Some(format!("Bearer {token}"));
    }
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string)
}

fn bad_request(message: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .body(
            json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] })
                .to_string(),
        )
}

/// Upgrades `req` to a GraphQL WebSocket for `surface`.
pub fn start(
    req: &HttpRequest,
    payload: web::Payload,
    state: Arc<AppState>,
    surface: Surface,
) -> HttpResponse {
    let protocol = req
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|offered| {
            offered
                .split(',')
                .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
        });
    let Some(protocol) = protocol else {
        return bad_request("not a GraphQL WebSocket request: offer graphql-transport-ws");
    };
    let Ok((mut response, session, messages)) = actix_ws::handle(req, payload) else {
        return bad_request("not a WebSocket upgrade");
    };
    response.headers_mut().insert(
        header::SEC_WEBSOCKET_PROTOCOL,
        HeaderValue::from_static(protocol.sec_websocket_protocol()),
    );
    let limit = state.settings.max_body_bytes;
    let messages = messages
        .max_frame_size(limit)
        .aggregate_continuations()
        .max_continuation_size(limit);
    actix_web::rt::spawn(serve(state, surface, protocol, session, messages));
    response
}

/// Runs one socket until either side closes it, the peer goes silent, or the caller's token or
/// standing ends.
async fn serve(
    state: Arc<AppState>,
    surface: Surface,
    protocol: WebSocketProtocols,
    mut session: actix_ws::Session,
    mut messages: actix_ws::AggregatedMessageStream,
) {
    let signed_in = Arc::new(SignedIn::default());
    let guard = Guarded {
        state: state.clone(),
        surface,
        signed_in: signed_in.clone(),
    };
    let audience = match surface {
        Surface::Staff => Audience::Staff,
        Surface::Integrations => Audience::Integrator,
    };
    let init_state = state.clone();
    let init_cell = signed_in.clone();
    let on_init = move |payload: Value| async move {
        let refused = || async_graphql::Error::new("authentication required");
        let header = connection_credentials(&payload);
        let credential = credential(&init_state.verifier, audience, header.as_deref())
            .ok()
            .flatten()
            .ok_or_else(refused)?;
        let who = caller(&init_state.db, &credential)
            .await
            .map_err(|_| refused())?;
        init_cell.set(credential, who);
        Ok(Data::default())
    };
    let (incoming, received) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let received = futures_util::stream::unfold(received, |mut rx| async move {
        rx.recv().await.map(|bytes| (bytes, rx))
    });
    let graphql = WebSocket::new(guard.clone(), received, protocol).on_connection_init(on_init);
    let mut graphql = std::pin::pin!(graphql);
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    let mut last_heard = Instant::now();
    let opened = Instant::now();
    let close = loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(Ok(AggregatedMessage::Text(text))) => {
                    last_heard = Instant::now();
                    if incoming.send(text.as_bytes().to_vec()).is_err() { break None; }
                }
                Some(Ok(AggregatedMessage::Binary(bytes))) => {
                    last_heard = Instant::now();
                    if incoming.send(bytes.to_vec()).is_err() { break None; }
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    last_heard = Instant::now();
                    if session.pong(&bytes).await.is_err() { break None; }
                }
                Some(Ok(AggregatedMessage::Pong(_))) => last_heard = Instant::now(),
                Some(Ok(AggregatedMessage::Close(_))) | Some(Err(_)) | None => break None,
            },
            out = graphql.next() => match out {
                Some(WsMessage::Text(text)) => {
                    if session.text(text).await.is_err() { break None; }
                }
                Some(WsMessage::Close(code, reason)) => break Some(CloseReason {
                    code: CloseCode::Other(code),
                    description: Some(reason),
                }),
                None => break None,
            },
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > CLIENT_TIMEOUT {
                    break Some(CloseReason { code: CloseCode::Other(3008), description: Some("timeout".into()) });
                }
                if signed_in.get().is_none() && opened.elapsed() > INIT_TIMEOUT {
                    break Some(CloseReason {
                        code: CloseCode::Other(INIT_TIMED_OUT),
                        description: Some("Connection initialisation timeout".into()),
                    });
                }
                if signed_in.get().is_some() && guard.current().await.is_err() {
                    break Some(CloseReason {
                        code: CloseCode::Other(UNAUTHORIZED),
                        description: Some("sign in again: the token expired or your access changed".into()),
                    });
                }
                if session.ping(b"").await.is_err() { break None; }
            }
        }
    };
    let _ = session.close(close).await;
}
