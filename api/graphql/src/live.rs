//! Live updates over WebSocket (`graphql-transport-ws`). Every subscription is fed from the change
//! log as this process's index follower applies it, so a change written through any replica
//! reaches subscribers on every replica, and a subscriber told of a vacancy can already search for
//! it. Staff hear of vacancies posted near a place and of new top matches for a caseload client.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Result, SimpleObject, Subscription};
use futures_util::{Stream, StreamExt as _};
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::error::RecvError;

use entities::change_log;

use crate::auth::viewer;
use crate::clients::service::{current_preferences, current_profile};
use crate::clients::suggestions::MatchSuggestion;
use crate::clients::types::Client;
use crate::employers::model::Sector;
use crate::error::ApiError;
use crate::ids::{self, Kind};
use crate::matching::{MatchWeights, Wants, match_client, match_one};
use crate::vacancies::indexer::SearchIndex;
use crate::vacancies::model::{ContractType, VacancyStatus};
use crate::vacancies::types::Vacancy;

/// Every change-log row this process applies from now on. A subscriber that falls more than the
/// channel's capacity behind skips the rows it missed (and a warning is logged).
pub fn changes(search: &SearchIndex) -> impl Stream<Item = Arc<change_log::Model>> + use<> {
    futures_util::stream::unfold(search.subscribe(), |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(row) => return Some((row, receiver)),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "a subscriber fell behind the change log");
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

/// The vacancies a change row is about, now: open vacancies only.
async fn open_vacancy(
    db: &DatabaseConnection,
    row: &change_log::Model,
) -> Option<entities::vacancy::Model> {
    if row.entity != crate::vacancies::service::ENTITY {
        return None;
    }
    crate::vacancies::service::find_vacancy(db, row.entity_id)
        .await
        .ok()?
        .filter(|v| v.status == VacancyStatus::Open.as_db())
}

/// A point and a radius.
#[derive(InputObject, Clone, Copy)]
pub struct AreaInput {
    /// Latitude in degrees (WGS84).
    pub latitude: f64,
    /// Longitude in degrees (WGS84).
    pub longitude: f64,
    /// Radius in kilometres (at most 500).
    pub radius_km: f64,
}

/// Narrows `vacancyPosted`.
#[derive(InputObject, Default)]
pub struct VacancyPostedFilter {
    /// Only vacancies whose SOC code starts with these digits.
    pub occupation_prefix: Option<String>,
    /// Only these contract types.
    pub contract_types: Option<Vec<ContractType>>,
    /// Only these sectors.
    pub sectors: Option<Vec<Sector>>,
}

/// A vacancy that now ranks among a client's top matches.
#[derive(SimpleObject)]
pub struct MatchChange {
    /// The client.
    pub client: Client,
    /// The vacancy's place among the client's suggestions, from 1.
    pub rank: i32,
    /// The suggestion, explained.
    pub suggestion: MatchSuggestion,
}

/// Live updates for staff.
#[derive(Default)]
pub struct StaffSubscription;

/// Live updates for staff, over WebSocket (`graphql-transport-ws`).
#[Subscription(name = "Subscription")]
impl StaffSubscription {
    /// Vacancies that open from now on (within an area, when given), once searchable.
    async fn vacancy_posted(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only vacancies within this area (remote vacancies always count).")]
        near: Option<AreaInput>,
        #[graphql(desc = "Which vacancies.")] filter: Option<VacancyPostedFilter>,
    ) -> Result<impl Stream<Item = Vacancy> + use<>> {
        viewer(ctx)?;
        if let Some(area) = near
            && !(area.radius_km > 0.0 && area.radius_km <= 500.0)
        {
            return Err(ApiError::BadUserInput(
                "`near.radiusKm` must be more than 0 and at most 500".into(),
            )
            .into());
        }
        let db = ctx.data::<DatabaseConnection>()?.clone();
        let search = ctx.data::<Arc<SearchIndex>>()?;
        let filter = Arc::new(filter.unwrap_or_default());
        let announced = Arc::new(std::sync::Mutex::new(HashSet::new()));
        Ok(changes(search).filter_map(move |row| {
            let (db, filter, announced) = (db.clone(), filter.clone(), announced.clone());
            async move {
                let v = open_vacancy(&db, &row).await?;
                let inside = match near {
                    None => true,
                    Some(area) => {
                        v.remote
                            || v.latitude.zip(v.longitude).is_some_and(|at| {
                                search_index::distance_km((area.latitude, area.longitude), at)
                                    <= area.radius_km
                            })
                    }
                };
                let wanted = inside
                    && filter.occupation_prefix.as_ref().is_none_or(|p| {
                        v.soc_code.as_ref().is_some_and(|c| c.starts_with(p.trim()))
                    })
                    && filter
                        .contract_types
                        .as_ref()
                        .is_none_or(|c| c.iter().any(|c| c.as_db() == v.contract_type))
                    && filter
                        .sectors
                        .as_ref()
                        .is_none_or(|s| s.iter().any(|s| Some(s.as_db()) == v.sector.as_deref()));
                // Each vacancy once, however often it changes while open.
                let first_time = announced.lock().is_ok_and(|mut seen| seen.insert(v.id));
                (wanted && first_time).then_some(Vacancy(v))
            }
        }))
    }

    /// Vacancies that, as they open or change, rank among the client's top matches. Only for a
    /// client within your reach; any other id is refused as `no such client`. Costs as much as
    /// `Client.matches`: each change runs the client's matching again.
    #[graphql(complexity = "crate::limits::MATCHES_COST + child_complexity")]
    async fn matches_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client.")] client_id: ID,
        #[graphql(
            desc = "How many top matches count (1 to 50, default 10).",
            default = 10
        )]
        top: i32,
    ) -> Result<impl Stream<Item = MatchChange> + use<>> {
        let me = viewer(ctx)?.clone();
        if !(1..=50).contains(&top) {
            return Err(ApiError::BadUserInput("`top` must be 1 to 50".into()).into());
        }
        let db = ctx.data::<DatabaseConnection>()?.clone();
        let client = match ids::decode_as(&client_id, Kind::Client) {
            Some(id) => crate::clients::access::find_client(&db, &me, id).await?,
            None => None,
        }
        .ok_or_else(|| ApiError::BadUserInput("no such client".into()))?;
        let search = ctx.data::<Arc<SearchIndex>>()?.clone();
        let weights = ctx.data::<MatchWeights>()?.clone();
        Ok(changes(&search).filter_map(move |row| {
            let (db, search, weights, client, me) = (
                db.clone(),
                search.clone(),
                weights.clone(),
                client.clone(),
                me.clone(),
            );
            async move {
                let v = open_vacancy(&db, &row).await?;
                // Still within reach (a caseload can change while subscribed).
                crate::clients::access::find_client(&db, &me, client.id)
                    .await
                    .ok()??;
                let prefs = current_preferences(&db, client.id).await.ok()??;
                let profile = current_profile(&db, client.id).await.ok()?;
                let wants = Wants::new(prefs, profile.as_ref());
                let today = chrono::Utc::now().date_naive();
                let employer = match v.employer_id {
                    Some(id) => crate::employers::service::find_employer(&db, id)
                        .await
                        .ok()?,
                    None => None,
                };
                // Cheap test first: a vacancy a hard rule keeps apart never ranks.
                match_one(&wants, &v, employer.as_ref(), &weights, today).ok()?;
                let index = search.ready().ok()?;
                let matches = match_client(&db, &index, &wants, &weights, false, today)
                    .await
                    .ok()?;
                let (rank, suggestion) = matches
                    .suggestions
                    .into_iter()
                    .take(top as usize)
                    .enumerate()
                    .find(|(_, s)| s.vacancy.id == v.id)?;
                Some(MatchChange {
                    client: Client(client),
                    rank: rank as i32 + 1,
                    suggestion: MatchSuggestion(suggestion),
                })
            }
        }))
    }
}
