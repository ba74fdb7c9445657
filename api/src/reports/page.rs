//! The printable fidelity report as HTML: the same measures as the `fidelity` query, rendered on
//! the server with an SVG chart for each (weekly face-to-face employer contacts against the line at
//! 6, the spread of days to first employer contact against 30, caseload per specialist against 20,
//! and each share against its target), each specialist's anchors (for a team), integration with
//! treatment (team meetings and Jobcentre Plus contacts by specialist), the referral funnel, then
//! the four outcomes with their quarters, suppressed as in the API. No script; it prints on A4 and reads on
//! a phone. Written with maud: every value spliced into the page is escaped by the compiler's
//! template, so no text from the records can become markup.

use std::collections::HashMap;

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::error::ApiError;
use crate::fidelity::measure::{FidelityMeasure, SeriesPoint};
use crate::fidelity::outcomes::{Computed, OutcomeDefinition, outcomes};
use crate::fidelity::referrals::{ReferralFunnel, funnel_of};
use crate::fidelity::service::{Scope, by_specialist, fidelity};
use crate::fidelity::thresholds::{Better, Thresholds};

fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A coordinate in the charts, to one decimal.
fn at(value: f64) -> String {
    format!("{value:.1}")
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 12.0;

/// A bar chart of `points` with a dashed reference line at `line` (and, when given, a second
/// series drawn as a line over the bars). SVG elements are closed explicitly: inside HTML an SVG
/// element without a closing tag would swallow the ones after it.
fn bar_chart(
    chart: &str,
    title: &str,
    points: &[SeriesPoint],
    line: f64,
    line_label: &str,
    overlay: &[SeriesPoint],
) -> Markup {
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
    let base = TOP + plot_h;
    let right = WIDTH - 8.0;
    let rolling: Vec<String> = overlay
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
    html! {
        svg class="chart" data-chart=(chart) role="img" aria-label=(title)
            viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) preserveAspectRatio="xMidYMid meet" {
            title { (title) }
            line x1=(LEFT) y1=(base) x2=(right) y2=(base) stroke="#555" {}
            @for (i, p) in points.iter().enumerate() {
                @let x = LEFT + slot * i as f64 + slot * 0.15;
                @let top = y(p.value);
                rect class="bar" x=(at(x)) y=(at(top)) width=(at(slot * 0.7))
                    height=(at((base - top).max(0.0))) {
                    title { (p.label) ": " (number(p.value)) }
                }
                @if points.len() <= 16 || i % (points.len() / 8).max(1) == 0 {
                    text class="tick" x=(at(x + slot * 0.35)) y=(at(HEIGHT - BOTTOM + 14.0))
                        text-anchor="middle" { (short(&p.label)) }
                }
            }
            @if !overlay.is_empty() {
                polyline class="rolling" points=(rolling.join(" ")) fill="none" {}
            }
            line class="target" x1=(LEFT) y1=(at(y(line))) x2=(right) y2=(at(y(line))) {}
            text class="target-label" x=(right) y=(at(y(line) - 4.0)) text-anchor="end" {
                (line_label)
            }
            text class="tick" x=(LEFT - 6.0) y=(at(base)) text-anchor="end" { "0" }
            text class="tick" x=(LEFT - 6.0) y=(at(TOP + 10.0)) text-anchor="end" {
                (number(max / 1.15))
            }
        }
    }
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
fn days_histogram(measure: &FidelityMeasure) -> Markup {
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

fn anchor_badge(anchor: Option<i32>) -> Markup {
    html! {
        @match anchor {
            Some(a) => span class=(format!("anchor a{a}")) { (a) },
            None => span class="anchor none" { "–" },
        }
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
fn outcomes_table(outcomes: &[(OutcomeDefinition, Computed)]) -> Markup {
    html! {
        section id="outcomes" {
            h2 { "Outcomes" }
            table class="outcomes" {
                thead { tr { th { "Outcome" } th { "Over the range, and by quarter" } } }
                tbody {
                    @for (definition, computed) in outcomes {
                        tr data-outcome=(format!("{definition:?}")) {
                            td { (definition.describe()) }
                            td {
                                strong { (computed.total.display) }
                                br;
                                span class="quarters" {
                                    @for (n, q) in computed.by_quarter.iter().enumerate() {
                                        @if n > 0 { " · " }
                                        (q.group) ": " (q.display)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p class="legend" {
                "Counts under 5, or within 5 of the whole group, show as \"<5\" so no one can be picked out."
            }
        }
    }
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
    /// Referrals from the treatment teams in scope over the range.
    pub funnel: ReferralFunnel,
}

impl Report {
    /// Computes the report for `scope`: its measures, each specialist's (for a team), and the
    /// four outcomes.
    pub async fn compute(
        db: &sea_orm::DatabaseConnection,
        thresholds: &Thresholds,
        viewer: &crate::auth::Viewer,
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Self, ApiError> {
        let measures = fidelity(db, thresholds, scope, from, to).await?;
        let by_specialist = by_specialist(db, thresholds, scope, from, to)
            .await?
            .into_iter()
            .map(|(specialist, measures)| (specialist.name, measures))
            .collect();
        let mut computed = Vec::new();
        for definition in OUTCOMES {
            let outcome = outcomes(db, viewer, scope, definition, None, from, to).await?;
            computed.push((definition, outcome));
        }
        let funnel = funnel_of(db, scope, from, to).await?;
        Ok(Self {
            scope: scope.label.clone(),
            from,
            to,
            measures,
            by_specialist,
            outcomes: computed,
            funnel,
        })
    }
}

/// The anchors each specialist reaches, a row each, a column per measure (numbered as in the
/// summary table).
fn specialists_table(
    measures: &[FidelityMeasure],
    rows: &[(String, Vec<FidelityMeasure>)],
) -> Markup {
    html! {
        section id="by-specialist" {
            h2 { "Anchors by specialist" }
            table class="by-specialist" {
                thead {
                    tr {
                        th { "Specialist" }
                        @for (n, m) in measures.iter().enumerate() {
                            th title=(m.label) { (n + 1) }
                        }
                    }
                }
                tbody {
                    @for (name, own) in rows {
                        tr data-specialist {
                            td { (name) }
                            @for m in measures {
                                td {
                                    (anchor_badge(own.iter().find(|o| o.key == m.key).and_then(|o| o.anchor)))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The referral funnel: referrals over the range by state, by treatment team (every one in scope,
/// noughts included, so a team that does not refer shows) and by keyworker. Counts only.
fn funnel_section(f: &ReferralFunnel) -> Markup {
    html! {
        section id="referrals" {
            h2 { "Referrals from treatment teams" }
            p {
                (f.total) " referral(s) in the range; "
                (f.registered_percent.map_or_else(|| "none".into(), |p| format!("{} %", number(p))))
                " registered; median "
                (f.median_days_to_first_meeting.map_or_else(|| "–".into(), number))
                " days from referral to first meeting."
            }
            p class="legend" {
                @for (i, s) in f.by_state.iter().enumerate() {
                    @if i > 0 { " · " }
                    (s.state.as_db().to_lowercase().replace('_', " ")) ": " (s.count)
                }
            }
            @for (title, rows) in [("Treatment team", &f.by_treatment_team), ("Keyworker", &f.by_keyworker)] {
                table class="funnel" data-funnel=(title) {
                    thead { tr { th { (title) } th { "Referrals" } th { "First meetings" } th { "Registered" } th { "Not taken up" } } }
                    tbody {
                        @for r in rows.iter() {
                            tr {
                                td { (r.name) @if title == "Keyworker" { " (" (r.treatment_team_name) ")" } }
                                td { (r.referrals) } td { (r.first_meetings) } td { (r.registered) } td { (r.not_taken_up) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One measure's section: its heading, anchor and chart.
fn measure_section(m: &FidelityMeasure, chart: Markup) -> Markup {
    html! {
        section class="measure" id=(m.key) {
            h2 { (m.label) " " (anchor_badge(m.anchor)) }
            (chart)
        }
    }
}

/// The page for a computed report.
pub fn render(report: &Report) -> String {
    let measures = &report.measures;
    let by_key: HashMap<&str, &FidelityMeasure> =
        measures.iter().map(|m| (m.key.as_str(), m)).collect();
    let shares: Vec<SeriesPoint> = measures
        .iter()
        .filter(|m| m.label.ends_with('%'))
        .map(|m| SeriesPoint::new(m.label.trim_end_matches(", %"), m.value.unwrap_or(0.0)))
        .collect();
    let computed_at = ipsmatch_core::clock::now()
        .format("%Y-%m-%d %H:%M UTC")
        .to_string();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "IPS fidelity: " (report.scope) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "IPS fidelity: " (report.scope) }
                    p {
                        (report.from) " to " (report.to) " · computed " (computed_at)
                        " from the records · anchors 1–5 from the IPS Fidelity Scale"
                    }
                }
                table class="summary" {
                    thead { tr { th { "Measure" } th { "Value" } th { "Target" } th { "Anchor" } } }
                    tbody {
                        @for (n, m) in measures.iter().enumerate() {
                            tr data-measure=(m.key) {
                                td { (n + 1) ". " (m.label) }
                                td { (m.value.map_or_else(|| "no cases".into(), number)) }
                                td {
                                    (if m.better == Better::Lower { "≤" } else { "≥" })
                                    " " (number(m.target))
                                }
                                td { (anchor_badge(m.anchor)) }
                            }
                        }
                    }
                }
                @if !report.by_specialist.is_empty() {
                    (specialists_table(measures, &report.by_specialist))
                }
                @if let Some(m) = by_key.get("face_to_face_employer_contacts_per_week") {
                    (measure_section(m, bar_chart(
                        "weekly-contacts",
                        "Face-to-face employer contacts per specialist, by week, with the 4-week rolling mean",
                        &m.series,
                        m.target,
                        &format!("target {}", number(m.target)),
                        &m.rolling,
                    )))
                }
                @if let Some(m) = by_key.get("days_to_first_employer_contact") {
                    (measure_section(m, days_histogram(m)))
                    @if m.clients_past_target_count > 0 {
                        p class="note" {
                            (m.clients_past_target_count) " client(s) referred in the range are past "
                            (number(m.target)) " days with no employer contact on their behalf."
                        }
                    }
                }
                @if let Some(m) = by_key.get("caseload_per_fte") {
                    (measure_section(m, bar_chart(
                        "caseload",
                        "Clients per full-time specialist",
                        &m.series,
                        m.target,
                        &format!("target {}", number(m.target)),
                        &[],
                    )))
                }
                @if !shares.is_empty() {
                    section class="measure" id="shares" {
                        h2 { "Jobs, support and disclosure (%)" }
                        (bar_chart("shares", "Shares of cases meeting each measure, against 90 %", &shares, 90.0, "90 %", &[]))
                        ol class="legend" {
                            @for p in &shares { li { (p.label) ": " (number(p.value)) } }
                        }
                    }
                }
                @for key in ["treatment_team_meetings_per_week", "work_coach_contacts_per_month"] {
                    @if let Some(m) = by_key.get(key) {
                        (measure_section(m, bar_chart(
                            key,
                            &m.label,
                            &m.series,
                            m.target,
                            &format!("target {}", number(m.target)),
                            &[],
                        )))
                    }
                }
                (funnel_section(&report.funnel))
                @if !report.outcomes.is_empty() {
                    (outcomes_table(&report.outcomes))
                }
            }
        }
    };
    page.into_string()
}

/// A page with a title and one message (refusals, errors, limits).
pub fn message_page(title: &str, message: &str) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (title) } }
            body { h1 { (title) } p { (message) } }
        }
    }
    .into_string()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1b1b}\
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1.2rem 0 .4rem}header p{color:#555;margin:0}\
table{border-collapse:collapse;width:100%;margin-top:1rem;font-size:.9rem}td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left}\
.chart{width:100%;height:auto;display:block}.bar{fill:#3b6ea8}.rolling{stroke:#d17a00;stroke-width:2.5}\
.target{stroke:#b00020;stroke-width:1.5;stroke-dasharray:6 4}.target-label{fill:#b00020;font-size:11px}.tick{fill:#444;font-size:10px}\
.anchor{display:inline-block;min-width:1.4em;text-align:center;border-radius:.7em;color:#fff;font-weight:600;font-size:.85rem}\
.a1,.a2{background:#b00020}.a3{background:#c77700}.a4,.a5{background:#2e7d32}.none{background:#888}.note{color:#b00020}\
.legend,.quarters{font-size:.85rem;color:#333}@media print{body{max-width:none}section{break-inside:avoid}}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_text_is_escaped_everywhere_it_lands() {
        let hostile = "<script>alert(1)</script>\"' &";
        let measure = FidelityMeasure {
            key: "caseload_per_fte".into(),
            label: hostile.into(),
            value: Some(12.0),
            anchor: Some(4),
            target: 20.0,
            better: Better::Lower,
            bounds: vec![],
            series: vec![SeriesPoint::new(hostile, 3.0)],
            rolling: vec![],
            clients_past_target_count: 0,
            clients_past_target: vec![],
        };
        let report = Report {
            scope: hostile.into(),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).expect("date"),
            measures: vec![measure.clone()],
            by_specialist: vec![(hostile.into(), vec![measure])],
            outcomes: vec![],
            funnel: ReferralFunnel {
                label: hostile.into(),
                from: crate::dates::Date(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")),
                to: crate::dates::Date(NaiveDate::from_ymd_opt(2026, 3, 31).expect("date")),
                total: 1,
                by_state: vec![],
                by_treatment_team: vec![],
                by_keyworker: vec![crate::fidelity::referrals::ReferralSourceCounts {
                    name: hostile.into(),
                    treatment_team_name: hostile.into(),
                    referrals: 1,
                    first_meetings: 0,
                    registered: 0,
                    not_taken_up: 0,
                }],
                median_days_to_first_meeting: None,
                registered_percent: None,
            },
        };
        let html = render(&report);
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!message_page(hostile, hostile).contains("<script>"));
    }
}
