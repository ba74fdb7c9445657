//! `fidelity(scope, from, to)`: a specialist sees their own measures, a team lead their team's and
//! each of its specialists'; admins see none (the measures list clients by name).

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};
use sea_orm::DatabaseConnection;

use super::inputs::FidelityScopeInput;
use super::measure::SeriesPoint;
use super::outcomes::{OutcomeDefinition, OutcomeReport, OutcomeSplit, outcomes};
use super::service::{Scope, by_specialist, fidelity, resolve_scope};
use super::thresholds::{Better, Thresholds};
use crate::auth::viewer;
use crate::dates::Date;
use crate::error::ApiError;

/// Fidelity measures for a scope and date range.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct FidelityReport {
    /// Who is measured.
    pub scope: String,
    /// First day of the range.
    pub from: Date,
    /// Last day of the range.
    pub to: Date,
    /// Each measure with its value, anchor, thresholds and series.
    pub measures: Vec<FidelityMeasure>,
    /// The specialists measured and the caller's reach, for `bySpecialist`.
    #[graphql(skip)]
    pub measured: Scope,
}

/// One specialist's own measures within a team's report.
#[derive(SimpleObject)]
pub struct SpecialistFidelity {
    /// The specialist.
    pub specialist: crate::staff::types::Staff,
    /// Their measures over the same range.
    pub measures: Vec<FidelityMeasure>,
}

#[ComplexObject]
impl FidelityReport {
    /// Each specialist's own measures over the same range, in name order (a team's report; empty
    /// for one specialist). Computed only when asked for: one computation per specialist.
    #[graphql(complexity = "crate::limits::BY_SPECIALIST_COST.saturating_add(child_complexity)")]
    async fn by_specialist(&self, ctx: &Context<'_>) -> Result<Vec<SpecialistFidelity>> {
        let rows = by_specialist(
            ctx.data::<DatabaseConnection>()?,
            ctx.data::<Thresholds>()?,
            &self.measured,
            self.from.0,
            self.to.0,
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|(specialist, measures)| SpecialistFidelity {
                specialist: crate::staff::types::Staff(specialist),
                measures: measure_objects(measures),
            })
            .collect())
    }
}

/// One fidelity measure.
pub struct FidelityMeasure(pub super::measure::FidelityMeasure);

/// One fidelity measure.
#[Object]
impl FidelityMeasure {
    /// Which measure (stable; the thresholds file and the printable report use its lower-case
    /// name, e.g. `caseload_per_fte`).
    async fn key(&self) -> Result<super::thresholds::MeasureKey> {
        Ok(super::thresholds::MeasureKey::from_db(&self.0.key)?)
    }

    /// What it measures, for a person.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// The value over the scope and range; null when there is nothing to measure.
    async fn value(&self) -> Option<f64> {
        self.0.value
    }

    /// The fidelity-scale anchor it reaches (1 to 5); null with no value.
    async fn anchor(&self) -> Option<i32> {
        self.0.anchor
    }

    /// The level good practice aims for.
    async fn target(&self) -> f64 {
        self.0.target
    }

    /// Which way is better.
    async fn better(&self) -> Better {
        self.0.better
    }

    /// The four bounds between anchors 1–2, 2–3, 3–4 and 4–5 (from configuration).
    async fn bounds(&self) -> &Vec<f64> {
        &self.0.bounds
    }

    /// The numbers behind the value.
    async fn series(&self) -> &Vec<SeriesPoint> {
        &self.0.series
    }

    /// A second series where the measure has one (the 4-week rolling mean of weekly contacts).
    async fn rolling(&self) -> &Vec<SeriesPoint> {
        &self.0.rolling
    }

    /// How many clients referred in the range are past the target with no face-to-face employer
    /// contact on their behalf yet (days-to-first-contact only; 0 for other measures), counted by
    /// assignment history whether or not you reach them now.
    async fn clients_past_target_count(&self) -> i32 {
        self.0.clients_past_target_count
    }

    /// Clients referred in the range who are past the target with no face-to-face employer contact
    /// on their behalf yet (days-to-first-contact only) — those you reach now; the count of all of
    /// them is `clientsPastTargetCount`.
    async fn clients_past_target(&self) -> Vec<crate::clients::types::Client> {
        self.0
            .clients_past_target
            .iter()
            .cloned()
            .map(crate::clients::types::Client)
            .collect()
    }
}

/// The API's view of each measure.
pub fn measure_objects(measures: Vec<super::measure::FidelityMeasure>) -> Vec<FidelityMeasure> {
    measures.into_iter().map(FidelityMeasure).collect()
}

/// Which printable report a link opens.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// The fidelity report (`/reports/fidelity`, HTML).
    Fidelity,
    /// The IPS Grow quarterly export (`/reports/ips-grow.csv`).
    IpsGrow,
}

