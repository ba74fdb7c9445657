//! The GraphQL face of matching: `Client.matches` (suggestions for one client, with near misses on
//! request) and `Vacancy.candidates` (the caller's caseload ranked for one vacancy), both explained
//! factor by factor.

use async_graphql::{Context, Object, Result, SimpleObject};
use sea_orm::DatabaseConnection;

use entities::{client, vacancy};

use super::types::Client;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::matching::{Exclusion, MatchFactor, MatchWarning, MatchWeights, Suggestion, suggest};
use crate::vacancies::indexer::SearchIndex;
use crate::vacancies::types::Vacancy;

/// A vacancy suggested for a client, with its explained score.
#[derive(Clone)]
pub struct MatchSuggestion(pub Suggestion);

/// A vacancy suggested for a client, with its explained score.
#[Object]
impl MatchSuggestion {
    /// The vacancy.
    async fn vacancy(&self) -> Vacancy {
        Vacancy(self.0.vacancy.clone())
    }

    /// Weighted fit, 0 to 1 (the sum of the factors' contributions).
    async fn score(&self) -> f64 {
        self.0.score
    }

    /// How the score came about, factor by factor.
    async fn factors(&self) -> &[MatchFactor] {
        &self.0.factors
    }

    /// Points to talk through with the client before applying.
    async fn warnings(&self) -> &[MatchWarning] {
        &self.0.warnings
    }
}

crate::connection_types!(
    MatchSuggestionConnection,
    MatchSuggestionEdge,
    MatchSuggestion,
    "The result of `Client.matches`: a page of suggestions, best first, with the near misses and whether there was anything to match on beside them.",
    "A suggestion with its cursor.",
    {
        /// Vacancies kept out by a hard rule, with the rule (empty unless asked for).
        pub near_misses: Vec<NearMiss>,
        /// False when the client has no job preferences yet (nothing to match on).
        pub has_preferences: bool,
    }
);

/// A vacancy that matched the client's words but breaks a hard rule.
#[derive(SimpleObject)]
pub struct NearMiss {
    /// The vacancy.
    pub vacancy: Vacancy,
    /// Every rule it breaks.
    pub excluded_by: Vec<Exclusion>,
}

/// A client from the caller's caseload ranked for one vacancy.
#[derive(SimpleObject)]
pub struct CandidateMatch {
    /// The client.
    pub client: Client,
    /// Weighted fit, 0 to 1; null when a hard rule keeps them apart.
    pub score: Option<f64>,
    /// How the score came about (empty when excluded).
    pub factors: Vec<MatchFactor>,
    /// Points to talk through.
    pub warnings: Vec<MatchWarning>,
    /// The hard rules the vacancy breaks for this client (empty when it may be suggested).
    pub excluded_by: Vec<Exclusion>,
}

/// `Client.matches`.
pub async fn client_matches(
    ctx: &Context<'_>,
    client: &client::Model,
    first: Option<i32>,
    after: Option<String>,
    include_near_misses: bool,
) -> Result<MatchSuggestionConnection> {
    let db = ctx.data::<DatabaseConnection>()?;
    let search = ctx.data::<std::sync::Arc<SearchIndex>>()?;
    let weights = ctx.data::<MatchWeights>()?;
    let found = suggest::client_suggestions(
        db,
        search,
        weights,
        client,
        first,
        after.as_deref(),
        include_near_misses,
    )
    .await?;
    let page = found.suggestions.map(MatchSuggestion);
    let (edges, nodes) = MatchSuggestionConnection::split(page.items);
    Ok(MatchSuggestionConnection {
        edges,
        nodes,
        page_info: page.info,
        total_count: page.total,
        near_misses: found
            .near_misses
            .into_iter()
            .map(|n| NearMiss {
                vacancy: Vacancy(n.vacancy),
                excluded_by: n.excluded_by,
            })
            .collect(),
        has_preferences: found.has_preferences,
    })
}

/// `Vacancy.candidates`: every client the caller reaches who has preferences, best fit first,
/// those a hard rule keeps apart last (only when asked for).
pub async fn vacancy_candidates(
    db: &DatabaseConnection,
    viewer: &Viewer,
    weights: &MatchWeights,
    v: &vacancy::Model,
    first: Option<i32>,
    include_excluded: bool,
) -> Result<Vec<CandidateMatch>, ApiError> {
    Ok(
        suggest::vacancy_candidates(db, viewer, weights, v, first, include_excluded)
            .await?
            .into_iter()
            .map(|c| CandidateMatch {
                client: Client(c.client),
                score: c.score,
                factors: c.factors,
                warnings: c.warnings,
                excluded_by: c.excluded_by,
            })
            .collect(),
    )
}
