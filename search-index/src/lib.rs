//! The vacancy search index: a tantivy wrapper that knows nothing of the database. The service turns
//! vacancy rows into [`VacancyDoc`]s, applies them here in change-log order, and commits with the
//! last applied sequence as the commit payload, so a restart knows where to catch up from.
//!
//! Free text is never parsed as a query language: it is split into words by the index's own
//! tokenizer, so no input can fail. Each word matches exactly (ranked first) or, for longer words,
//! within one or two edits (`warehose` finds `warehouse`). At most [`MAX_WORDS`] words are searched,
//! and a search can be told to give up ([`Stop`]).

mod facets;
mod radius;
mod schema;
mod stop;

pub use stop::Stop;

use std::path::Path;
use std::sync::{Arc, Mutex};

use std::ops::Bound;

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher,
    SegmentReader, TantivyDocument, Term,
};

use facets::FacetCounter;
use radius::WithinRadius;
use stop::Stoppable;

use schema::Fields;

/// Errors from the search index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed to open, read or write the index.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index folder could not be created.
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    /// The index writer lock was poisoned by a panic elsewhere.
    #[error("search index writer is unusable after a panic")]
    WriterPoisoned,
    /// The search was told to stop (its [`Stop`] was set or its deadline passed).
    #[error("search stopped before it finished")]
    Stopped,
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Memory the one index writer may use before it flushes a segment.
const WRITER_MEMORY_BYTES: usize = 50_000_000;
/// English words too common to narrow a job search.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of",
    "on", "or", "the", "to", "with", "job", "jobs", "work", "working",
];
/// Words shorter than this must match exactly.
const FUZZY_MIN_LEN: usize = 4;
/// Words at least this long may be two edits away; shorter ones one.
const TWO_EDITS_MIN_LEN: usize = 8;
/// Most distinct words of a text that are searched (after little words are dropped); the rest are
/// ignored. Each word costs up to three typo automata, so this bounds the work of one search.
pub const MAX_WORDS: usize = 32;

/// One vacancy as the index sees it. Text is searched; the rest filters, sorts and counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VacancyDoc {
    /// The vacancy's id (the database key, as text).
    pub id: String,
    /// Job title (ranked above everything else).
    pub title: String,
    /// What the job involves.
    pub description: String,
    /// Skills asked for.
    pub skills: String,
    /// The hiring organisation's name.
    pub employer_name: String,
    /// The employer record's id, when there is one.
    pub employer_id: Option<String>,
    /// Status as stored (`OPEN`, …).
    pub status: String,
    /// Contract type as stored.
    pub contract_type: String,
    /// Shift patterns as stored.
    pub shifts: Vec<String>,
    /// SIC section as stored.
    pub sector: Option<String>,
    /// Source as stored (`DEVELOPED`, `EMPLOYER` or a feed key).
    pub source: String,
    /// 4-digit SOC unit group.
    pub soc_code: Option<String>,
    /// Workplace features as stored (`ALCOHOL_SERVED`, …).
    pub environments: Vec<String>,
    /// Lowest pay in pounds an hour.
    pub pay_min_hourly: Option<f64>,
    /// Highest pay in pounds an hour.
    pub pay_max_hourly: Option<f64>,
    /// Fewest hours a week.
    pub hours_min: Option<f64>,
    /// Most hours a week.
    pub hours_max: Option<f64>,
    /// When it first opened, in seconds since the Unix epoch.
    pub posted_at: Option<i64>,
    /// Last day to apply, in days since the Unix epoch.
    pub closing_day: Option<i64>,
    /// Latitude in degrees.
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    pub longitude: Option<f64>,
}

