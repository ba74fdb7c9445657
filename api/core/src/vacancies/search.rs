//! `vacancySearch`: turns the GraphQL arguments into an index query, pages the hits, and re-checks
//! every hit against the database so a vacancy deleted or changed since the index saw it is never
//! served stale.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search_index::{Filters, Near, SearchRequest, Sort, Stop};
use uuid::Uuid;

use entities::vacancy;

use super::indexer::{SearchIndex, index_day};
use super::inputs::*;
use super::model::*;
use crate::error::ApiError;
use crate::ids::{self, Kind};
use crate::limits::MAX_SEARCH_DEPTH;
use crate::pagination::Page;
use crate::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageInfo};

/// Largest radius accepted.
pub const MAX_RADIUS_KM: f64 = 500.0;

/// The cursor of the item at `offset` in a ranked list.
pub fn offset_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

/// The offset an `offset_cursor` names, read from the argument `argument`. Only positions this
/// service can hand out (below [`MAX_SEARCH_DEPTH`]) are accepted; the cursor is never repeated.
pub fn read_offset_cursor(argument: &str, cursor: &str) -> Result<usize, ApiError> {
    let bad = || ApiError::BadUserInput(format!("`{argument}` is not a cursor from this search"));
    crate::limits::check_cursor(argument, cursor)?;
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let offset: usize = text
        .strip_prefix("offset:")
        .and_then(|n| n.parse().ok())
        .ok_or_else(bad)?;
    if offset >= MAX_SEARCH_DEPTH {
        return Err(ApiError::BadUserInput(format!(
            "`{argument}` points past the first {MAX_SEARCH_DEPTH} hits; narrow the search instead"
        )));
    }
    Ok(offset)
}

/// Sets its [`Stop`] when dropped: when the request is abandoned (timed out, or the caller went
/// away) the future awaiting the search is dropped, and the search stops using CPU.
struct StopOnDrop(Stop);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Runs `request` on a blocking thread. When the calling future is dropped — the request timed
/// out (the HTTP layer then answers `TIMEOUT`) or its caller went away — the search is told to
/// stop, and gives up within a few thousand documents instead of running to the end.
pub async fn run_search(
    index: std::sync::Arc<search_index::VacancyIndex>,
    mut request: SearchRequest,
) -> Result<search_index::SearchResults, ApiError> {
    let stop = Stop::new();
    request.stop = stop.clone();
    let _guard = StopOnDrop(stop);
    tokio::task::spawn_blocking(move || index.search(&request))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// One search hit: the vacancy as the database holds it now, and how it matched.
#[derive(Clone)]
pub struct SearchHit {
    /// The vacancy.
    pub vacancy: vacancy::Model,
    /// Relevance score (higher is better; comparable within one search only).
    pub score: f64,
    /// Kilometres from the search point, when searching near one.
    pub distance_km: Option<f64>,
    /// The title, HTML-escaped, with matched words in `<b>`.
    pub title_html: String,
    /// A passage of the description, HTML-escaped, with matched words in `<b>`.
    pub description_html: String,
}

crate::stored_enum! {
    /// What a facet counts by.
    pub enum SearchFacetDimension {
        /// The employer's sector (values: `Sector` names).
        Sector = "sector",
        /// The contract type (values: `ContractType` names).
        Contract = "contract",
        /// A shift pattern (values: `ShiftPattern` names).
        Shift = "shift",
        /// A workplace feature (values: `WorkEnvironment` names).
        Environment = "environment",
        /// Where the vacancy came from (values: `DEVELOPED`, `EMPLOYER` or a feed key).
        Source = "source",
        /// The SOC 2010 major group (values: its digit).
        Soc = "soc",
    }
}

/// How many matching vacancies have one value of one dimension.
#[derive(Clone)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct SearchFacetCount {
    /// What is counted.
    pub dimension: SearchFacetDimension,
    /// The value, as the matching enum's name (or feed key, or SOC major group digit).
    pub value: String,
    /// How many matching vacancies have it.
    pub count: i64,
}

