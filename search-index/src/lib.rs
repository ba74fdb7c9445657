//! The vacancy search index: a tantivy wrapper that knows nothing of the database. The service turns
//! vacancy rows into [`VacancyDoc`]s, applies them here in change-log order, and commits with the
//! last applied sequence as the commit payload, so a restart knows where to catch up from.
//!
//! Free text is never parsed as a query language: it is split into words by the index's own
//! tokenizer, so no input can fail. Each word matches exactly (ranked first) or, for longer words,
//! within one or two edits (`warehose` finds `warehouse`). At most [`MAX_WORDS`] words are searched,
//! and a search can be told to give up ([`Stop`]).

mod facets;
pub mod occupations;
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
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery,
    Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher,
    SegmentReader, TantivyDocument, Term,
};

use facets::FacetCounter;
pub use occupations::Understanding;
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
/// What a matched word of work adds to a vacancy's score: more than everything else a word can
/// add, so vacancies matching more words always rank first.
const WORD: Score = 1000.0;
/// What a matched condition word ("nights", "part time") adds: less than a word of work.
const CONDITION_WORD: Score = 100.0;
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
    /// When a worded search found nothing: the text spelt with the closest words the index holds.
    pub did_you_mean: Option<String>,
    /// The SOC unit groups the words were read as (see [`occupations`]), likeliest first.
    pub readings: Vec<occupations::Reading>,
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
        // Read the occupation data now, so the first search does not wait for it.
        occupations::occupations();
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

    /// Runs `act` with the writer.
    fn with_writer<R>(
        &self,
        act: impl FnOnce(&mut IndexWriter) -> tantivy::Result<R>,
    ) -> Result<R> {
        let mut writer = self.writer.lock().map_err(|_| Error::WriterPoisoned)?;
        Ok(act(&mut writer)?)
    }

    /// Adds or replaces a vacancy (visible after the next commit).
    pub fn upsert(&self, doc: &VacancyDoc) -> Result<()> {
        let document = self.fields.document(doc);
        self.with_writer(|writer| {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(document)
        })?;
        Ok(())
    }

    /// Starts a full rebuild: every vacancy is removed (after the next commit); then each row is
    /// added with [`VacancyIndex::add_new`] and committed with [`VacancyIndex::commit`]. One
    /// indexing thread, as always: one rebuilt 1M vacancies in 29.9 s in the bench, two in 35 s,
    /// and two left three times the segments at 100k (6, not 2) for every search to visit.
    pub fn start_rebuild(&self) -> Result<()> {
        self.with_writer(|writer| writer.delete_all_documents())?;
        Ok(())
    }

    /// Adds a vacancy known not to be in the index (during a rebuild): no delete is queued for
    /// it, which makes a full rebuild cheaper than upserting every row.
    pub fn add_new(&self, doc: &VacancyDoc) -> Result<()> {
        let document = self.fields.document(doc);
        self.with_writer(|writer| writer.add_document(document))?;
        Ok(())
    }

    /// Removes a vacancy (after the next commit).
    pub fn delete(&self, id: &str) -> Result<()> {
        self.with_writer(|writer| {
            Ok(writer.delete_term(Term::from_field_text(self.fields.id, id)))
        })?;
        Ok(())
    }

    /// Commits everything applied so far, recording `last_seq` (the change-log sequence the index
    /// is now true to), and makes it searchable.
    pub fn commit(&self, last_seq: i64) -> Result<()> {
        self.with_writer(|writer| {
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&last_seq.to_string());
            prepared.commit()
        })?;
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
        let searcher = self.reader.searcher();
        let understanding = self.understand(&searcher, &words)?;
        let query = self.build_query(&words, &understanding, request)?;
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
        let did_you_mean = if hits.is_empty() && offset == 0 && !words.is_empty() {
            self.did_you_mean(&searcher, &words, &request.stop)?
        } else {
            None
        };
        Ok(SearchResults {
            hits,
            total,
            facets: facet_list(counts),
            did_you_mean,
            readings: understanding.readings,
        })
    }

    /// What the words mean as occupations: the classification's reading, joined with the unit
    /// groups of (up to [`COUNTED_PER_SEGMENT`] per segment of) the vacancies whose titles hold
    /// every word of work.
    fn understand(&self, searcher: &Searcher, words: &[String]) -> Result<Understanding> {
        let occupations = occupations::occupations();
        let understanding = occupations.read(words);
        let work: Vec<(usize, &String)> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && understanding.conditions & (1 << i) == 0)
            .filter(|(i, _)| understanding.known & (1 << i) != 0)
            .collect();
        if work.is_empty() {
            return Ok(understanding);
        }
        let f = &self.fields;
        let in_title: Vec<(Occur, Box<dyn Query>)> = work
            .iter()
            .map(|(i, word)| {
                let mut either: Vec<Box<dyn Query>> = vec![
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.title, word),
                        IndexRecordOption::Basic,
                    )),
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.title_stem, &understanding.stems[*i]),
                        IndexRecordOption::Basic,
                    )),
                ];
                for (_, spellings) in understanding.respellings.iter().filter(|(at, _)| at == i) {
                    for spelled in spellings {
                        either.push(Box::new(TermQuery::new(
                            Term::from_field_text(f.title, spelled),
                            IndexRecordOption::Basic,
                        )));
                    }
                }
                (
                    Occur::Must,
                    Box::new(BooleanQuery::union(either)) as Box<dyn Query>,
                )
            })
            .collect();
        let counter = UnitCounter {
            title: f.title,
            words: work.len() as u32,
        };
        let counts = searcher.search(&BooleanQuery::new(in_title), &counter)?;
        let counts: Vec<(String, f32)> = counts
            .into_iter()
            .map(|(unit, n)| (format!("{unit:04}"), n))
            .collect();
        Ok(occupations.with_counts(understanding, &counts))
    }

    /// The words re-spelt with the closest words of the index's titles (fewest edits — up to one
    /// in a word of three or four letters, two up to seven, three beyond — then the commonest), or
    /// `None` when no word could be re-spelt. Only run when a search found nothing.
    fn did_you_mean(
        &self,
        searcher: &Searcher,
        words: &[String],
        stop: &Stop,
    ) -> Result<Option<String>> {
        let mut changed = false;
        let mut out = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            stop.check()?;
            // Each word walks the title dictionary: the first few are enough to suggest from.
            if i >= DID_YOU_MEAN_WORDS {
                out.push(word.clone());
                continue;
            }
            let letters: Vec<char> = word.chars().collect();
            let max = match letters.len() {
                n if n >= 8 => 3,
                n if n >= 5 => 2,
                n if n >= 3 => 1,
                _ => 0,
            };
            let mut found: std::collections::HashMap<String, (usize, u64)> =
                std::collections::HashMap::new();
            let mut known = false;
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(self.fields.title)?;
                let terms = inverted.terms();
                if terms.get(word.as_bytes())?.is_some() {
                    known = true;
                    break;
                }
                if max == 0 {
                    continue;
                }
                let mut stream = terms.stream()?;
                while let Some((key, info)) = stream.next() {
                    let Ok(term) = std::str::from_utf8(key) else {
                        continue;
                    };
                    if term.len().abs_diff(word.len()) > max + 2 {
                        continue;
                    }
                    let candidate: Vec<char> = term.chars().collect();
                    if let Some(d) = occupations::edits_within(&letters, &candidate, max) {
                        let entry = found.entry(term.to_string()).or_insert((d, 0));
                        entry.1 += u64::from(info.doc_freq);
                    }
                }
            }
            let best = (!known)
                .then(|| {
                    found.into_iter().min_by(|a, b| {
                        a.1.0
                            .cmp(&b.1.0)
                            .then(b.1.1.cmp(&a.1.1))
                            .then(a.0.cmp(&b.0))
                    })
                })
                .flatten();
            match best {
                Some((term, _)) => {
                    changed = true;
                    out.push(term);
                }
                None => out.push(word.clone()),
            }
        }
        Ok(changed.then(|| out.join(" ")))
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

    /// What a search for `text` reads its words as (the first step of every worded search: the
    /// occupation reading joined with the unit groups of the vacancies carrying the words).
    pub fn understand_text(&self, text: &str) -> Result<Understanding> {
        let mut words = self.words(text)?;
        words.truncate(MAX_WORDS);
        self.understand(&self.reader.searcher(), &words)
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
        if words
            .iter()
            .any(|w| !occupations::LITTLE_WORDS.contains(&w.as_str()))
        {
            words.retain(|w| !occupations::LITTLE_WORDS.contains(&w.as_str()));
        }
        Ok(words)
    }

    fn build_query(
        &self,
        words: &[String],
        understanding: &Understanding,
        request: &SearchRequest,
    ) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let filters = &request.filters;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if words.is_empty() {
            // Every vacancy the filters let through (a filter-less search needs something to match).
            if filters.statuses.is_empty() {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
        } else {
            clauses.push((Occur::Must, self.text_query(words, understanding)));
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

    /// The words as one query. Every alternative scores a constant, so the order is the one people
    /// expect: each matched word of work adds [`WORD`] (a condition word [`CONDITION_WORD`]), so
    /// vacancies matching more words come first; within that, how each word matched — as written,
    /// by stem, one edit away, two, in the skills, the employer, the description, or through the
    /// unit group the search was read as ([`occupations`]) — and last a unit-group boost and a
    /// small BM25 tie-break on the title.
    fn text_query(&self, words: &[String], understanding: &Understanding) -> Box<dyn Query> {
        let f = &self.fields;
        let occupations = occupations::occupations();
        let exact = |field, text: &str, score: Score| -> Box<dyn Query> {
            Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::Basic,
                )),
                score,
            ))
        };
        let fuzzy = |field, text: &str, edits: u8, score: Score| -> Box<dyn Query> {
            Box::new(ConstScoreQuery::new(
                Box::new(FuzzyTermQuery::new(
                    Term::from_field_text(field, text),
                    edits,
                    true,
                )),
                score,
            ))
        };
        let in_unit = |code: &str, score: Score| -> Box<dyn Query> {
            Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(
                    Term::from_facet(f.facet, &schema::soc_facet(code)),
                    IndexRecordOption::Basic,
                )),
                score,
            ))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut per_word: Vec<Box<dyn Query>> = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let base = if understanding.conditions & (1 << i) != 0 {
                CONDITION_WORD
            } else {
                WORD
            };
            let budget = occupations::typo_budget(word.chars().count());
            let stem = understanding
                .stems
                .get(i)
                .cloned()
                .unwrap_or_else(|| occupations.stem(word));
            let mut alternatives = vec![
                exact(f.title, word, base + 30.0),
                exact(f.title_stem, &stem, base + 28.0),
            ];
            if budget >= 1 {
                alternatives.push(fuzzy(f.title, word, 1, base + 22.0));
            }
            if budget >= 2 {
                alternatives.push(fuzzy(f.title, word, 2, base + 18.0));
            }
            for (_, spellings) in understanding.respellings.iter().filter(|(at, _)| *at == i) {
                for spelled in spellings {
                    alternatives.push(exact(f.title, spelled, base + 20.0));
                }
            }
            alternatives.push(exact(f.skills, &stem, base + 16.0));
            if budget >= 1 {
                alternatives.push(fuzzy(f.skills, &stem, budget, base + 12.0));
            }
            alternatives.push(exact(f.employer_name, word, base + 10.0));
            alternatives.push(exact(f.description, &stem, base + 8.0));
            for reading in &understanding.readings {
                if reading.explains & (1 << i) != 0 {
                    alternatives.push(in_unit(&reading.code, base + 4.0 + 10.0 * reading.weight));
                }
            }
            per_word.push(Box::new(DisjunctionMaxQuery::new(alternatives)));
            // Among equals, the title that is mostly these words first (BM25 keeps it under a point).
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.title, word),
                        IndexRecordOption::WithFreqs,
                    )),
                    0.04 / words.len() as Score,
                )),
            ));
        }
        clauses.insert(0, (Occur::Must, Box::new(BooleanQuery::union(per_word))));
        for reading in &understanding.readings {
            let code = reading.code.as_str();
            for (group, points) in [(code, 8.0), (&code[..3], 3.0), (&code[..2], 1.0)] {
                clauses.push((Occur::Should, in_unit(group, points * reading.weight)));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// Words of a search that found nothing that "did you mean" re-spells (the rest stay as typed).
const DID_YOU_MEAN_WORDS: usize = 8;

/// Vacancies counted per segment by [`VacancyIndex::understand`] (a sample is enough to tell which
/// unit groups a title falls in, and keeps broad words cheap).
const COUNTED_PER_SEGMENT: u32 = 2_000;

/// Counts the unit groups (the `soc_unit` column) of up to [`COUNTED_PER_SEGMENT`] matching
/// vacancies in each segment, a title that is just the words counting most: one with `k` words
/// more counts `1 / (1 + k)²` ("Senior care assistant" is a third word away from what "care
/// assistant" names).
struct UnitCounter {
    title: tantivy::schema::Field,
    words: u32,
}

struct UnitSegmentCounter {
    column: Option<tantivy::columnar::Column<u64>>,
    lengths: Option<tantivy::fieldnorm::FieldNormReader>,
    words: u32,
    counts: std::collections::HashMap<u64, f32>,
    seen: u32,
}

impl Collector for UnitCounter {
    type Fruit = std::collections::HashMap<u64, f32>;
    type Child = UnitSegmentCounter;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(UnitSegmentCounter {
            column: reader.fast_fields().u64("soc_unit").ok(),
            lengths: reader.get_fieldnorms_reader(self.title).ok(),
            words: self.words,
            counts: std::collections::HashMap::new(),
            seen: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    /// Drives the scorer itself so that it can stop after [`COUNTED_PER_SEGMENT`] vacancies
    /// (tantivy's own loop visits every match).
    fn collect_segment(
        &self,
        weight: &dyn tantivy::query::Weight,
        segment: tantivy::SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        use tantivy::DocSet as _;
        use tantivy::collector::SegmentCollector as _;
        let mut child = self.for_segment(segment, reader)?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED && child.seen < COUNTED_PER_SEGMENT {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                child.collect(doc, 0.0);
            }
            doc = scorer.advance();
        }
        Ok(child.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = std::collections::HashMap::new();
        for fruit in fruits {
            for (unit, n) in fruit {
                *all.entry(unit).or_insert(0.0) += n;
            }
        }
        Ok(all)
    }
}

impl tantivy::collector::SegmentCollector for UnitSegmentCounter {
    type Fruit = std::collections::HashMap<u64, f32>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if self.seen >= COUNTED_PER_SEGMENT {
            return;
        }
        self.seen += 1;
        if let Some(unit) = self.column.as_ref().and_then(|c| c.first(doc)) {
            let length = self
                .lengths
                .as_ref()
                .map_or(self.words, |l| l.fieldnorm(doc));
            let extra = length.saturating_sub(self.words) as f32;
            *self.counts.entry(unit).or_insert(0.0) += 1.0 / ((1.0 + extra) * (1.0 + extra));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
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