/// Conditions every hit must meet.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Only these statuses (empty: any).
    pub statuses: Vec<String>,
    /// Only these contract types (empty: any).
    pub contract_types: Vec<String>,
    /// Only vacancies with any of these shift patterns (empty: any).
    pub shifts: Vec<String>,
    /// Only these sectors (empty: any).
    pub sectors: Vec<String>,
    /// Only these sources (empty: any).
    pub sources: Vec<String>,
    /// Only this employer's vacancies.
    pub employer_id: Option<String>,
    /// Only occupations whose SOC code starts with these digits.
    pub occupation_prefix: Option<String>,
    /// Never return a vacancy with any of these workplace features.
    pub exclude_environments: Vec<String>,
    /// Never return a vacancy with any of these shift patterns.
    pub exclude_shifts: Vec<String>,
    /// Only vacancies that may pay at least this much an hour.
    pub min_hourly_pay: Option<f64>,
    /// Only vacancies offering at least this many hours a week.
    pub hours_at_least: Option<f64>,
    /// Only vacancies that can be done in at most this many hours a week.
    pub hours_at_most: Option<f64>,
    /// Only vacancies opened at or after this moment (seconds since the epoch).
    pub posted_since: Option<i64>,
    /// Only vacancies closing on or after this day (days since the epoch), or never.
    pub closing_after: Option<i64>,
}

impl Filters {
    /// Whether a search with these filters (and no text) would return `doc`: the same conditions
    /// as the index query, read off one document. Subscriptions test each changed vacancy with
    /// this, so a subscription and a search with the same filters agree.
    pub fn admits(&self, doc: &VacancyDoc) -> bool {
        let one_of =
            |wanted: &[String], value: &str| wanted.is_empty() || wanted.iter().any(|w| w == value);
        let any_of = |wanted: &[String], values: &[String]| {
            wanted.is_empty() || values.iter().any(|v| wanted.contains(v))
        };
        let at_least = |value: Option<f64>, bound: Option<f64>| {
            bound.is_none_or(|b| value.is_some_and(|v| v >= b))
        };
        let occupation = self
            .occupation_prefix
            .as_deref()
            .map(schema::soc_digits)
            .filter(|digits| !digits.is_empty())
            .is_none_or(|digits| {
                doc.soc_code
                    .as_deref()
                    .is_some_and(|code| schema::soc_digits(code).starts_with(&digits))
            });
        one_of(&self.statuses, &doc.status)
            && one_of(&self.contract_types, &doc.contract_type)
            && any_of(&self.shifts, &doc.shifts)
            && (self.sectors.is_empty()
                || doc
                    .sector
                    .as_ref()
                    .is_some_and(|s| self.sectors.contains(s)))
            && one_of(&self.sources, &doc.source)
            && self
                .employer_id
                .as_ref()
                .is_none_or(|e| doc.employer_id.as_ref() == Some(e))
            && occupation
            && !doc
                .environments
                .iter()
                .any(|e| self.exclude_environments.contains(e))
            && !doc.shifts.iter().any(|s| self.exclude_shifts.contains(s))
            && at_least(doc.pay_max_hourly, self.min_hourly_pay)
            && at_least(doc.hours_max, self.hours_at_least)
            && self
                .hours_at_most
                .is_none_or(|h| doc.hours_min.is_some_and(|min| min <= h))
            && self
                .posted_since
                .is_none_or(|since| doc.posted_at.is_some_and(|at| at >= since))
            && self
                .closing_after
                .is_none_or(|day| doc.closing_day.unwrap_or(schema::NO_CLOSING_DAY) >= day)
    }
}

/// A point and a radius.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Near {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// Radius in kilometres.
    pub radius_km: f64,
}

/// The order of hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Nearest first (needs `near`; relevance otherwise).
    Distance,
    /// Most recently opened first.
    Newest,
    /// Best paid first.
    Pay,
}

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// Free text, as a person typed it.
    pub text: String,
    /// Conditions on every hit.
    pub filters: Filters,
    /// Only vacancies within a radius of a point; hits then carry their distance.
    pub near: Option<Near>,
    /// Order of hits.
    pub sort: Sort,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    /// Whether to count facet values over all matches (costs time on broad searches).
    pub count_facets: bool,
    /// Set it (or let its deadline pass) to make the search give up with [`Error::Stopped`].
    pub stop: Stop,
}

