//! What a searcher's words mean as occupations: the ONS SOC 2010 coding index (about 28,000 job
//! titles people use, each coded to one of 369 unit groups), the classification's group titles, and
//! a small reviewed table of lay phrasings (`data/lay-terms.csv`), read once into [`Occupations`].
//!
//! [`Occupations::read`] takes the words of a search and says which unit groups they most likely
//! name, how sure it is, and which of the words each reading explains; the index boosts vacancies in
//! those groups without filtering others out. Words match on English stems, and misspelt words
//! through the vocabulary of the titles: one edit from five letters, two from nine (Meilisearch's
//! rule), and one edit in a shorter word only where another word of the same title matched — so
//! "bar staf" reads as bar staff while "staf" alone reads as nothing. [`Occupations::suggest`] serves
//! autocomplete from the same titles.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream,
};

const INDEX: &str = include_str!("../data/soc2010-index.csv");
const STRUCTURE: &str = include_str!("../data/soc2010-structure.csv");
const LAY_TERMS: &str = include_str!("../data/lay-terms.csv");

/// Words that never name an occupation (the index's little words).
pub(crate) const LITTLE_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "into",
    "is",
    "it",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "job",
    "jobs",
    "work",
    "working",
    "my",
    "me",
    "i",
    "some",
    "something",
    "any",
    "anything",
];

/// The words of `text` as [`Occupations::read`] takes them: split on anything but letters and
/// digits, lower-cased, little words dropped.
pub fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !LITTLE_WORDS.contains(&w.as_str()))
        .collect()
}

/// Edits forgiven in a word of this many letters, by Meilisearch's rule: none under five, one up
/// to eight, two from nine.
pub fn typo_budget(letters: usize) -> u8 {
    match letters {
        n if n >= 9 => 2,
        n if n >= 5 => 1,
        _ => 0,
    }
}

/// Shortest word whose one-edit misspellings are caught through the titles (with context).
const SHORT_WORD_MIN: usize = 3;
/// Readings kept at most.
const MAX_READINGS: usize = 6;
/// A unit group is kept as a reading when it scores at least this share of the best one.
const KEEP_SHARE: f32 = 0.75;
/// Vacancies that must carry the words in their titles before their unit groups are counted.
const MIN_COUNTED: f32 = 2.0;
/// A counted unit group's share of those vacancies before it is read as meant.
const MIN_COUNTED_SHARE: f32 = 0.2;
/// Titles a word may expand to through misspellings, at most (the closest and commonest first).
const MAX_SPELLINGS: usize = 12;

/// One level of the classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// 1 digit.
    Major,
    /// 2 digits.
    SubMajor,
    /// 3 digits.
    Minor,
    /// 4 digits.
    Unit,
}

/// A group of the classification: its code and title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The level of the group.
    pub level: Level,
    /// 1 to 4 digits.
    pub code: String,
    /// The group's title as the ONS writes it.
    pub title: String,
}

/// A unit group a search's words were read as.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The 4-digit unit group.
    pub code: String,
    /// How sure the reading is, in (0, 1]: the share of the query's meaning it explains, split
    /// between readings that explain it equally well.
    pub weight: f32,
    /// Bit `i` is set when the reading explains word `i` of the search.
    pub explains: u64,
}

/// What [`Occupations::read`] made of a search's words.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Understanding {
    /// The unit groups the words most likely name, likeliest first (empty when none stands out).
    pub readings: Vec<Reading>,
    /// For a misspelt word, the title words it was most likely meant as: one edit away for a word
    /// too short for the index's own typo tolerance (found through a title another word of the
    /// search also matched), the closest one-edit spellings for a longer one.
    pub respellings: Vec<(usize, Vec<String>)>,
    /// Bit `i` is set when word `i` states a condition (hours, shift, pay) rather than a kind of
    /// work.
    pub conditions: u64,
    /// The English stem of each word, as the stemmed fields index it.
    pub stems: Vec<String>,
    /// Bit `i` is set when word `i` is in the titles' vocabulary (as written, by stem, or
    /// misspelt); a town's name, say, is not.
    pub known: u64,
}