impl ReportKind {
    fn path(self) -> &'static str {
        match self {
            ReportKind::Fidelity => "/reports/fidelity",
            ReportKind::IpsGrow => "/reports/ips-grow.csv",
        }
    }
}

/// A link that opens one report in a browser for a short while.
#[derive(SimpleObject)]
pub struct ReportLink {
    /// The path and query to open on this server (`/reports/fidelity?link=…`).
    pub url: String,
    /// When the link stops opening the report (ten minutes from now).
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Fidelity queries.
#[derive(Default)]
pub struct FidelityQuery;

#[Object]
impl FidelityQuery {
    /// IPS fidelity measures, computed now from the records, for a specialist or a team over a
    /// date range (at most two years).
    #[graphql(complexity = "crate::limits::FIDELITY_COST.saturating_add(child_complexity)")]
    async fn fidelity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose practice.")] scope: FidelityScopeInput,
        #[graphql(desc = "First day.")] from: Date,
        #[graphql(desc = "Last day.")] to: Date,
    ) -> Result<FidelityReport> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let thresholds = ctx.data::<Thresholds>()?;
        if from.0 > to.0 || (to.0 - from.0).num_days() > 731 {
            return Err(ApiError::BadUserInput(
                "`from` must not be after `to`, and the range at most two years".into(),
            )
            .into());
        }
        let scope = resolve_scope(db, me, &scope).await?;
        let measures = fidelity(db, thresholds, &scope, from.0, to.0).await?;
        Ok(FidelityReport {
            scope: scope.label.clone(),
            from,
            to,
            measures: measure_objects(measures),
            measured: scope,
        })
    }

    /// A link that opens one printable report (for this scope and range only) in a browser for
    /// ten minutes, without an API token in the address. Default range: the twelve weeks to today.
    async fn report_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which report.")] report: ReportKind,
        #[graphql(desc = "Whose practice.")] scope: FidelityScopeInput,
        #[graphql(desc = "First day.")] from: Option<Date>,
        #[graphql(desc = "Last day.")] to: Option<Date>,
    ) -> Result<ReportLink> {
        Self::link(ctx, report, scope, from, to).await
    }
}

impl FidelityQuery {
    async fn link(
        ctx: &Context<'_>,
        report: ReportKind,
        scope: FidelityScopeInput,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<ReportLink> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let to = to.map_or_else(ipsmatch_core::clock::today, |d| d.0);
        let from = from.map_or(to - chrono::Duration::weeks(12), |d| d.0);
        if from > to || (to - from).num_days() > 731 {
            return Err(ApiError::BadUserInput(
                "`from` must not be after `to`, and the range at most two years".into(),
            )
            .into());
        }
        // Only a link to what the caller may see now.
        resolve_scope(db, me, &scope).await?;
        let keys = ctx.data::<std::sync::Arc<crate::report_link::LinkKey>>()?;
        let linked = crate::report_link::LinkedReport {
            path: report.path().into(),
            specialist_id: scope.specialist_id.map(|id| id.to_string()),
            team_id: scope.team_id.map(|id| id.to_string()),
            from,
            to,
        };
        let (token, expires) = keys.sign(me.id(), linked).map_err(ApiError::internal)?;
        Ok(ReportLink {
            url: format!("{}?link={token}", report.path()),
            expires_at: chrono::DateTime::from_timestamp(expires as i64, 0)
                .unwrap_or_else(ipsmatch_core::clock::now),
        })
    }
}

/// `outcomes` on the staff schema.
#[derive(Default)]
pub struct OutcomeQuery;

#[Object]
impl OutcomeQuery {
    /// An outcome under a named definition for a specialist or a team over a date range (at most
    /// two years), optionally split; groups under 5 people show as "<5".
    #[graphql(complexity = "crate::limits::OUTCOMES_COST.saturating_add(child_complexity)")]
    async fn outcomes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose clients.")] scope: FidelityScopeInput,
        #[graphql(desc = "First day.")] from: Date,
        #[graphql(desc = "Last day.")] to: Date,
        #[graphql(desc = "Which outcome definition.")] definition: OutcomeDefinition,
        #[graphql(desc = "How to split (substance group: team leads only).")] split_by: Option<
            OutcomeSplit,
        >,
    ) -> Result<OutcomeReport> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        if from.0 > to.0 || (to.0 - from.0).num_days() > 731 {
            return Err(ApiError::BadUserInput(
                "`from` must not be after `to`, and the range at most two years".into(),
            )
            .into());
        }
        let resolved = resolve_scope(db, me, &scope).await?;
        let computed = outcomes(db, me, &resolved, definition, split_by, from.0, to.0).await?;
        Ok(OutcomeReport {
            definition,
            description: definition.describe().into(),
            scope: resolved.label,
            from,
            to,
            total: computed.total,
            groups: computed.groups,
            by_quarter: computed.by_quarter,
        })
    }
}