/// One matching vacancy.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The vacancy's id.
    pub id: String,
    /// Relevance (higher is better).
    pub score: f32,
    /// Kilometres from the search point, when searching near one.
    pub distance_km: Option<f64>,
    /// The title with matched words in `<b>` (HTML-escaped).
    pub title_html: String,
    /// A passage of the description with matched words in `<b>` (HTML-escaped); empty when none matched.
    pub description_html: String,
}

/// How many hits have one value of one dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct FacetCount {
    /// `sector`, `contract`, `shift`, `environment`, `source` or `soc`.
    pub dimension: String,
    /// The value (for `soc`, the major group digit).
    pub value: String,
    /// Matching vacancies with it.
    pub count: u64,
}

/// A page of hits, how many match in all, and counts per facet over all matches.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResults {
    /// Hits on this page, in the requested order.
    pub hits: Vec<Hit>,
    /// All matching vacancies.
    pub total: usize,
    /// Counts over all matches, by dimension then value.
    pub facets: Vec<FacetCount>,
}

/// The dimensions counted for every search.
pub const FACET_DIMENSIONS: [&str; 6] = [
    "sector",
    "contract",
    "shift",
    "environment",
    "source",
    "soc",
];

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    6371.0088 * 2.0 * h.sqrt().min(1.0).asin()
}

/// The vacancy index: one writer, one reader, a searcher per query.
pub struct VacancyIndex {
    index: Index,
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
}

impl VacancyIndex {
    /// Opens the index in `dir`, creating it when the folder holds none.
    pub fn open_or_create(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let schema = schema::build();
        let directory =
            tantivy::directory::MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        let index = Index::open_or_create(directory, schema)?;
        Self::from_index(index)
    }

    /// A fresh index in memory (for tests and benchmarks).
    pub fn create_in_ram() -> Result<Self> {
        let schema = schema::build();
        Self::from_index(Index::create_in_ram(schema))
    }