/// One suggestion for an occupation as a person types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The job title, turned round to read naturally ("Kitchen assistant").
    pub title: String,
    /// The industry or setting the ONS index gives the title under, when it codes differently there.
    pub qualifier: Option<String>,
    /// The 4-digit SOC 2010 unit group.
    pub code: String,
    /// The unit group's title.
    pub group_title: String,
}

struct Title {
    display: String,
    qualifier: Option<String>,
    unit: u32,
    stems: Vec<u32>,
}

struct LayTerm {
    stems: Vec<u32>,
    /// Empty for a condition.
    units: Vec<u32>,
}

/// How one word of a search matched a stem of the vocabulary.
#[derive(Clone, Copy)]
struct WordMatch {
    stem: u32,
    quality: f32,
    /// A one-edit match of a short word: it counts only beside another matched word.
    needs_context: bool,
    /// The vocabulary word it matched (for respellings).
    word: u32,
}

/// The SOC 2010 classification, its coding index and the lay-term table, indexed for reading
/// search words.
pub struct Occupations {
    units: Vec<String>,
    groups: HashMap<String, Group>,
    titles: Vec<Title>,
    stem_ids: HashMap<String, u32>,
    /// Titles holding each stem.
    titles_of_stem: Vec<Vec<u32>>,
    idf: Vec<f32>,
    /// Raw words of the titles, sorted (for prefixes), with their stems.
    words: Vec<(String, u32)>,
    word_ids: HashMap<String, u32>,
    /// One-letter deletions of every word (and the word itself) → the words they come from.
    deletions: HashMap<String, Vec<u32>>,
    /// How many titles hold each word (commoner spellings are likelier).
    word_titles: Vec<u32>,
    /// Words of seven letters or more by length, with their letter counts (for two-edit typos).
    by_length: Vec<Vec<(u32, [u8; 27])>>,
    lay: Vec<LayTerm>,
}

/// The classification, read once.
pub fn occupations() -> &'static Occupations {
    static ONCE: OnceLock<Occupations> = OnceLock::new();
    ONCE.get_or_init(Occupations::load)
}

/// The analyzer the index's stemmed fields use: words, lower-cased, English stems.
pub(crate) fn stemming_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::default())
        .build()
}

/// Reads one CSV record of up to `n` fields (quoted fields may hold commas).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

/// "Assistant, kitchen" → "Kitchen assistant"; "Accountant, chief, group" → "Group chief accountant".
pub fn turn_round(index_title: &str) -> String {
    let mut parts: Vec<&str> = index_title.split(',').map(str::trim).collect();
    if parts.len() > 1 {
        let head = parts.remove(0);
        parts.reverse();
        parts.push(head);
    }
    let joined = parts.join(" ").to_lowercase();
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

/// Optimal-string-alignment distance (Damerau's, each transposition one edit), when at most `max`.
pub(crate) fn edits_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    // rows[0] is two rows up, rows[1] the row above.
    let mut rows = [vec![0usize; width], (0..width).collect::<Vec<_>>()];
    for i in 1..=a.len() {
        let mut row = vec![0usize; width];
        row[0] = i;
        let mut best = row[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[1][j] + 1)
                .min(row[j - 1] + 1)
                .min(rows[1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[0][j - 2] + 1);
            }
            row[j] = v;
            best = best.min(v);
        }
        if best > max {
            return None;
        }
        rows.swap(0, 1);
        rows[1] = row;
    }
    let d = rows[1][b.len()];
    (d <= max).then_some(d)
}

/// How many of each letter a word has (`a`–`z`, then everything else together).
fn letter_bag(letters: &[char]) -> [u8; 27] {
    let mut bag = [0u8; 27];
    for c in letters {
        let slot = if c.is_ascii_lowercase() {
            (*c as u8 - b'a') as usize
        } else {
            26
        };
        bag[slot] = bag[slot].saturating_add(1);
    }
    bag
}

/// A lower bound on the edits between two words: the larger of the letters one has more of and
/// the letters the other has more of.
fn bag_distance(a: &[u8; 27], b: &[u8; 27]) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

