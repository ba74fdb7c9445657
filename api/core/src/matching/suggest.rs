//! Matching as the API pages it: one client's suggestions after a cursor (with near misses on
//! request), and the caller's caseload ranked for one vacancy.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entities::{client, vacancy};

use super::{Exclusion, MatchFactor, MatchWarning, MatchWeights, NearMiss, Suggestion, Wants};
use super::{match_client, match_one};
use crate::access::Viewer;
use crate::clients::access::ClientScope;
use crate::clients::service::{current_preferences, current_profile};
use crate::error::ApiError;
use crate::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageInfo};
use crate::vacancies::indexer::SearchIndex;
use crate::vacancies::search::{offset_cursor, read_offset_cursor};

/// One page of a client's suggestions and, when asked, the near misses.
pub struct ClientSuggestions {
    /// Suggestions on this page, best first.
    pub suggestions: Page<Suggestion>,
    /// Vacancies kept out by a hard rule, with the rule (empty unless asked for).
    pub near_misses: Vec<NearMiss>,
    /// False when the client has no job preferences yet.
    pub has_preferences: bool,
}

/// A client from the caller's caseload ranked for one vacancy.
pub struct Candidate {
    /// The client.
    pub client: client::Model,
    /// Weighted fit, 0 to 1; none when a hard rule keeps them apart.
    pub score: Option<f64>,
    /// How the score came about (empty when excluded).
    pub factors: Vec<MatchFactor>,
    /// Points to talk through.
    pub warnings: Vec<MatchWarning>,
    /// The hard rules the vacancy breaks for this client.
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

/// `Client.matches`: the page of suggestions after `after` for a client the caller reaches.
pub async fn client_suggestions(
    db: &DatabaseConnection,
    search: &SearchIndex,
    weights: &MatchWeights,
    client: &client::Model,
    first: Option<i32>,
    after: Option<&str>,
    include_near_misses: bool,
) -> Result<ClientSuggestions, ApiError> {
    let (offset, size) = page_bounds(first, after)?;
    let Some(prefs) = current_preferences(db, client.id).await? else {
        return Ok(ClientSuggestions {
            suggestions: Page {
                items: vec![],
                info: PageInfo::default(),
                total: 0,
            },
            near_misses: vec![],
            has_preferences: false,
        });
    };
    let profile = current_profile(db, client.id).await?;
    let wants = Wants::new(prefs, profile.as_ref());
    let today = crate::clock::today();
    let index = search.ready()?;
    let matches = match_client(db, &index, &wants, weights, include_near_misses, today).await?;
    let total = matches.suggestions.len();
    let items: Vec<(String, Suggestion)> = matches
        .suggestions
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(size)
        .map(|(at, s)| (offset_cursor(at), s))
        .collect();
    let info = PageInfo {
        has_next_page: offset + size < total,
        has_previous_page: offset > 0,
        start_cursor: items.first().map(|(c, _)| c.clone()),
        end_cursor: items.last().map(|(c, _)| c.clone()),
    };
    Ok(ClientSuggestions {
        suggestions: Page {
            items,
            info,
            total: total as u64,
        },
        near_misses: matches.near_misses,
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
) -> Result<Vec<Candidate>, ApiError> {
    let (_, size) = page_bounds(first, None)?;
    let employer = match v.employer_id {
        Some(id) => crate::employers::service::find_employer(db, id).await?,
        None => None,
    };
    let clients = ClientScope::of(viewer)
        .apply(client::Entity::find())
        .filter(client::Column::Status.ne("DISCHARGED"))
        .all(db)
        .await?;
    let today = crate::clock::today();
    let mut out = Vec::new();
    for c in clients {
        let Some(prefs) = current_preferences(db, c.id).await? else {
            continue;
        };
        let profile = current_profile(db, c.id).await?;
        let wants = Wants::new(prefs, profile.as_ref());
        match match_one(&wants, v, employer.as_ref(), weights, today) {
            Ok(s) => out.push(Candidate {
                client: c,
                score: Some(s.score),
                factors: s.factors,
                warnings: s.warnings,
                excluded_by: vec![],
            }),
            Err(excluded_by) if include_excluded => out.push(Candidate {
                client: c,
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
            .then_with(|| a.client.name_key.cmp(&b.client.name_key))
    });
    out.truncate(size);
    Ok(out)
}
