//! The printable fidelity report at `/reports/fidelity`: the same measures as the `fidelity` query,
//! rendered on the server as HTML with an SVG chart for each (weekly face-to-face employer contacts
//! against the line at 6, the spread of days to first employer contact against 30, caseload per
//! specialist against 20, and each share against its target), each specialist's anchors (for a
//! team), then the four outcomes with their quarters, suppressed as in the API. No script; it prints on A4 and reads
//! on a phone. Authenticated like the API (`Authorization: Bearer …`), or by a short-lived report link
//! (`?link=…` from `reportLink`) for a browser.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDate, Utc};

use super::inputs::FidelityScopeInput;
use super::measure::{FidelityMeasure, SeriesPoint};
use super::outcomes::{Computed, OutcomeDefinition, outcomes};
use super::service::fidelity;
use super::service::resolve_scope;
use super::thresholds::Better;
use crate::error::ApiError;
use crate::http::AppState;
use crate::session::staff_caller;

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 12.0;

/// A bar chart of `points` with a dashed reference line at `line` (and, when given, a second
/// series drawn as a line over the bars).
fn bar_chart(
    chart: &str,
    title: &str,
    points: &[SeriesPoint],
    line: f64,
    line_label: &str,
    overlay: &[SeriesPoint],
) -> String {
    let max = points
        .iter()
        .chain(overlay)
        .map(|p| p.value)
        .fold(line, f64::max)
        .max(1.0)
        * 1.15;
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h - v / max * plot_h;
    let n = points.len().max(1) as f64;
    let slot = plot_w / n;
    let mut svg = format!(
        r#"<svg class="chart" data-chart="{chart}" role="img" aria-label="{label}" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="xMidYMid meet"><title>{label}</title>"#,
        label = escape(title)
    );
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{base}" x2="{right}" y2="{base}" stroke="#555"/>"##,
        base = TOP + plot_h,
        right = WIDTH - 8.0
    );
    for (i, p) in points.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let top = y(p.value);
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{x:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}"><title>{label}: {value}</title></rect>"#,
            w = slot * 0.7,
            h = (TOP + plot_h - top).max(0.0),
            label = escape(&p.label),
            value = number(p.value)
        );
        if points.len() <= 16 || i % (points.len() / 8).max(1) == 0 {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{label}</text>"#,
                cx = x + slot * 0.35,
                ty = HEIGHT - BOTTOM + 14.0,
                label = escape(&short(&p.label))
            );
        }
    }
    if !overlay.is_empty() {
        let path: Vec<String> = overlay
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    "{:.1},{:.1}",
                    LEFT + slot * i as f64 + slot * 0.5,
                    y(p.value)
                )
            })
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="rolling" points="{}" fill="none"/>"#,
            path.join(" ")
        );
    }
    let _ = write!(
        svg,
        r#"<line class="target" x1="{LEFT}" y1="{ly:.1}" x2="{right}" y2="{ly:.1}"/><text class="target-label" x="{right}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
        ly = y(line),
        ty = y(line) - 4.0,
        right = WIDTH - 8.0,
        label = escape(line_label)
    );
    let _ = write!(
        svg,
        r#"<text class="tick" x="{x}" y="{y0:.1}" text-anchor="end">0</text><text class="tick" x="{x}" y="{ym:.1}" text-anchor="end">{m}</text></svg>"#,
        x = LEFT - 6.0,
        y0 = TOP + plot_h,
        ym = TOP + 10.0,
        m = number(max / 1.15)
    );
    svg
}

