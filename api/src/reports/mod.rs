//! The report routes: `/reports/fidelity` (the printable fidelity report, HTML) and
//! `/reports/ips-grow.csv` (the IPS Grow quarterly export). Authenticated like the API
//! (`Authorization: Bearer …`), or by a short-lived report link (`?link=…` from `reportLink`) for a
//! browser; charged to the rate limit like the fields they compute; cut off at the request timeout.

pub mod page;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDate};

use crate::error::ApiError;
use crate::fidelity::inputs::FidelityScopeInput;
use crate::fidelity::service::{Scope, resolve_scope};
use crate::serving::AppState;
use crate::session::staff_caller;

/// Query parameters of `/reports/fidelity`.
#[derive(serde::Deserialize)]
pub struct ReportParams {
    /// A specialist's global id.
    #[serde(rename = "specialistId")]
    specialist_id: Option<String>,
    /// A team's global id.
    #[serde(rename = "teamId")]
    team_id: Option<String>,
    /// First day (default: twelve weeks before `to`).
    from: Option<NaiveDate>,
    /// Last day (default: today).
    to: Option<NaiveDate>,
    /// No longer taken: an API token in a URL (use `link`).
    access_token: Option<String>,
    /// A report link from `reportLink`: it names the report, scope and dates itself.
    link: Option<String>,
}

fn page(status: StatusCode, title: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page::message_page(title, message))
}

/// The page refusing a request past its rate limit, with `Retry-After`.
fn rate_limited(retry_after: u64) -> HttpResponse {
    let mut response = page(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many requests",
        &format!("Try again in {retry_after} s."),
    );
    if let Ok(value) = header::HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Runs a report's computation under the request time limit; the page for a timeout otherwise.
async fn within_time_limit<T>(
    state: &AppState,
    work: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<Result<T, ApiError>, HttpResponse> {
    let timeout = state.settings.request_timeout();
    let started = std::time::Instant::now();
    let outcome = tokio::time::timeout(timeout, work).await;
    // A result that came in after the limit (the timer had not yet fired) is late all the same.
    match outcome {
        Ok(done) if started.elapsed() <= timeout => Ok(done),
        _ => {
            tracing::warn!(timeout_ms = timeout.as_millis() as u64, "report timed out");
            Err(page(
                StatusCode::SERVICE_UNAVAILABLE,
                "The report took too long",
                "Try a shorter date range, or try again later.",
            ))
        }
    }
}

/// Who asked, for whose practice, over which days; or the page that refuses the request. The
/// caller is charged `cost` rate-limit points (an anonymous request one point, to its address).
async fn authorize(
    req: &HttpRequest,
    params: ReportParams,
    state: &AppState,
    cost: u64,
) -> Result<(crate::auth::Viewer, Scope, NaiveDate, NaiveDate), HttpResponse> {
    if params.access_token.is_some() {
        return Err(page(
            StatusCode::BAD_REQUEST,
            "Use a report link",
            "Reports no longer take an API token in the address: ask the API for a reportLink, which opens this report for ten minutes.",
        ));
    }
    let refused = || {
        page(
            StatusCode::UNAUTHORIZED,
            "Sign in needed",
            "Open this report with a valid token, or a report link that has not expired.",
        )
    };
    let mut params = params;
    let viewer = if let Some(link) = params.link.as_deref() {
        // The link names who, which report, scope and dates: the address around it does not.
        let Some((staff_id, report)) = state.links.open(link, req.path()) else {
            return Err(refused());
        };
        params.specialist_id = report.specialist_id;
        params.team_id = report.team_id;
        params.from = Some(report.from);
        params.to = Some(report.to);
        match crate::auth::active_staff(&state.db, staff_id).await {
            Ok(viewer) => viewer,
            Err(ApiError::Unauthenticated) => return Err(refused()),
            Err(err) => return Err(failed(&err)),
        }
    } else {
        let header_token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if header_token.is_none()
            && let Some(peer) = req.peer_addr()
            && let Err(retry_after) = state
                .limiter
                .charge_anonymous(crate::rate_limit::ClientIp(peer.ip()), 1)
        {
            return Err(rate_limited(retry_after));
        }
        match staff_caller(&state.db, &state.verifier, header_token).await {
            Ok(Some(viewer)) => viewer,
            Ok(None) | Err(ApiError::Unauthenticated) => return Err(refused()),
            Err(err) => return Err(failed(&err)),
        }
    };
    if let Err(retry_after) = state.limiter.charge_staff(viewer.id(), cost) {
        return Err(rate_limited(retry_after));
    }
    let to = params.to.unwrap_or_else(ipsmatch_core::clock::today);
    let from = params.from.unwrap_or(to - Duration::weeks(12));
    if from > to || (to - from).num_days() > 731 {
        return Err(page(
            StatusCode::BAD_REQUEST,
            "Check the dates",
            "`from` must not be after `to`, and the range at most two years.",
        ));
    }
    let scope = FidelityScopeInput {
        specialist_id: params.specialist_id.map(crate::ids::GlobalId),
        team_id: params.team_id.map(crate::ids::GlobalId),
    };
    match resolve_scope(&state.db, &viewer, &scope).await {
        Ok(scope) => Ok((viewer, scope, from, to)),
        Err(ApiError::Forbidden) => Err(page(
            StatusCode::FORBIDDEN,
            "Not yours to see",
            "Specialists see their own report, team leads their team's.",
        )),
        Err(ApiError::BadUserInput(message)) => {
            Err(page(StatusCode::BAD_REQUEST, "Check the request", &message))
        }
        Err(err) => Err(failed(&err)),
    }
}

/// `GET /reports/fidelity`.
pub async fn fidelity_page(
    req: HttpRequest,
    params: web::Query<ReportParams>,
    state: web::Data<Arc<AppState>>,
) -> HttpResponse {
    let cost = crate::limits::FIDELITY_PAGE_COST;
    let (viewer, scope, from, to) = match authorize(&req, params.into_inner(), &state, cost).await {
        Ok(granted) => granted,
        Err(refused) => return refused,
    };
    let work = page::Report::compute(&state.db, &state.thresholds, &viewer, &scope, from, to);
    let computed = match within_time_limit(&state, work).await {
        Ok(computed) => computed,
        Err(timed_out) => return timed_out,
    };
    match computed {
        Ok(report) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(page::render(&report)),
        Err(err) => failed(&err),
    }
}

/// The page for an unexpected failure; the cause goes to the log only.
fn failed(err: &ApiError) -> HttpResponse {
    match err {
        ApiError::Internal(cause) => {
            tracing::error!(error = format!("{cause:#}"), "fidelity report failed")
        }
        other => tracing::error!(code = other.code(), "fidelity report failed"),
    }
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The report could not be computed.",
    )
}

/// `GET /reports/ips-grow.csv`.
pub async fn ips_grow_csv(
    req: HttpRequest,
    params: web::Query<ReportParams>,
    state: web::Data<Arc<AppState>>,
) -> HttpResponse {
    let cost = crate::limits::IPS_GROW_COST;
    let (_, scope, from, to) = match authorize(&req, params.into_inner(), &state, cost).await {
        Ok(granted) => granted,
        Err(refused) => return refused,
    };
    let computed = match within_time_limit(
        &state,
        crate::fidelity::ips_grow::export(&state.db, &scope, from, to),
    )
    .await
    {
        Ok(computed) => computed,
        Err(timed_out) => return timed_out,
    };
    match computed {
        Ok(csv) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ips-grow-{from}-{to}.csv\""),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(csv),
        Err(err) => failed(&err),
    }
}