fn deletions_of(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(at, c)| {
        let mut out = String::with_capacity(word.len());
        out.push_str(&word[..at]);
        out.push_str(&word[at + c.len_utf8()..]);
        out
    })
}

impl Occupations {
    fn load() -> Self {
        let mut groups = HashMap::new();
        let mut units = Vec::new();
        let mut unit_ids = HashMap::new();
        for line in STRUCTURE.lines().skip(1) {
            let fields = csv_fields(line);
            let [level, code, title] = fields.as_slice() else {
                continue;
            };
            let level = match level.as_str() {
                "major" => Level::Major,
                "sub_major" => Level::SubMajor,
                "minor" => Level::Minor,
                "unit" => Level::Unit,
                _ => continue,
            };
            if level == Level::Unit {
                unit_ids.insert(code.clone(), units.len() as u32);
                units.push(code.clone());
            }
            groups.insert(
                code.clone(),
                Group {
                    level,
                    code: code.clone(),
                    title: title.clone(),
                },
            );
        }

        let mut analyzer = stemming_analyzer();
        let mut raw = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build();
        let mut stems: Vec<String> = Vec::new();
        let mut stem_ids: HashMap<String, u32> = HashMap::new();
        let mut stem_of_word: HashMap<String, u32> = HashMap::new();
        let mut intern = |stem: String| -> u32 {
            if let Some(id) = stem_ids.get(&stem) {
                return *id;
            }
            let id = stems.len() as u32;
            stem_ids.insert(stem.clone(), id);
            stems.push(stem);
            id
        };
        let mut titles = Vec::new();
        let mut seen = HashSet::new();
        for line in INDEX.lines().skip(1) {
            let fields = csv_fields(line);
            let [unit, index_title, qualifier] = fields.as_slice() else {
                continue;
            };
            let Some(&unit) = unit_ids.get(unit) else {
                continue;
            };
            let display = turn_round(index_title);
            let qualifier = qualifier
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .trim();
            let qualifier = (!qualifier.is_empty()).then(|| qualifier.to_string());
            if !seen.insert((display.to_lowercase(), qualifier.clone(), unit)) {
                continue;
            }
            let mut title_stems = Vec::new();
            let mut title_words = Vec::new();
            let mut stream = raw.token_stream(&display);
            while stream.advance() {
                title_words.push(stream.token().text.clone());
            }
            drop(stream);
            // "Check-out operator" is also "checkout operator".
            title_words.extend(joined_hyphens(&display));
            for word in title_words {
                if LITTLE_WORDS.contains(&word.as_str()) || word.chars().count() < 2 {
                    continue;
                }
                let stem = stem_of(&mut analyzer, &word);
                let id = intern(stem);
                stem_of_word.entry(word).or_insert(id);
                if !title_stems.contains(&id) {
                    title_stems.push(id);
                }
            }
            if title_stems.is_empty() {
                continue;
            }
            titles.push(Title {
                display,
                qualifier,
                unit,
                stems: title_stems,
            });
        }

        let mut lay = Vec::new();
        for line in LAY_TERMS.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let mut fields = line.splitn(3, ',');
            let (Some(phrase), Some(codes)) = (fields.next(), fields.next()) else {
                continue;
            };
            let mut phrase_stems = Vec::new();
            let mut phrase_words = Vec::new();
            let mut stream = raw.token_stream(phrase);
            while stream.advance() {
                phrase_words.push(stream.token().text.clone());
            }
            drop(stream);
            for word in phrase_words {
                if LITTLE_WORDS.contains(&word.as_str()) {
                    continue;
                }
                let id = intern(stem_of(&mut analyzer, &word));
                stem_of_word.entry(word).or_insert(id);
                phrase_stems.push(id);
            }
            let term_units = codes
                .split_whitespace()
                .filter_map(|code| unit_ids.get(code).copied())
                .collect();
            if !phrase_stems.is_empty() {
                lay.push(LayTerm {
                    stems: phrase_stems,
                    units: term_units,
                });
            }
        }