    fn from_index(index: Index) -> Result<Self> {
        let fields = Fields::from_schema(&index.schema())?;
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            fields,
            writer: Mutex::new(writer),
            reader,
        })
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>> {
        self.writer.lock().map_err(|_| Error::WriterPoisoned)
    }

    /// Adds or replaces a vacancy (visible after the next commit).
    pub fn upsert(&self, doc: &VacancyDoc) -> Result<()> {
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
        writer.add_document(self.fields.document(doc))?;
        Ok(())
    }

    /// Removes a vacancy (after the next commit).
    pub fn delete(&self, id: &str) -> Result<()> {
        self.writer()?
            .delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Commits everything applied so far, recording `last_seq` (the change-log sequence the index
    /// is now true to), and makes it searchable.
    pub fn commit(&self, last_seq: i64) -> Result<()> {
        {
            let mut writer = self.writer()?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&last_seq.to_string());
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// The change-log sequence recorded by the last commit; `None` for a new index.
    pub fn last_applied_seq(&self) -> Result<Option<i64>> {
        Ok(self
            .index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok()))
    }

    /// Number of vacancies searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Segments the searchable index is made of (each search visits every one).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// True when nothing is searchable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs a search: filters, radius, order, one page, the total and the facet counts.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.search_inner(request).map_err(|err| match err {
            Error::Tantivy(e) if stop::is_stop_error(&e) => Error::Stopped,
            other => other,
        })
    }

    fn search_inner(&self, request: &SearchRequest) -> Result<SearchResults> {
        let mut words = self.words(&request.text)?;
        words.truncate(MAX_WORDS);
        let query = self.build_query(&words, request)?;
        let searcher = self.reader.searcher();
        let (limit, offset) = (request.limit.max(1), request.offset);

        // Every match within the radius (when there is one) counts and is faceted; the page is
        // taken in the requested order, ties broken by relevance, each hit keeping its score.
        let near = request.near;
        let stop = &request.stop;
        let facets = FacetCounter {
            enabled: request.count_facets,
        };
        let (page, total, counts): (Vec<(Score, DocAddress)>, usize, facets::Counts) =
            match (request.sort, near) {
                (Sort::Newest, _) => {
                    let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
                        |segment: &SegmentReader| {
                            let posted = i64_column(segment, "posted_at");
                            move |doc: DocId, score: Score| (posted(doc), score)
                        },
                    );
                    let (top, total, counts) =
                        run(&searcher, &*query, near, stop, (top, Count, facets))?;
                    (unkey(top), total, counts)
                }
                (Sort::Pay, _) => {
                    let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
                        |segment: &SegmentReader| {
                            let pay = f64_column(segment, "pay_max_hourly");
                            move |doc: DocId, score: Score| (pay(doc), score)
                        },
                    );
                    let (top, total, counts) =
                        run(&searcher, &*query, near, stop, (top, Count, facets))?;
                    (unkey(top), total, counts)
                }
                (Sort::Distance, Some(point)) => {
                    let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
                        move |segment: &SegmentReader| {
                            let lat = f64_column(segment, "latitude");
                            let lon = f64_column(segment, "longitude");
                            move |doc: DocId, score: Score| {
                                let away = distance_km(
                                    (point.latitude, point.longitude),
                                    (lat(doc), lon(doc)),
                                );
                                // Nearest first: the largest key is the smallest distance.
                                (-away, score)
                            }
                        },
                    );
                    let (top, total, counts) =
                        run(&searcher, &*query, near, stop, (top, Count, facets))?;
                    (unkey(top), total, counts)
                }
                (Sort::Relevance | Sort::Distance, _) => {
                    let top = TopDocs::with_limit(limit)
                        .and_offset(offset)
                        .order_by_score();
                    run(&searcher, &*query, near, stop, (top, Count, facets))?
                }
            };

        let mut title_snippets = SnippetGenerator::create(&searcher, &*query, self.fields.title)?;
        title_snippets.set_max_num_chars(10_000);
        let mut description_snippets =
            SnippetGenerator::create(&searcher, &*query, self.fields.description)?;
        description_snippets.set_max_num_chars(160);
        let mut hits = Vec::with_capacity(page.len());
        for (score, address) in page {
            request.stop.check()?;
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) else {
                continue;
            };
            let distance_km = match request.near {
                Some(near) => self.distance_to(&searcher, address, near)?,
                None => None,
            };
            let title = doc
                .get_first(self.fields.title)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let title_html = highlight_whole(title, &title_snippets.snippet_from_doc(&doc));
            hits.push(Hit {
                id: id.to_string(),
                score,
                distance_km,
                title_html,
                description_html: description_snippets.snippet_from_doc(&doc).to_html(),
            });
        }
        Ok(SearchResults {
            hits,
            total,
            facets: facet_list(counts),
        })
    }

    /// Kilometres from `near` to a document, when it has coordinates.
    fn distance_to(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        near: Near,
    ) -> Result<Option<f64>> {
        let fast = searcher.segment_reader(address.segment_ord).fast_fields();
        let lat = fast.f64("latitude")?.first(address.doc_id);
        let lon = fast.f64("longitude")?.first(address.doc_id);
        Ok(lat
            .zip(lon)
            .map(|point| distance_km((near.latitude, near.longitude), point)))
    }

    /// How many distinct words of `text` a search would look for (little words dropped), before
    /// the cut at [`MAX_WORDS`]: callers refuse longer texts with this.
    pub fn word_count(&self, text: &str) -> Result<usize> {
        Ok(self.words(text)?.len())
    }

    /// The distinct words of `text` in order, as the title field indexes them (lower-cased, split
    /// on punctuation), little words dropped unless they are all there is. Linear in the text.
    fn words(&self, text: &str) -> Result<Vec<String>> {
        let mut analyzer = self.index.tokenizer_for_field(self.fields.title)?;
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while stream.advance() {
            let word = &stream.token().text;
            if seen.insert(word.clone()) {
                words.push(word.clone());
            }
        }
        // "help in a shop" means help and shop: little words match nearly every vacancy and only
        // cost time, unless they are all there is.
        if words.iter().any(|w| !STOP_WORDS.contains(&w.as_str())) {
            words.retain(|w| !STOP_WORDS.contains(&w.as_str()));
        }
        Ok(words)
    }

    fn build_query(&self, words: &[String], request: &SearchRequest) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let filters = &request.filters;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if words.is_empty() {
            // Every vacancy the filters let through (a filter-less search needs something to match).
            if filters.statuses.is_empty() {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
        } else {
            // Each word may match any text field; more matching words rank higher.
            let per_word: Vec<Box<dyn Query>> = words.iter().map(|w| self.word_query(w)).collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::union(per_word))));
        }
        // Filters never change the ranking (score 0). A union of plain term queries costs less
        // per search than a term set, which builds an automaton each time.
        let any_of = |field, values: &[String]| -> Option<Box<dyn Query>> {
            (!values.is_empty()).then(|| {
                let terms: Vec<Box<dyn Query>> = values
                    .iter()
                    .map(|v| {
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, v),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>
                    })
                    .collect();
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::union(terms)),
                    0.0,
                )) as Box<dyn Query>
            })
        };
        for (field, values) in [
            (f.status, &filters.statuses),
            (f.contract_type, &filters.contract_types),
            (f.shift, &filters.shifts),
            (f.sector, &filters.sectors),
            (f.source, &filters.sources),
        ] {
            if let Some(q) = any_of(field, values) {
                clauses.push((Occur::Must, q));
            }
        }
        if let Some(employer) = &filters.employer_id {
            let term = Term::from_field_text(f.employer_id, employer);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some(prefix) = filters
            .occupation_prefix
            .as_deref()
            .filter(|p| p.chars().any(|c| c.is_ascii_digit()))
        {
            let term = Term::from_facet(f.facet, &schema::soc_facet(prefix));
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        let excluded = filters
            .exclude_environments
            .iter()
            .map(|e| (f.environment, e))
            .chain(filters.exclude_shifts.iter().map(|s| (f.shift, s)));
        for (field, value) in excluded {
            let term = Term::from_field_text(field, value);
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        let at_least_f64 = |field, value: f64| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_f64(field, value)),
                Bound::Unbounded,
            ))
        };
        let at_most_f64 = |field, value: f64| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_f64(field, value)),
            ))
        };
        if let Some(pay) = filters.min_hourly_pay {
            clauses.push((Occur::Must, at_least_f64(f.pay_max_hourly, pay)));
        }
        if let Some(hours) = filters.hours_at_least {
            clauses.push((Occur::Must, at_least_f64(f.hours_max, hours)));
        }
        if let Some(hours) = filters.hours_at_most {
            clauses.push((Occur::Must, at_most_f64(f.hours_min, hours)));
        }
        if let Some(since) = filters.posted_since {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.posted_at, since)),
                    Bound::Unbounded,
                )),
            ));
        }
        if let Some(day) = filters.closing_after {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.closing_day, day)),
                    Bound::Unbounded,
                )),
            ));
        }
        if let Some(near) = request.near {
            // The bounding box narrows the candidates; the collector applies the exact circle.
            let lat_delta = near.radius_km / 110.574;
            let lon_delta =
                near.radius_km / (111.320 * near.latitude.to_radians().cos().abs().max(0.01));
            for (field, centre, delta) in [
                (f.latitude, near.latitude, lat_delta),
                (f.longitude, near.longitude, lon_delta),
            ] {
                clauses.push((
                    Occur::Must,
                    Box::new(RangeQuery::new(
                        Bound::Included(Term::from_field_f64(field, centre - delta)),
                        Bound::Included(Term::from_field_f64(field, centre + delta)),
                    )),
                ));
            }
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// One word against every text field: exact matches weigh most, near misses (typos) less.
    fn word_query(&self, word: &str) -> Box<dyn Query> {
        let f = &self.fields;
        let distance = match word.chars().count() {
            n if n >= TWO_EDITS_MIN_LEN => 2,
            n if n >= FUZZY_MIN_LEN => 1,
            _ => 0,
        };
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        // Misspellings are forgiven where people aim their words (the title and the skills);
        // employer names and descriptions match exactly.
        for (field, weight, forgiving) in [
            (f.title, 3.0, true),
            (f.skills, 1.5, true),
            (f.employer_name, 1.5, false),
            (f.description, 1.0, false),
        ] {
            let term = Term::from_field_text(field, word);
            alternatives.push(Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                weight * 2.0,
            )));
            if !forgiving || distance == 0 {
                continue;
            }
            // Closer spellings weigh more in the title: a one-edit match also counts as a
            // two-edit one. Every automaton costs a little on each search, so skills get one.
            let levels: &[(u8, f32)] = if field == f.title && distance == 2 {
                &[(1, 0.5), (2, 0.2)]
            } else {
                &[(distance, 0.4)]
            };
            for (edits, share) in levels {
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new(term.clone(), *edits, true)),
                    weight * share,
                )));
            }
        }
        Box::new(BooleanQuery::union(alternatives))
    }
}