fn short(label: &str) -> String {
    let mut chars = label.chars();
    let cut: String = chars.by_ref().take(10).collect();
    if chars.next().is_some() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// The spread of days to first contact in bands, with the band holding the target marked.
fn days_histogram(measure: &FidelityMeasure) -> String {
    let bands = [
        (0.0, 10.0, "0–10"),
        (11.0, 20.0, "11–20"),
        (21.0, 30.0, "21–30"),
        (31.0, 60.0, "31–60"),
        (61.0, 150.0, "61–150"),
        (151.0, f64::INFINITY, "151+"),
    ];
    let mut counts: Vec<SeriesPoint> = bands
        .iter()
        .map(|(low, high, label)| {
            SeriesPoint::new(
                *label,
                measure
                    .series
                    .iter()
                    .filter(|p| p.value >= *low && p.value <= *high)
                    .count() as f64,
            )
        })
        .collect();
    counts.push(SeriesPoint::new(
        "none yet",
        f64::from(measure.clients_past_target_count),
    ));
    bar_chart(
        "days-to-first-contact",
        "Clients by days from referral to first employer contact (target: 30 or fewer)",
        &counts,
        0.0,
        "bars right of 21–30 are past the 30-day target",
        &[],
    )
}

fn anchor_badge(anchor: Option<i32>) -> String {
    match anchor {
        Some(a) => format!(r#"<span class="anchor a{a}">{a}</span>"#),
        None => r#"<span class="anchor none">–</span>"#.into(),
    }
}

/// The outcomes the report shows, in order.
pub const OUTCOMES: [OutcomeDefinition; 4] = [
    OutcomeDefinition::JobStart,
    OutcomeDefinition::EmploymentRate,
    OutcomeDefinition::SustainedThirteenWeeks,
    OutcomeDefinition::IpsAdPrimary,
];

/// The outcomes table: each definition's total, with its quarters beneath.
fn outcomes_table(outcomes: &[(OutcomeDefinition, Computed)]) -> String {
    let mut table = String::from(
        r#"<section id="outcomes"><h2>Outcomes</h2><table class="outcomes"><thead><tr><th>Outcome</th><th>Over the range, and by quarter</th></tr></thead><tbody>"#,
    );
    for (definition, computed) in outcomes {
        let quarters: Vec<String> = computed
            .by_quarter
            .iter()
            .map(|q| format!("{}: {}", escape(&q.group), escape(&q.display)))
            .collect();
        let _ = write!(
            table,
            r#"<tr data-outcome="{key:?}"><td>{label}</td><td><strong>{total}</strong><br><span class="quarters">{quarters}</span></td></tr>"#,
            key = definition,
            label = escape(definition.describe()),
            total = escape(&computed.total.display),
            quarters = quarters.join(" · ")
        );
    }
    table.push_str(r#"</tbody></table><p class="legend">Counts under 5, or within 5 of the whole group, show as "&lt;5" so no one can be picked out.</p></section>"#);
    table
}

/// Everything a report page shows.
pub struct Report {
    /// Whose practice.
    pub scope: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The measures over the whole scope.
    pub measures: Vec<FidelityMeasure>,
    /// Each specialist's measures, for a scope of more than one.
    pub by_specialist: Vec<(String, Vec<FidelityMeasure>)>,
    /// The outcomes over the scope.
    pub outcomes: Vec<(OutcomeDefinition, Computed)>,
}

impl Report {
    /// Computes the report for `scope`: its measures, each specialist's (for a team), and the
    /// four outcomes.
    pub async fn compute(
        db: &sea_orm::DatabaseConnection,
        thresholds: &super::thresholds::Thresholds,
        viewer: &crate::auth::Viewer,
        scope: &super::service::Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Self, ApiError> {
        let measures = fidelity(db, thresholds, scope, from, to).await?;
        let by_specialist = super::service::by_specialist(db, thresholds, scope, from, to)
            .await?
            .into_iter()
            .map(|(specialist, measures)| (specialist.name, measures))
            .collect();
        let mut computed = Vec::new();
        for definition in OUTCOMES {
            let outcome = outcomes(db, viewer, scope, definition, None, from, to).await?;
            computed.push((definition, outcome));
        }
        Ok(Self {
            scope: scope.label.clone(),
            from,
            to,
            measures,
            by_specialist,
            outcomes: computed,
        })
    }
}

/// The anchors each specialist reaches, a row each, a column per measure (numbered as in the
/// summary table).
fn specialists_table(
    measures: &[FidelityMeasure],
    rows: &[(String, Vec<FidelityMeasure>)],
) -> String {
    let mut table = String::from(
        r#"<section id="by-specialist"><h2>Anchors by specialist</h2><table class="by-specialist"><thead><tr><th>Specialist</th>"#,
    );
    for (n, m) in measures.iter().enumerate() {
        let _ = write!(
            table,
            r#"<th title="{label}">{n}</th>"#,
            label = escape(&m.label),
            n = n + 1
        );
    }
    table.push_str("</tr></thead><tbody>");
    for (name, own) in rows {
        let _ = write!(table, r#"<tr data-specialist><td>{}</td>"#, escape(name));
        for m in measures {
            let anchor = own.iter().find(|o| o.key == m.key).and_then(|o| o.anchor);
            let _ = write!(table, "<td>{}</td>", anchor_badge(anchor));
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody></table></section>");
    table
}

/// The page for a computed report.
pub fn render(report: &Report) -> String {
    let (scope, from, to, measures) = (
        report.scope.as_str(),
        report.from,
        report.to,
        &report.measures,
    );
    let by_key: HashMap<&str, &FidelityMeasure> =
        measures.iter().map(|m| (m.key.as_str(), m)).collect();
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<header><h1>IPS fidelity: {scope}</h1><p>{from} to {to} · computed {now} from the records · anchors 1–5 from the IPS Fidelity Scale</p></header>"#,
        scope = escape(scope),
        now = Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    body.push_str(r#"<table class="summary"><thead><tr><th>Measure</th><th>Value</th><th>Target</th><th>Anchor</th></tr></thead><tbody>"#);
    for (n, m) in measures.iter().enumerate() {
        let _ = write!(
            body,
            r#"<tr data-measure="{key}"><td>{n}. {label}</td><td>{value}</td><td>{better} {target}</td><td>{anchor}</td></tr>"#,
            key = escape(&m.key),
            n = n + 1,
            label = escape(&m.label),
            value = m.value.map_or_else(|| "no cases".into(), number),
            better = if m.better == Better::Lower {
                "≤"
            } else {
                "≥"
            },
            target = number(m.target),
            anchor = anchor_badge(m.anchor)
        );
    }
    body.push_str("</tbody></table>");
    if !report.by_specialist.is_empty() {
        body.push_str(&specialists_table(measures, &report.by_specialist));
    }

    let section = |body: &mut String, key: &str, chart: String| {
        if let Some(m) = by_key.get(key) {
            let _ = write!(
                body,
                r#"<section class="measure" id="{key}"><h2>{label} {anchor}</h2>{chart}</section>"#,
                key = escape(key),
                label = escape(&m.label),
                anchor = anchor_badge(m.anchor)
            );
        }
    };
    if let Some(m) = by_key.get("face_to_face_employer_contacts_per_week") {
        let chart = bar_chart(
            "weekly-contacts",
            "Face-to-face employer contacts per specialist, by week, with the 4-week rolling mean",
            &m.series,
            m.target,
            &format!("target {}", number(m.target)),
            &m.rolling,
        );
        section(&mut body, &m.key, chart);
    }
    if let Some(m) = by_key.get("days_to_first_employer_contact") {
        section(&mut body, &m.key, days_histogram(m));
        if m.clients_past_target_count > 0 {
            let _ = write!(
                body,
                r#"<p class="note">{} client(s) referred in the range are past {} days with no employer contact on their behalf.</p>"#,
                m.clients_past_target_count,
                number(m.target)
            );
        }
    }
    if let Some(m) = by_key.get("caseload_per_fte") {
        let chart = bar_chart(
            "caseload",
            "Clients per full-time specialist",
            &m.series,
            m.target,
            &format!("target {}", number(m.target)),
            &[],
        );
        section(&mut body, &m.key, chart);
    }
    let shares: Vec<SeriesPoint> = measures
        .iter()
        .filter(|m| m.label.ends_with('%'))
        .map(|m| SeriesPoint::new(m.label.trim_end_matches(", %"), m.value.unwrap_or(0.0)))
        .collect();
    if !shares.is_empty() {
        let _ = write!(
            body,
            r#"<section class="measure" id="shares"><h2>Jobs, support and disclosure (%)</h2>{}<ol class="legend">{}</ol></section>"#,
            bar_chart(
                "shares",
                "Shares of cases meeting each measure, against 90 %",
                &shares,
                90.0,
                "90 %",
                &[]
            ),
            shares
                .iter()
                .map(|p| format!("<li>{}: {}</li>", escape(&p.label), number(p.value)))
                .collect::<String>()
        );
    }
    if !report.outcomes.is_empty() {
        body.push_str(&outcomes_table(&report.outcomes));
    }
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>IPS fidelity: {title}</title><style>{STYLE}</style></head><body>{body}</body></html>"#,
        title = escape(scope)
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1b1b}\
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1.2rem 0 .4rem}header p{color:#555;margin:0}\
table{border-collapse:collapse;width:100%;margin-top:1rem;font-size:.9rem}td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left}\
.chart{width:100%;height:auto;display:block}.bar{fill:#3b6ea8}.rolling{stroke:#d17a00;stroke-width:2.5}\
.target{stroke:#b00020;stroke-width:1.5;stroke-dasharray:6 4}.target-label{fill:#b00020;font-size:11px}.tick{fill:#444;font-size:10px}\
.anchor{display:inline-block;min-width:1.4em;text-align:center;border-radius:.7em;color:#fff;font-weight:600;font-size:.85rem}\
.a1,.a2{background:#b00020}.a3{background:#c77700}.a4,.a5{background:#2e7d32}.none{background:#888}.note{color:#b00020}\
.legend,.quarters{font-size:.85rem;color:#333}@media print{body{max-width:none}section{break-inside:avoid}}";

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
        .body(format!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{t}</title></head><body><h1>{t}</h1><p>{m}</p></body></html>"#,
            t = escape(title),
            m = escape(message)
        ))
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
pub(crate) async fn within_time_limit<T>(
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
pub(crate) async fn authorize(
    req: &HttpRequest,
    params: ReportParams,
    state: &AppState,
    cost: u64,
) -> Result<
    (
        crate::auth::Viewer,
        super::service::Scope,
        NaiveDate,
        NaiveDate,
    ),
    HttpResponse,
> {
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
    let to = params.to.unwrap_or_else(|| Utc::now().date_naive());
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
    let work = Report::compute(&state.db, &state.thresholds, &viewer, &scope, from, to);
    let computed = match within_time_limit(&state, work).await {
        Ok(computed) => computed,
        Err(timed_out) => return timed_out,
    };
    match computed {
        Ok(report) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(render(&report)),
        Err(err) => failed(&err),
    }
}

/// The page for an unexpected failure; the cause goes to the log only.
pub(crate) fn failed(err: &ApiError) -> HttpResponse {
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
    let computed =
        match within_time_limit(&state, super::ips_grow::export(&state.db, &scope, from, to)).await
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
