//! `fidelity(scope, from, to)`: a specialist sees their own measures, a team lead their team's and
//! each of its specialists'; admins see none (the measures list clients by name).

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, Result, SimpleObject};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entities::staff;

use super::measure::FidelityMeasure;
use super::service::{Scope, by_specialist, fidelity, holds_caseload};
use super::thresholds::Thresholds;
use crate::auth::{Role, viewer};
use crate::clients::access::ClientScope;
use crate::dates::Date;
use crate::error::ApiError;
use crate::ids::{self, Kind};

/// Whose practice to measure: one specialist, or a whole team (give one).
#[derive(InputObject)]
pub struct FidelityScopeInput {
    /// One specialist (default: yourself, as a specialist).
    pub specialist_id: Option<ID>,
    /// A team's specialists together.
    pub team_id: Option<ID>,
}

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
                measures,
            })
            .collect())
    }
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
            measures,
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
        let to = to.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
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
                .unwrap_or_else(chrono::Utc::now),
        })
    }
}

/// Whose practice a request may measure: the caller's own, or (team leads) their team's.
pub(crate) async fn resolve_scope(
    db: &DatabaseConnection,
    me: &crate::auth::Viewer,
    scope: &FidelityScopeInput,
) -> Result<Scope, ApiError> {
    let reach = ClientScope::of(me);
    match (me.role, &scope.specialist_id, &scope.team_id) {
        (Role::Admin, _, _) => Err(ApiError::Forbidden),
        (_, Some(_), Some(_)) => Err(ApiError::BadUserInput(
            "give `specialistId` or `teamId`, not both".into(),
        )),
        (Role::Specialist, None, None) => Ok(Scope {
            label: me.staff.name.clone(),
            specialists: vec![me.staff.clone()],
            reach,
        }),
        (Role::Specialist, Some(id), None) if ids::decode_as(id, Kind::Staff) == Some(me.id()) => {
            Ok(Scope {
                label: me.staff.name.clone(),
                specialists: vec![me.staff.clone()],
                reach,
            })
        }
        (Role::Specialist, _, _) => Err(ApiError::Forbidden),
        (Role::TeamLead, Some(id), None) => {
            let found = match ids::decode_as(id, Kind::Staff) {
                Some(uuid) => staff::Entity::find_by_id(uuid).one(db).await?,
                None => None,
            };
            match found {
                Some(s) if s.team_id.is_some() && s.team_id == me.staff.team_id => Ok(Scope {
                    label: s.name.clone(),
                    specialists: vec![s],
                    reach,
                }),
                _ => Err(ApiError::Forbidden),
            }
        }
        (Role::TeamLead, None, team) => {
            let team_id = match team {
                Some(id) => ids::decode_as(id, Kind::Team),
                None => me.staff.team_id,
            };
            if team_id.is_none() || team_id != me.staff.team_id {
                return Err(ApiError::Forbidden);
            }
            let team = entities::team::Entity::find_by_id(team_id.unwrap_or_default())
                .one(db)
                .await?;
            let specialists = staff::Entity::find()
                .filter(staff::Column::TeamId.eq(team_id))
                .all(db)
                .await?
                .into_iter()
                .filter(holds_caseload)
                .collect();
            Ok(Scope {
                label: team.map_or_else(|| "team".into(), |t| t.name),
                specialists,
                reach,
            })
        }
    }
}