        let mut titles_of_stem = vec![Vec::new(); stems.len()];
        for (t, title) in titles.iter().enumerate() {
            for stem in &title.stems {
                titles_of_stem[*stem as usize].push(t as u32);
            }
        }
        let n = titles.len() as f32;
        let idf = titles_of_stem
            .iter()
            .map(|t| (1.0 + n / (t.len() as f32 + 1.0)).ln())
            .collect();

        let mut words: Vec<(String, u32)> = stem_of_word.into_iter().collect();
        words.sort();
        let word_ids: HashMap<String, u32> = words
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (w.clone(), i as u32))
            .collect();
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, (word, _)) in words.iter().enumerate() {
            deletions.entry(word.clone()).or_default().push(i as u32);
            for deleted in deletions_of(word) {
                deletions.entry(deleted).or_default().push(i as u32);
            }
        }
        let mut by_length: Vec<Vec<(u32, [u8; 27])>> = Vec::new();
        for (i, (word, _)) in words.iter().enumerate() {
            let letters: Vec<char> = word.chars().collect();
            if letters.len() >= 7 {
                if by_length.len() <= letters.len() {
                    by_length.resize(letters.len() + 1, Vec::new());
                }
                by_length[letters.len()].push((i as u32, letter_bag(&letters)));
            }
        }
        let word_titles = words
            .iter()
            .map(|(_, stem)| titles_of_stem[*stem as usize].len() as u32)
            .collect();

        Self {
            units,
            groups,
            titles,
            stem_ids,
            titles_of_stem,
            idf,
            words,
            word_ids,
            deletions,
            word_titles,
            by_length,
            lay,
        }
    }

    /// A group of any level by its code (1 to 4 digits), when the classification has it.
    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.get(code)
    }

    /// Every unit group's code.
    pub fn unit_codes(&self) -> impl Iterator<Item = &str> {
        self.units.iter().map(String::as_str)
    }

    /// How many titles the coding index holds (after duplicates are dropped).
    pub fn title_count(&self) -> usize {
        self.titles.len()
    }

    /// The English stem of one lower-cased word, as the index's stemmed fields hold it.
    pub fn stem(&self, word: &str) -> String {
        thread_local! {
            static ANALYZER: std::cell::RefCell<TextAnalyzer> =
                std::cell::RefCell::new(stemming_analyzer());
        }
        ANALYZER.with_borrow_mut(|analyzer| stem_of(analyzer, word))
    }

    /// The stems the vocabulary holds for `word`: its own stem exactly, then misspellings within
    /// the word's typo budget (and, for a word of three or four letters, one edit that needs a
    /// second word of the same title to count).
    fn matches(&self, word: &str, stem: &str) -> Vec<WordMatch> {
        let mut out: Vec<WordMatch> = Vec::new();
        let exact_stem = self.stem_ids.get(stem).copied();
        if let Some(stem) = exact_stem {
            let word_id = self.word_ids.get(word).copied().unwrap_or(u32::MAX);
            out.push(WordMatch {
                stem,
                quality: 1.0,
                needs_context: false,
                word: word_id,
            });
        }
        let letters: Vec<char> = word.chars().collect();
        // A word the titles hold as written is not a misspelling of another.
        if letters.iter().any(|c| c.is_ascii_digit()) || self.word_ids.contains_key(word) {
            return out;
        }
        let budget = typo_budget(letters.len());
        let short = budget == 0 && letters.len() >= SHORT_WORD_MIN;
        if budget == 0 && !short {
            return out;
        }
        let mut found: Vec<(usize, u32)> = Vec::new();
        // One edit: the word and its deletions against every word's deletions.
        let mut keys: Vec<String> = deletions_of(word).collect();
        keys.push(word.to_string());
        let mut candidates: HashSet<u32> = HashSet::new();
        for key in &keys {
            if let Some(ids) = self.deletions.get(key) {
                candidates.extend(ids.iter().copied());
            }
        }
        if budget >= 2 {
            // Two edits: the words within two letters of its length whose letters differ by at
            // most two (a cheap bound on the edits), checked one by one below.
            let bag = letter_bag(&letters);
            let lengths = letters.len().saturating_sub(2)..=letters.len() + 2;
            for length in lengths {
                for (id, other) in self.by_length.get(length).into_iter().flatten() {
                    if bag_distance(&bag, other) <= 2 {
                        candidates.insert(*id);
                    }
                }
            }
        }
        let max = usize::from(budget.max(1));
        for id in candidates {
            let candidate: Vec<char> = self.words[id as usize].0.chars().collect();
            if let Some(d) = edits_within(&letters, &candidate, max)
                && d > 0
            {
                found.push((d, id));
            }
        }
        found.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(self.word_titles[b.1 as usize].cmp(&self.word_titles[a.1 as usize]))
        });
        for (d, id) in found.into_iter().take(MAX_SPELLINGS) {
            let stem = self.words[id as usize].1;
            if Some(stem) == exact_stem || out.iter().any(|m| m.stem == stem) {
                continue;
            }
            out.push(WordMatch {
                stem,
                quality: if d == 1 { 0.75 } else { 0.55 },
                needs_context: short,
                word: id,
            });
        }
        out
    }

    /// Reads a search's words (lower-cased, little words dropped, at most 64) as occupations.
    pub fn read(&self, words: &[String]) -> Understanding {
        let words = &words[..words.len().min(64)];
        let stems: Vec<String> = words.iter().map(|w| self.stem(w)).collect();
        let matches: Vec<Vec<WordMatch>> = words
            .iter()
            .zip(&stems)
            .map(|(word, stem)| self.matches(word, stem))
            .collect();
        let mut understanding = Understanding {
            stems,
            ..Understanding::default()
        };
        for (i, m) in matches.iter().enumerate() {
            if !m.is_empty() {
                understanding.known |= 1 << i;
            }
        }

        // Lay phrases whose every word is in the search (as written, by stem or within its typo
        // budget); those marked `-` are conditions.
        let covered_by = |stems: &[u32]| -> Option<u64> {
            let mut mask = 0u64;
            for stem in stems {
                let at = matches
                    .iter()
                    .position(|m| m.iter().any(|m| m.stem == *stem && !m.needs_context))?;
                mask |= 1 << at;
            }
            Some(mask)
        };
        let mut lay_readings: Vec<(u64, &LayTerm)> = Vec::new();
        for term in &self.lay {
            if let Some(mask) = covered_by(&term.stems) {
                if term.units.is_empty() {
                    understanding.conditions |= mask;
                } else {
                    lay_readings.push((mask, term));
                }
            }
        }
        let meaning: Vec<usize> = (0..words.len())
            .filter(|i| understanding.conditions & (1 << i) == 0)
            .collect();
        let weight_of = |i: usize| -> f32 {
            matches[i]
                .first()
                .map_or(self.max_idf(), |m| self.idf[m.stem as usize])
        };
        let total: f32 = meaning.iter().map(|&i| weight_of(i)).sum();
        if total <= 0.0 {
            return understanding;
        }

        // Every title holding a matched stem, scored by how much of the search it explains and
        // how much of itself the search covers.
        // One flat list of (title, word, quality, needs context, spelling), grouped by title:
        // a search with a common word touches thousands of titles, and one allocation for them
        // all keeps memory flat on every search thread.
        let mut hits: Vec<(u32, usize, f32, bool, u32)> = Vec::new();
        for &i in &meaning {
            for m in &matches[i] {
                for &t in &self.titles_of_stem[m.stem as usize] {
                    hits.push((t, i, m.quality, m.needs_context, m.word));
                }
            }
        }
        hits.sort_unstable_by_key(|hit| (hit.0, hit.1, hit.4));
        let lay_mask: u64 = lay_readings.iter().fold(0, |acc, (m, _)| acc | m);
        let mut best: HashMap<u32, (f32, u64)> = HashMap::new();
        let mut respell: HashMap<usize, Vec<String>> = HashMap::new();
        let mut quality = vec![0f32; words.len()];
        for group in hits.chunk_by(|a, b| a.0 == b.0) {
            let title = &self.titles[group[0].0 as usize];
            // A word's best match in this title; a short word's one-edit match counts only when
            // another word of the search matched the title properly.
            let context = group
                .iter()
                .any(|(_, _, _, needs_context, _)| !needs_context);
            quality.fill(0.0);
            for (_, i, q, needs_context, _) in group {
                if !needs_context || context {
                    quality[*i] = quality[*i].max(*q);
                }
            }
            let mut mask = 0u64;
            let mut explained = 0f32;
            for (i, q) in quality.iter().enumerate() {
                if *q > 0.0 {
                    mask |= 1 << i;
                    explained += weight_of(i) * q;
                }
            }
            if mask == 0 || (mask & !lay_mask == 0 && lay_mask != 0) {
                continue;
            }
            if context {
                for (_, i, _, needs_context, word) in group {
                    if *needs_context && mask & (1 << i) != 0 {
                        let spelled = &self.words[*word as usize].0;
                        let list = respell.entry(*i).or_default();
                        if !list.contains(spelled) {
                            list.push(spelled.clone());
                        }
                    }
                }
            }
            let own = mask.count_ones() as f32 / title.stems.len().max(1) as f32;
            let general = if title.qualifier.is_none() { 1.0 } else { 0.9 };
            let score = explained / total * (0.6 + 0.4 * own.min(1.0)) * general;
            let entry = best.entry(title.unit).or_insert((0.0, 0));
            if score > entry.0 {
                *entry = (score, mask);
            }
        }
        for (mask, term) in &lay_readings {
            let explained: f32 = (0..words.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(weight_of)
                .sum();
            for (rank, unit) in term.units.iter().enumerate() {
                let score = explained / total * (1.0 - 0.15 * rank as f32);
                let entry = best.entry(*unit).or_insert((0.0, 0));
                if score > entry.0 {
                    *entry = (score, *mask);
                }
            }
        }
        // A misspelt longer word: its closest spellings in the titles (for counting which unit
        // groups the vacancies carrying it fall in).
        for &i in &meaning {
            if matches[i].iter().any(|m| m.quality >= 1.0) || respell.contains_key(&i) {
                continue;
            }
            let spelled: Vec<String> = matches[i]
                .iter()
                .filter(|m| !m.needs_context && m.quality >= 0.75)
                .take(3)
                .map(|m| self.words[m.word as usize].0.clone())
                .collect();
            if !spelled.is_empty() {
                respell.insert(i, spelled);
            }
        }
        understanding.respellings = respell.into_iter().collect();
        understanding.respellings.sort();

        let mut ranked: Vec<(u32, f32, u64)> = best
            .into_iter()
            .map(|(unit, (score, mask))| (unit, score, mask))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some(&(_, top, _)) = ranked.first() else {
            return understanding;
        };
        let kept: Vec<&(u32, f32, u64)> = ranked
            .iter()
            .take_while(|(_, score, _)| *score >= top * KEEP_SHARE)
            .collect();
        let sum: f32 = kept.iter().map(|(_, s, _)| s).sum();
        for (unit, score, mask) in kept.into_iter().take(MAX_READINGS) {
            let weight = score * score / sum;
            if weight >= 0.15 {
                understanding.readings.push(Reading {
                    code: self.units[*unit as usize].clone(),
                    weight: weight.min(1.0),
                    explains: *mask,
                });
            }
        }
        understanding
    }

    /// Joins what the words mean in the classification with which unit groups the vacancies whose
    /// titles hold every word of work fall in (`counts`: unit group → vacancies, from the index).
    /// A title like "Cleaner" codes to twenty unit groups in the ONS index, so the words alone
    /// cannot choose; the vacancies that carry the title can. Groups counted this way boost
    /// vacancies in them but never stand in for a word (they explain none).
    pub fn with_counts(
        &self,
        mut understanding: Understanding,
        counts: &[(String, f32)],
    ) -> Understanding {
        let total: f32 = counts.iter().map(|(_, n)| n).sum();
        if total < MIN_COUNTED {
            return understanding;
        }
        let counted: Vec<(String, f32)> = counts
            .iter()
            .map(|(code, n)| (code.clone(), *n / total))
            .filter(|(_, share)| *share >= MIN_COUNTED_SHARE)
            .collect();
        let had_readings = !understanding.readings.is_empty();
        for reading in &mut understanding.readings {
            let share = counted
                .iter()
                .find(|(code, _)| *code == reading.code)
                .map_or(0.0, |(_, s)| *s);
            // The vacancies can confirm a reading, never overrule it.
            reading.weight = reading.weight.max(0.5 * reading.weight + 0.5 * share);
        }
        for (code, share) in counted {
            if understanding.readings.iter().all(|r| r.code != code) {
                understanding.readings.push(Reading {
                    code,
                    weight: if had_readings { 0.5 * share } else { share },
                    explains: 0,
                });
            }
        }
        understanding.readings.retain(|r| r.weight >= 0.15);
        understanding
            .readings
            .sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.code.cmp(&b.code)));
        understanding.readings.truncate(MAX_READINGS);
        understanding
    }

    fn max_idf(&self) -> f32 {
        (1.0 + self.titles.len() as f32).ln()
    }

    /// Job titles (and unit groups by code) for `text` as a person types it: every word but the
    /// last must be in the title (or one typo away), the last may be the start of a word; general
    /// titles and shorter ones first. At most `limit`.
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<Suggestion> {
        let text = text.trim_start();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() && digits.len() == text.trim().len() {
            return self
                .units
                .iter()
                .filter(|code| code.starts_with(&digits))
                .take(limit)
                .filter_map(|code| self.groups.get(code))
                .map(|group| Suggestion {
                    title: group.title.clone(),
                    qualifier: None,
                    code: group.code.clone(),
                    group_title: group.title.clone(),
                })
                .collect();
        }
        let lowered = text.to_lowercase();
        let ends_open = !lowered.ends_with(|c: char| !c.is_alphanumeric());
        let mut words: Vec<&str> = lowered
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(8)
            .collect();
        let prefix = if ends_open { words.pop() } else { None };
        words.retain(|w| !LITTLE_WORDS.contains(w));
        if words.is_empty() && prefix.is_none_or(str::is_empty) {
            return Vec::new();
        }
        // Titles holding every whole word (or a spelling one typo away) and a word starting with
        // the unfinished one.
        let narrow = |candidates: Option<HashSet<u32>>, stems: HashSet<u32>| {
            let titles: HashSet<u32> = stems
                .iter()
                .flat_map(|s| self.titles_of_stem[*s as usize].iter().copied())
                .collect();
            Some(match candidates {
                Some(c) => c.intersection(&titles).copied().collect(),
                None => titles,
            })
        };
        let mut candidates: Option<HashSet<u32>> = None;
        for word in &words {
            let stems = self
                .matches(word, &self.stem(word))
                .into_iter()
                .filter(|m| m.quality >= 0.75)
                .map(|m| m.stem)
                .collect();
            candidates = narrow(candidates, stems);
        }
        if let Some(prefix) = prefix {
            let start = self.words.partition_point(|(w, _)| w.as_str() < prefix);
            let stems = self.words[start..]
                .iter()
                .take_while(|(w, _)| w.starts_with(prefix))
                .map(|(_, stem)| *stem)
                .collect();
            candidates = narrow(candidates, stems);
        }
        let mut found: Vec<&Title> = candidates
            .unwrap_or_default()
            .into_iter()
            .map(|t| &self.titles[t as usize])
            .collect();
        let starts = |t: &Title| {
            prefix.is_some_and(|p| t.display.to_lowercase().starts_with(p))
                || words
                    .first()
                    .is_some_and(|w| t.display.to_lowercase().starts_with(w))
        };
        found.sort_by(|a, b| {
            a.qualifier
                .is_some()
                .cmp(&b.qualifier.is_some())
                .then(starts(b).cmp(&starts(a)))
                .then(a.stems.len().cmp(&b.stems.len()))
                .then(a.display.len().cmp(&b.display.len()))
                .then(a.display.cmp(&b.display))
                .then(a.unit.cmp(&b.unit))
        });
        let mut seen = HashSet::new();
        found
            .into_iter()
            .filter(|t| seen.insert((t.display.to_lowercase(), t.unit)))
            .take(limit)
            .map(|t| {
                let code = self.units[t.unit as usize].clone();
                Suggestion {
                    title: t.display.clone(),
                    qualifier: t.qualifier.clone(),
                    group_title: self
                        .groups
                        .get(&code)
                        .map(|g| g.title.clone())
                        .unwrap_or_default(),
                    code,
                }
            })
            .collect()
    }

    /// The stem id the vocabulary holds for `stem`, if any (for tests).
    #[cfg(test)]
    pub(crate) fn knows_stem(&self, stem: &str) -> bool {
        self.stem_ids.contains_key(stem)
    }
}

