//! Relevance on the judged set (`judged.csv`; its README gives the grading rule): nDCG@10, typo
//! recall@10 and the zero-result rate of each system's first ten hits, graded by SOC group against
//! the unit group each query means.

use std::collections::HashMap;

/// Hits judged per query.
pub const K: usize = 10;

/// The judged set, as committed.
const JUDGED: &str = include_str!("judged.csv");

/// One judged query.
pub struct Judged {
    /// `head`, `tail`, `lay`, `typo` or `mixed`.
    pub kind: String,
    /// The text as a person types it.
    pub query: String,
    /// The SOC 2010 unit group it means.
    pub unit: String,
}

/// The judged queries (the rationale column is for people).
pub fn judged() -> Vec<Judged> {
    JUDGED
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("kind,"))
        .filter_map(|line| {
            let mut fields = line.splitn(4, ',');
            Some(Judged {
                kind: fields.next()?.to_string(),
                query: fields.next()?.to_string(),
                unit: fields.next()?.to_string(),
            })
        })
        .collect()
}

/// The grade of a hit whose vacancy has SOC `code`, for a query meaning `unit`: 3 for the unit
/// group, 2 for its minor group, 1 for its sub-major group, 0 otherwise.
pub fn grade(unit: &str, code: Option<&str>) -> u32 {
    let Some(code) = code else { return 0 };
    let shared = unit
        .bytes()
        .zip(code.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    match shared {
        4.. => 3,
        3 => 2,
        2 => 1,
        _ => 0,
    }
}

/// How many vacancies of the corpus each SOC unit group holds.
pub struct Corpus {
    units: HashMap<String, usize>,
}

impl Corpus {
    /// From the SOC code of every open vacancy.
    pub fn new<'a>(codes: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        let mut units = HashMap::new();
        for code in codes.into_iter().flatten() {
            *units.entry(code.to_string()).or_insert(0) += 1;
        }
        Corpus { units }
    }

    /// How many vacancies would earn each grade for `unit` (index = grade).
    fn graded(&self, unit: &str) -> [usize; 4] {
        let mut out = [0; 4];
        for (code, n) in &self.units {
            out[grade(unit, Some(code)) as usize] += n;
        }
        out
    }

    /// The best first page's grades, best first.
    fn ideal(&self, unit: &str) -> Vec<u32> {
        let graded = self.graded(unit);
        (1..=3)
            .rev()
            .flat_map(|g| std::iter::repeat_n(g as u32, graded[g]))
            .take(K)
            .collect()
    }
}

fn dcg(grades: &[u32]) -> f64 {
    grades
        .iter()
        .take(K)
        .enumerate()
        .map(|(i, g)| (2f64.powi(*g as i32) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// One system's relevance over the judged set.
pub struct Relevance {
    /// Mean nDCG@10 over every query.
    pub ndcg: f64,
    /// Mean recall@10 of grade-3 vacancies over the typo queries.
    pub typo_recall: f64,
    /// Share of queries with no hit.
    pub zero_rate: f64,
    /// Mean nDCG@10 by kind of query, in the order kinds first appear.
    pub by_kind: Vec<(String, f64)>,
    /// The queries with no hit.
    pub zero_queries: Vec<String>,
}

/// The grades of a query's first [`K`] hits and their nDCG against the corpus's ideal ranking.
fn graded(query: &Judged, corpus: &Corpus, hits: &[Option<String>]) -> (Vec<u32>, f64) {
    let grades: Vec<u32> = hits
        .iter()
        .take(K)
        .map(|c| grade(&query.unit, c.as_deref()))
        .collect();
    let ideal = dcg(&corpus.ideal(&query.unit));
    let ndcg = if ideal > 0.0 {
        dcg(&grades) / ideal
    } else {
        0.0
    };
    (grades, ndcg)
}

/// Scores `ranked` (for each query, the SOC codes of its first hits, in order).
pub fn score(queries: &[Judged], corpus: &Corpus, ranked: &[Vec<Option<String>>]) -> Relevance {
    let mut kinds: Vec<(String, f64, usize)> = Vec::new();
    let (mut ndcg_sum, mut typo_sum, mut typos) = (0.0, 0.0, 0usize);
    let mut zero_queries = Vec::new();
    for (query, hits) in queries.iter().zip(ranked) {
        let (grades, ndcg) = graded(query, corpus, hits);
        ndcg_sum += ndcg;
        if hits.is_empty() {
            zero_queries.push(query.query.clone());
        }
        if query.kind == "typo" {
            let possible = corpus.graded(&query.unit)[3].min(K);
            if possible > 0 {
                typo_sum += grades.iter().filter(|g| **g == 3).count() as f64 / possible as f64;
            }
            typos += 1;
        }
        match kinds.iter_mut().find(|(k, _, _)| *k == query.kind) {
            Some((_, sum, n)) => {
                *sum += ndcg;
                *n += 1;
            }
            None => kinds.push((query.kind.clone(), ndcg, 1)),
        }
    }
    let n = queries.len().max(1) as f64;
    Relevance {
        ndcg: ndcg_sum / n,
        typo_recall: typo_sum / typos.max(1) as f64,
        zero_rate: zero_queries.len() as f64 / n,
        by_kind: kinds
            .into_iter()
            .map(|(k, sum, n)| (k, sum / n as f64))
            .collect(),
        zero_queries,
    }
}

/// Prints each query's nDCG@10 and the grades of its first hits, worst first (for tuning the
/// ranking by hand: `--relevance-only`).
pub fn print_each(
    queries: &[Judged],
    corpus: &Corpus,
    ranked: &[Vec<Option<String>>],
    notes: &[String],
) {
    let mut rows: Vec<(f64, String)> = queries
        .iter()
        .zip(ranked)
        .zip(notes)
        .map(|((query, hits), note)| {
            let (_, ndcg) = graded(query, corpus, hits);
            let shown: Vec<String> = hits
                .iter()
                .take(K)
                .map(|c| c.clone().unwrap_or_else(|| "-".into()))
                .collect();
            (
                ndcg,
                format!(
                    "{ndcg:.2}  {:5} {:38} {} | {} | {note}",
                    query.kind,
                    query.query,
                    query.unit,
                    shown.join(" ")
                ),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, row) in rows {
        println!("{row}");
    }
}
