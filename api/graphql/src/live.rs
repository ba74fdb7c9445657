//! Live updates over WebSocket (`graphql-transport-ws`). Every subscription is fed from the change
//! log as this process's index follower applies it, so a change written through any replica
//! reaches subscribers on every replica, and a subscriber told of a vacancy can already search for
//! it. Staff hear of vacancies posted near a place and of new top matches for a caseload client.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::{Context, ID, Result, SimpleObject, Subscription};
use futures_util::{Stream, StreamExt as _};
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::error::RecvError;

use entities::change_log;

use crate::auth::viewer;
use crate::clients::suggestions::MatchSuggestion;
use crate::clients::types::Client;
use crate::error::ApiError;
use crate::ids::{self, Kind};
use crate::matching::MatchWeights;
use crate::matching::watch::TopWatch;
use crate::vacancies::indexer::SearchIndex;
use crate::vacancies::model::VacancyStatus;
use crate::vacancies::types::Vacancy;

/// Every change-log row this process applies from now on (rows a subscriber missed by falling
/// behind are skipped; see [`changes_with_gaps`]).
pub fn changes(search: &SearchIndex) -> impl Stream<Item = Arc<change_log::Model>> + use<> {
    changes_with_gaps(search).filter_map(std::future::ready)
}

/// Every change-log row this process applies from now on, and `None` where a subscriber fell more
/// than the channel's capacity behind and missed rows (a warning is logged), so a subscriber that
/// remembers anything can forget it.
fn changes_with_gaps(
    search: &SearchIndex,
) -> impl Stream<Item = Option<Arc<change_log::Model>>> + use<> {
    futures_util::stream::unfold(search.subscribe(), |mut receiver| async move {
        match receiver.recv().await {
            Ok(row) => Some((Some(row), receiver)),
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "a subscriber fell behind the change log");
                Some((None, receiver))
            }
            Err(RecvError::Closed) => None,
        }
    })
}

/// Logs a failure inside a subscription (ids only) and treats the event as not for the subscriber.
pub(crate) fn logged<T>(what: &'static str, result: Result<T, ApiError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(err) => {
            match &err {
                ApiError::Internal(cause) => {
                    tracing::warn!(
                        subscription = what,
                        error = format!("{cause:#}"),
                        "a subscription event failed"
                    )
                }
                other => tracing::warn!(
                    subscription = what,
                    code = other.code(),
                    "a subscription event failed"
                ),
            }
            None
        }
    }
}

/// The vacancies a change row is about, now: open vacancies only.
async fn open_vacancy(
    db: &DatabaseConnection,
    row: &change_log::Model,
) -> Option<entities::vacancy::Model> {
    if row.entity != crate::vacancies::service::ENTITY {
        return None;
    }
    logged(
        "vacancyPosted",
        crate::vacancies::service::find_vacancy(db, row.entity_id).await,
    )?
    .filter(|v| v.status == VacancyStatus::Open.as_db())
}

pub use crate::vacancies::inputs::{NearInput, VacancyPostedFilter};

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
        near: Option<NearInput>,
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
                let wanted = crate::vacancies::search::posted_matches(&filter, near, &v);
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
        let watch = Arc::new(tokio::sync::Mutex::new(TopWatch::new(
            me,
            client.id,
            top as usize,
            weights,
        )));
        Ok(changes_with_gaps(&search).filter_map(move |row| {
            let (db, search, client, watch) =
                (db.clone(), search.clone(), client.clone(), watch.clone());
            async move {
                let mut watch = watch.lock().await;
                let Some(row) = row else {
                    watch.forget();
                    return None;
                };
                if row.entity != crate::vacancies::service::ENTITY {
                    // An employer's change can move its vacancies' scores.
                    watch.forget();
                    return None;
                }
                let (rank, suggestion) = logged(
                    "matchesChanged",
                    watch.on_vacancy_change(&db, &search, row.entity_id).await,
                )??;
                Some(MatchChange {
                    client: Client(client),
                    rank: rank as i32,
                    suggestion: MatchSuggestion(suggestion),
                })
            }
        }))
    }
}