/// The hyphenated words of `text` written as one ("check-out" → "checkout"), lower-cased.
pub(crate) fn joined_hyphens(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.contains('-'))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| w.len() >= 3)
        .collect()
}

fn stem_of(analyzer: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = analyzer.token_stream(word);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    if out.is_empty() {
        word.to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(text: &str) -> Option<String> {
        occupations()
            .read(&words_of(text))
            .readings
            .first()
            .map(|r| r.code.clone())
    }

    #[test]
    fn the_lay_table_names_only_unit_groups_the_classification_has() {
        for line in LAY_TERMS.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let codes = line.split(',').nth(1).expect("a units column");
            for code in codes.split_whitespace().filter(|c| *c != "-") {
                let group = occupations().group(code);
                assert!(
                    group.is_some_and(|g| g.level == Level::Unit),
                    "{line}: {code} is not a unit group"
                );
            }
        }
    }

    #[test]
    fn titles_are_turned_round_and_the_index_is_whole() {
        assert_eq!(turn_round("Assistant, kitchen"), "Kitchen assistant");
        assert_eq!(
            turn_round("Accountant, chief, group"),
            "Group chief accountant"
        );
        assert!(occupations().title_count() > 25_000);
        assert!(occupations().knows_stem("warehous"));
    }

    #[test]
    fn edit_distance_counts_a_transposition_as_one() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edits_within(&c("casheir"), &c("cashier"), 1), Some(1));
        assert_eq!(edits_within(&c("cleanr"), &c("cleaner"), 1), Some(1));
        assert_eq!(edits_within(&c("caarepnter"), &c("carpenter"), 2), Some(2));
        assert_eq!(edits_within(&c("cook"), &c("chef"), 2), None);
    }

    #[test]
    fn titles_lay_phrases_and_typos_read_as_their_unit_groups() {
        assert_eq!(top("kitchen porter").as_deref(), Some("9272"));
        assert_eq!(top("bar work").as_deref(), Some("9274"));
        assert_eq!(top("labouring").as_deref(), Some("9120"));
        assert_eq!(top("looking after older people").as_deref(), Some("6145"));
        assert_eq!(top("hoospital porter").as_deref(), Some("9271"));
        // "staf" is too short for the index's typo tolerance; beside "bar" it is bar staff.
        let read = occupations().read(&words_of("bar staf"));
        assert_eq!(read.readings.first().map(|r| r.code.as_str()), Some("9274"));
        assert!(
            read.respellings
                .iter()
                .any(|(i, w)| *i == 1 && w.contains(&"staff".to_string()))
        );
        // Alone it reads as nothing.
        assert!(occupations().read(&words_of("staf")).respellings.is_empty());
    }

    #[test]
    fn condition_words_are_not_read_as_work() {
        let read = occupations().read(&words_of("part time cleaner nights"));
        assert_eq!(read.conditions, 0b1011);
    }

    #[test]
    fn suggestions_complete_the_last_word_and_take_codes() {
        let found = occupations().suggest("kitchen port", 5);
        assert!(
            found
                .iter()
                .any(|s| s.title == "Kitchen porter" && s.code == "9272"),
            "{found:?}"
        );
        let by_code = occupations().suggest("927", 10);
        assert!(by_code.iter().any(|s| s.code == "9274"));
        assert!(occupations().suggest("", 5).is_empty());
        assert!(
            occupations()
                .suggest("kitchen", 5)
                .iter()
                .all(|s| s.title.to_lowercase().contains("kitchen"))
        );
    }
}