/// What a search found: a page of hits and the facet counts over every match.
pub struct SearchFound {
    /// The hits on this page.
    pub hits: Page<SearchHit>,
    /// Counts per dimension over every match.
    pub facets: Vec<SearchFacetCount>,
    /// When nothing matched: the text spelt with the closest words the index holds.
    pub did_you_mean: Option<String>,
    /// The occupations the words were read as.
    pub understood_as: Vec<OccupationReading>,
}

/// An occupation (a SOC 2010 unit group) a search's words were read as: vacancies in it rank
/// higher, and no others are left out.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct OccupationReading {
    /// The 4-digit SOC 2010 unit group.
    pub soc_code: String,
    /// The unit group's title.
    pub title: String,
    /// How sure the reading is, from 0 (barely) to 1 (the words name this group and no other).
    pub confidence: f64,
}

/// A job title from the ONS SOC 2010 coding index, offered as a person types.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct OccupationSuggestion {
    /// The job title as people write it ("Kitchen porter").
    pub title: String,
    /// The industry or setting the title codes differently in, when it does ("hospital service").
    pub qualifier: Option<String>,
    /// The 4-digit SOC 2010 unit group the title codes to.
    pub soc_code: String,
    /// The unit group's title ("Kitchen and catering assistants").
    pub group_title: String,
}

/// Most suggestions one `occupationSuggest` returns.
pub const MAX_SUGGESTIONS: i32 = 50;

/// Job titles and unit groups for `text` as a person types it (the last word may be unfinished; a
/// number lists unit groups by code). Typos of one edit are forgiven in finished words of five
/// letters or more.
pub fn suggest_occupations(
    text: &str,
    first: Option<i32>,
) -> Result<Vec<OccupationSuggestion>, ApiError> {
    crate::limits::check_text_bytes("text", text)?;
    let first = first.unwrap_or(10);
    if !(1..=MAX_SUGGESTIONS).contains(&first) {
        return Err(ApiError::BadUserInput(format!(
            "`first` must be between 1 and {MAX_SUGGESTIONS}"
        )));
    }
    Ok(search_index::occupations::occupations()
        .suggest(text, first as usize)
        .into_iter()
        .map(|s| OccupationSuggestion {
            title: s.title,
            qualifier: s.qualifier,
            soc_code: s.code,
            group_title: s.group_title,
        })
        .collect())
}

/// The arguments of one search.
pub struct SearchArgs {
    /// Free text.
    pub text: Option<String>,
    /// Conditions.
    pub filter: VacancySearchFilter,
    /// Around a point.
    pub near: Option<NearInput>,
    /// Order.
    pub sort: VacancySort,
    /// Page size.
    pub first: Option<i32>,
    /// Cursor of the hit before the page.
    pub after: Option<String>,
    /// Whether to count facet values.
    pub count_facets: bool,
}

