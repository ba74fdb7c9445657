//! The vacancy search index: a tantivy wrapper that knows nothing of the database. The service turns
//! vacancy rows into [`VacancyDoc`]s, applies them here in change-log order, and commits with the
//! last applied sequence as the commit payload, so a restart knows where to catch up from.
//!
//! Free text is never parsed as a query language: it is split into words by the index's own
//! tokenizer, so no input can fail. Each word matches exactly (ranked first) or, for longer words,
//! within one or two edits (`warehose` finds `warehouse`).

mod schema;

use std::path::Path;
use std::sync::Mutex;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

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
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Memory the one index writer may use before it flushes a segment.
const WRITER_MEMORY_BYTES: usize = 50_000_000;
/// Words shorter than this must match exactly.
const FUZZY_MIN_LEN: usize = 4;
/// Words at least this long may be two edits away; shorter ones one.
const TWO_EDITS_MIN_LEN: usize = 8;

/// One vacancy as the index sees it. Text is searched; the rest filters.
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
    /// Status as stored (`OPEN`, …).
    pub status: String,
    /// Contract type as stored.
    pub contract_type: String,
    /// Workplace features as stored (`ALCOHOL_SERVED`, …).
    pub environments: Vec<String>,
    /// Lowest pay in pounds an hour.
    pub pay_min_hourly: Option<f64>,
    /// Highest pay in pounds an hour.
    pub pay_max_hourly: Option<f64>,
}

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// Free text, as a person typed it.
    pub text: String,
    /// Only these statuses (empty: any).
    pub statuses: Vec<String>,
    /// Only these contract types (empty: any).
    pub contract_types: Vec<String>,
    /// Never return a vacancy with any of these workplace features.
    pub exclude_environments: Vec<String>,
    /// Only vacancies that may pay at least this much an hour.
    pub min_hourly_pay: Option<f64>,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
}

/// One matching vacancy.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The vacancy's id.
    pub id: String,
    /// Relevance (higher is better).
    pub score: f32,
}

/// A page of hits and how many match in all.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResults {
    /// Hits on this page, best first.
    pub hits: Vec<Hit>,
    /// All matching vacancies.
    pub total: usize,
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
        let writer = index.writer(WRITER_MEMORY_BYTES)?;
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

    /// True when nothing is searchable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let query = self.build_query(request)?;
        let searcher = self.reader.searcher();
        let collector = (
            TopDocs::with_limit(request.limit.max(1))
                .and_offset(request.offset)
                .order_by_score(),
            Count,
        );
        let (top, total) = searcher.search(&query, &collector)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                hits.push(Hit {
                    id: id.to_string(),
                    score,
                });
            }
        }
        Ok(SearchResults { hits, total })
    }

    /// The words of `text` as the title field indexes them (lower-cased, split on punctuation).
    fn words(&self, text: &str) -> Result<Vec<String>> {
        let mut analyzer = self.index.tokenizer_for_field(self.fields.title)?;
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            let word = stream.token().text.clone();
            if !words.contains(&word) {
                words.push(word);
            }
        }
        Ok(words)
    }

    fn build_query(&self, request: &SearchRequest) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let words = self.words(&request.text)?;
        if words.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        } else {
            // Each word may match any text field; more matching words rank higher.
            let per_word: Vec<Box<dyn Query>> = words.iter().map(|w| self.word_query(w)).collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::union(per_word))));
        }
        let any_of = |field, values: &[String]| -> Option<Box<dyn Query>> {
            (!values.is_empty()).then(|| {
                Box::new(TermSetQuery::new(
                    values.iter().map(|v| Term::from_field_text(field, v)),
                )) as Box<dyn Query>
            })
        };
        if let Some(q) = any_of(f.status, &request.statuses) {
            clauses.push((Occur::Must, q));
        }
        if let Some(q) = any_of(f.contract_type, &request.contract_types) {
            clauses.push((Occur::Must, q));
        }
        for environment in &request.exclude_environments {
            let term = Term::from_field_text(f.environment, environment);
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some(pay) = request.min_hourly_pay {
            let lower = Term::from_field_f64(f.pay_max_hourly, pay);
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    std::ops::Bound::Included(lower),
                    std::ops::Bound::Unbounded,
                )),
            ));
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
        for (field, weight) in [
            (f.title, 3.0),
            (f.skills, 1.5),
            (f.employer_name, 1.5),
            (f.description, 1.0),
        ] {
            let term = Term::from_field_text(field, word);
            alternatives.push(Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                weight * 2.0,
            )));
            if distance > 0 {
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new(term, distance, true)),
                    weight * 0.25,
                )));
            }
        }
        Box::new(BooleanQuery::union(alternatives))
    }
}

#[cfg(test)]
mod tests;
