//! The GraphQL face of matching: `Client.matches` (suggestions for one client, with near misses on
//! request) and `Vacancy.candidates` (the caller's caseload ranked for one vacancy), both explained
//! factor by factor.

use async_graphql::{Context, Object, Result, SimpleObject};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entities::{client, employer, vacancy};

use super::access::ClientScope;
use super::matching::{
    Exclusion, MatchFactor, MatchWarning, MatchWeights, Suggestion, Wants, match_client, match_one,
};
use super::service::{current_preferences, current_profile};
use super::types::Client;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageInfo};
use crate::vacancies::indexer::SearchIndex;
use crate::vacancies::search::{offset_cursor, read_offset_cursor};
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
    "A page of suggestions, best first.",
    "A suggestion with its cursor."
);

/// A vacancy that matched the client's words but breaks a hard rule.
#[derive(SimpleObject)]
pub struct NearMiss {
    /// The vacancy.
    pub vacancy: Vacancy,
    /// Every rule it breaks.
    pub excluded_by: Vec<Exclusion>,
}

/// Suggestions for a client and, when asked, the near misses.
#[derive(SimpleObject)]
pub struct ClientMatches {
    /// Suggestions, best first.
    pub suggestions: MatchSuggestionConnection,
    /// Vacancies kept out by a hard rule, with the rule (empty unless asked for).
    pub near_misses: Vec<NearMiss>,
    /// False when the client has no job preferences yet (nothing to match on).
    pub has_preferences: bool,
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

fn page_bounds(first: Option<i32>, after: Option<&str>) -> Result<(usize, usize), ApiError> {
    let size = first.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(0..=MAX_PAGE_SIZE).contains(&size) {
        return Err(ApiError::BadUserInput(format!(
            "`first` must be between 0 and {MAX_PAGE_SIZE}"
        )));
    }
    let offset = match after {
        Some(cursor) => read_offset_cursor("after", cursor)? + 1,
        None => 0,
    };
    Ok((offset, size as usize))
}

/// `Client.matches`.
pub async fn client_matches(
    ctx: &Context<'_>,
    client: &client::Model,
    first: Option<i32>,
    after: Option<String>,
    include_near_misses: bool,
) -> Result<ClientMatches> {
    let (offset, size) = page_bounds(first, after.as_deref())?;
    let db = ctx.data::<DatabaseConnection>()?;
    let search = ctx.data::<std::sync::Arc<SearchIndex>>()?;
    let weights = ctx.data::<MatchWeights>()?;
    let Some(prefs) = current_preferences(db, client.id).await? else {
        return Ok(ClientMatches {
            suggestions: Page {
                items: vec![],
                info: PageInfo::default(),
                total: 0,
            }
            .into(),
            near_misses: vec![],
            has_preferences: false,
        });
    };
    let profile = current_profile(db, client.id).await?;
    let wants = Wants::new(prefs, profile.as_ref());
    let today = chrono::Utc::now().date_naive();
    let index = search.ready()?;
    let matches = match_client(db, &index, &wants, weights, include_near_misses, today).await?;
    let total = matches.suggestions.len();
    let items: Vec<(String, MatchSuggestion)> = matches
        .suggestions
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(size)
        .map(|(at, s)| (offset_cursor(at), MatchSuggestion(s)))
        .collect();
    let info = PageInfo {
        has_next_page: offset + size < total,
        has_previous_page: offset > 0,
        start_cursor: items.first().map(|(c, _)| c.clone()),
        end_cursor: items.last().map(|(c, _)| c.clone()),
    };
    Ok(ClientMatches {
        suggestions: Page {
            items,
            info,
            total: total as u64,
        }
        .into(),
        near_misses: matches
            .near_misses
            .into_iter()
            .map(|n| NearMiss {
                vacancy: Vacancy(n.vacancy),
                excluded_by: n.excluded_by,
            })
            .collect(),
        has_preferences: true,
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
    let (_, size) = page_bounds(first, None)?;
    let employer = match v.employer_id {
        Some(id) => employer::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let clients = ClientScope::of(viewer)
        .apply(client::Entity::find())
        .filter(client::Column::Status.ne("DISCHARGED"))
        .all(db)
        .await?;
    let today = chrono::Utc::now().date_naive();
    let mut out = Vec::new();
    for c in clients {
        let Some(prefs) = current_preferences(db, c.id).await? else {
            continue;
        };
        let profile = current_profile(db, c.id).await?;
        let wants = Wants::new(prefs, profile.as_ref());
        match match_one(&wants, v, employer.as_ref(), weights, today) {
            Ok(s) => out.push(CandidateMatch {
                client: Client(c),
                score: Some(s.score),
                factors: s.factors,
                warnings: s.warnings,
                excluded_by: vec![],
            }),
            Err(excluded_by) if include_excluded => out.push(CandidateMatch {
                client: Client(c),
                score: None,
                factors: vec![],
                warnings: vec![],
                excluded_by,
            }),
            Err(_) => {}
        }
    }
    out.sort_by(|a, b| {
        b.score
            .unwrap_or(-1.0)
            .total_cmp(&a.score.unwrap_or(-1.0))
            .then_with(|| a.client.0.name_key.cmp(&b.client.0.name_key))
    });
    out.truncate(size);
    Ok(out)
}