/// Runs `collector` over `query`, through the radius filter when there is one, giving up when
/// `stop` is set.
fn run<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    near: Option<Near>,
    stop: &Stop,
    collector: C,
) -> Result<C::Fruit> {
    let stop = stop.clone();
    Ok(match near {
        Some(near) => searcher.search(
            query,
            &Stoppable {
                stop,
                inner: WithinRadius {
                    near,
                    inner: collector,
                },
            },
        )?,
        None => searcher.search(
            query,
            &Stoppable {
                stop,
                inner: collector,
            },
        )?,
    })
}

/// The counted values of every dimension, largest first.
fn facet_list(counts: facets::Counts) -> Vec<FacetCount> {
    let mut out = Vec::new();
    for dimension in FACET_DIMENSIONS {
        let mut values: Vec<FacetCount> = counts
            .iter()
            .filter(|((d, _), _)| *d == dimension)
            .map(|((_, value), count)| FacetCount {
                dimension: dimension.to_string(),
                value: value.clone(),
                count: *count,
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        out.extend(values);
    }
    out
}

/// Drops the sort keys of a page, keeping each hit's score.
fn unkey<K>(top: Vec<((K, Score), DocAddress)>) -> Vec<(Score, DocAddress)> {
    top.into_iter()
        .map(|((_, score), address)| (score, address))
        .collect()
}

/// A segment's values of an i64 fast field, the lowest value standing in for none.
fn i64_column(segment: &SegmentReader, field: &str) -> impl Fn(DocId) -> i64 + use<> {
    let column: Option<Arc<dyn ColumnValues<i64>>> = segment
        .fast_fields()
        .i64(field)
        .ok()
        .map(|c| c.first_or_default_col(i64::MIN));
    move |doc| column.as_ref().map_or(i64::MIN, |c| c.get_val(doc))
}

/// A segment's values of an f64 fast field, the lowest value standing in for none.
fn f64_column(segment: &SegmentReader, field: &str) -> impl Fn(DocId) -> f64 + use<> {
    let column: Option<Arc<dyn ColumnValues<f64>>> = segment
        .fast_fields()
        .f64(field)
        .ok()
        .map(|c| c.first_or_default_col(f64::MIN));
    move |doc| column.as_ref().map_or(f64::MIN, |c| c.get_val(doc))
}

/// The whole of `text`, HTML-escaped, with the snippet's matches in `<b>`.
fn highlight_whole(text: &str, snippet: &tantivy::snippet::Snippet) -> String {
    let offset = snippet.fragment_range().start;
    let mut out = String::with_capacity(text.len() + 16);
    let mut position = 0;
    for range in snippet.highlighted() {
        let (start, end) = (range.start + offset, range.end + offset);
        let (Some(before), Some(word)) = (text.get(position..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(&html_escape(before));
        out.push_str("<b>");
        out.push_str(&html_escape(word));
        out.push_str("</b>");
        position = end;
    }
    out.push_str(&html_escape(text.get(position..).unwrap_or_default()));
    out
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