/// The stored names of `values`, each once (a repeated value would only add index clauses).
pub(crate) fn names<T: Copy>(values: &Option<Vec<T>>, as_db: fn(T) -> &'static str) -> Vec<String> {
    let mut names: Vec<String> = values
        .iter()
        .flatten()
        .map(|v| as_db(*v).to_string())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Most `filter.sources` one search takes (each is an index clause).
pub const MAX_SOURCES: usize = 100;

/// Runs a search and re-checks its hits against the database.
pub async fn search_vacancies(
    db: &DatabaseConnection,
    search: &SearchIndex,
    args: SearchArgs,
) -> Result<SearchFound, ApiError> {
    let size = args.first.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(0..=MAX_PAGE_SIZE).contains(&size) {
        return Err(ApiError::BadUserInput(format!(
            "`first` must be between 0 and {MAX_PAGE_SIZE}"
        )));
    }
    let offset = match &args.after {
        Some(cursor) => read_offset_cursor("after", cursor)? + 1,
        None => 0,
    };
    // Hits past the depth cap are never served, so no cursor beyond it is ever handed out.
    let size = size.min((MAX_SEARCH_DEPTH - offset) as i32);
    let index = search.ready()?;
    if let Some(text) = &args.text {
        crate::limits::check_text_bytes("text", text)?;
        let words = index.word_count(text).map_err(ApiError::internal)?;
        crate::limits::check_text_words("text", words)?;
    }
    if let Some(near) = args.near {
        let valid = (-90.0..=90.0).contains(&near.latitude)
            && (-180.0..=180.0).contains(&near.longitude)
            && near.radius_km > 0.0
            && near.radius_km <= MAX_RADIUS_KM;
        if !valid {
            return Err(ApiError::BadUserInput(format!(
                "`near` needs a latitude (-90..90), a longitude (-180..180) and a radius above 0 and at most {MAX_RADIUS_KM} km"
            )));
        }
    }
    let f = &args.filter;
    let mut statuses = match &f.statuses {
        Some(list) => list.clone(),
        None => vec![VacancyStatus::Open],
    };
    statuses.sort_unstable_by_key(|s| s.as_db());
    statuses.dedup();
    let mut excluded: Vec<WorkEnvironment> = f.exclude_environments.clone().unwrap_or_default();
    excluded.sort_unstable_by_key(|e| e.as_db());
    excluded.dedup();
    let mut sources = f.sources.clone().unwrap_or_default();
    sources.sort_unstable();
    sources.dedup();
    if sources.len() > MAX_SOURCES {
        return Err(ApiError::BadUserInput(format!(
            "`filter.sources` takes at most {MAX_SOURCES} sources"
        )));
    }
    let filters = Filters {
        statuses: statuses.iter().map(|s| s.as_db().to_string()).collect(),
        contract_types: names(&f.contract_types, ContractType::as_db),
        shifts: names(&f.shifts, ShiftPattern::as_db),
        sectors: names(&f.sectors, crate::employers::model::Sector::as_db),
        sources,
        employer_id: f.employer_id.as_ref().map(|id| {
            ids::decode_as(id, Kind::Employer)
                .unwrap_or_else(Uuid::nil)
                .to_string()
        }),
        occupation_prefix: f.occupation_prefix.clone(),
        exclude_environments: excluded.iter().map(|e| e.as_db().to_string()).collect(),
        exclude_shifts: Vec::new(),
        min_hourly_pay: f.min_hourly_pay,
        hours_at_least: f.hours_per_week_at_least,
        hours_at_most: f.hours_per_week_at_most,
        posted_since: f.posted_since.map(|t| t.timestamp()),
        closing_after: f.closing_after.map(|d| index_day(d.0)),
    };
    let request = SearchRequest {
        text: args.text.unwrap_or_default(),
        filters,
        near: args.near.map(|n| Near {
            latitude: n.latitude,
            longitude: n.longitude,
            radius_km: n.radius_km,
        }),
        sort: match args.sort {
            VacancySort::Relevance => Sort::Relevance,
            VacancySort::Distance => Sort::Distance,
            VacancySort::Newest => Sort::Newest,
            VacancySort::Pay => Sort::Pay,
        },
        offset,
        limit: size as usize,
        count_facets: args.count_facets,
        stop: Stop::new(),
    };
    let results = run_search(index, request).await?;

    // The database is the truth: drop hits that are gone or no longer match.
    let hit_ids: Vec<Uuid> = results
        .hits
        .iter()
        .filter_map(|h| Uuid::parse_str(&h.id).ok())
        .collect();
    let rows: HashMap<Uuid, vacancy::Model> = vacancy::Entity::find()
        .filter(vacancy::Column::Id.is_in(hit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let status_names: Vec<&str> = statuses.iter().map(|s| s.as_db()).collect();
    let mut items = Vec::with_capacity(results.hits.len());
    for (position, hit) in results.hits.into_iter().take(size as usize).enumerate() {
        let Some(row) = Uuid::parse_str(&hit.id).ok().and_then(|id| rows.get(&id)) else {
            continue;
        };
        let still_matches = status_names.contains(&row.status.as_str())
            && !excluded
                .iter()
                .any(|e| row.environments.split(',').any(|t| t == e.as_db()));
        if !still_matches {
            continue;
        }
        items.push((
            offset_cursor(offset + position),
            SearchHit {
                vacancy: row.clone(),
                score: f64::from(hit.score),
                distance_km: hit.distance_km.map(|d| (d * 100.0).round() / 100.0),
                title_html: hit.title_html,
                description_html: hit.description_html,
            },
        ));
    }
    let info = PageInfo {
        has_next_page: offset + (size as usize) < results.total.min(MAX_SEARCH_DEPTH),
        has_previous_page: offset > 0,
        start_cursor: items.first().map(|(c, _)| c.clone()),
        end_cursor: items.last().map(|(c, _)| c.clone()),
    };
    let facets = results
        .facets
        .into_iter()
        .map(|f| {
            Ok(SearchFacetCount {
                dimension: SearchFacetDimension::from_db(&f.dimension)?,
                value: f.value,
                count: f.count as i64,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let understood_as = results
        .readings
        .iter()
        .map(|r| OccupationReading {
            title: super::service::soc_title(SocVersion::Soc2010, &r.code)
                .unwrap_or_default()
                .to_string(),
            soc_code: r.code.clone(),
            confidence: (f64::from(r.weight) * 100.0).round() / 100.0,
        })
        .collect();
    Ok(SearchFound {
        hits: Page {
            items,
            info,
            total: results.total as u64,
        },
        facets,
        did_you_mean: results.did_you_mean,
        understood_as,
    })
}

/// Whether `vacancyPosted` with `filter` and `near` announces the open vacancy `v`: the search's
/// own filters read off the vacancy ([`Filters::admits`]), and within the area (remote vacancies
/// are inside every area).
pub fn posted_matches(
    filter: &VacancyPostedFilter,
    near: Option<NearInput>,
    v: &vacancy::Model,
) -> bool {
    let filters = Filters {
        statuses: vec![VacancyStatus::Open.as_db().into()],
        contract_types: names(&filter.contract_types, ContractType::as_db),
        sectors: names(&filter.sectors, crate::employers::model::Sector::as_db),
        occupation_prefix: filter.occupation_prefix.clone(),
        ..Filters::default()
    };
    let inside = near.is_none_or(|area| {
        v.remote
            || v.latitude.zip(v.longitude).is_some_and(|at| {
                search_index::distance_km((area.latitude, area.longitude), at) <= area.radius_km
            })
    });
    inside && admits(&filters, v)
}

/// Whether a search with `filters` (and no text) would return the vacancy row `v`: the index
/// query's own conditions ([`Filters::admits`]) read off the row's index document.
pub fn admits(filters: &Filters, v: &vacancy::Model) -> bool {
    filters.admits(&super::indexer::document(v, &HashMap::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dimension_the_index_counts_has_its_name_in_the_schema() {
        for dimension in search_index::FACET_DIMENSIONS {
            assert!(
                SearchFacetDimension::from_db(dimension).is_ok(),
                "the index counts `{dimension}`, which SearchFacetDimension lacks"
            );
        }
        assert_eq!(
            SearchFacetDimension::ALL.len(),
            search_index::FACET_DIMENSIONS.len()
        );
    }

    #[test]
    fn offset_cursors_round_trip() {
        assert_eq!(
            read_offset_cursor("after", &offset_cursor(41)).expect("cursor"),
            41
        );
        assert!(read_offset_cursor("after", "garbage").is_err());
        assert!(read_offset_cursor("after", &offset_cursor(MAX_SEARCH_DEPTH - 1)).is_ok());
        assert!(read_offset_cursor("after", &offset_cursor(MAX_SEARCH_DEPTH)).is_err());
        assert!(read_offset_cursor("after", &offset_cursor(usize::MAX)).is_err());
    }
}
