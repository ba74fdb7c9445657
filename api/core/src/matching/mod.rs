//! Matching a client's preferences to vacancies: suggestions for a specialist and client to talk
//! over, never applications. Hard rules first (in the index query, then again on every database
//! row, so an excluded vacancy is never suggested even when the index lags), retrieval by the
//! client's occupations and words, then a weighted score per factor, each explained.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use search_index::{Filters, Near, SearchRequest, Sort, VacancyIndex, distance_km};
use uuid::Uuid;

use entities::{employer, job_preference, vacancy, vocational_profile};

use crate::clients::inputs::FreeWindow;

use crate::clients::model::Weekday;
use crate::error::ApiError;
use crate::vacancies::model::{SocVersion, VacancyStatus};
use crate::vacancies::service::soc_title;

/// Candidates taken from the index before scoring.
const CANDIDATES: usize = 120;
/// Near misses listed at most.
const NEAR_MISSES: usize = 20;
/// Travel distance assumed when the client gave none, for the distance factor only.
const DEFAULT_TRAVEL_KM: f64 = 30.0;
/// The National Living Wage from April 2025, pounds an hour: the pay factor's floor when the client
/// gave no minimum.
const LIVING_WAGE: f64 = 12.21;

/// A part of the match score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum MatchFactorKind {
    /// The vacancy's occupation against the occupations and words the client wants.
    Occupation,
    /// Hours a week offered against wanted.
    Hours,
    /// Pay against the client's minimum (or the living wage).
    Pay,
    /// Distance from home against how far the client will travel.
    Distance,
    /// Shift patterns against those the client can work.
    Shift,
    /// The client's skills found in the vacancy.
    Skills,
    /// How open the employer is to people in recovery.
    EmployerOpenness,
}

/// A rule that keeps a vacancy out of a client's suggestions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum ExclusionRule {
    /// Not open, or past its closing date.
    NotOpen,
    /// Has a workplace feature the client avoids.
    AvoidedEnvironment,
    /// Further than the client will travel (or its place is unknown).
    BeyondTravelDistance,
    /// Pays less than the client's minimum (or does not say).
    BelowMinimumPay,
    /// Its hours do not overlap the client's range (or are not stated).
    HoursIncompatible,
    /// A shift falls in a time the client must keep free.
    FreeWindowClash,
}

/// Something to talk through before applying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum MatchWarningKind {
    /// The employer tests for drugs.
    DrugTesting,
    /// A DBS check is required.
    DbsCheck,
    /// Evening or night shifts.
    LateShifts,
    /// Driving is part of the job.
    DrivingRequired,
}

/// One factor of a suggestion's score.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct MatchFactor {
    /// Which factor.
    pub factor: MatchFactorKind,
    /// What the client asked for.
    pub client_value: String,
    /// What the vacancy offers.
    pub vacancy_value: String,
    /// How well they fit, 0 to 1.
    pub fit: f64,
    /// The factor's weight (from configuration).
    pub weight: f64,
    /// Its share of the score: weight × fit ÷ total weight.
    pub contribution: f64,
}

/// A point to raise with the client.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct MatchWarning {
    /// What kind.
    pub kind: MatchWarningKind,
    /// A sentence for the specialist.
    pub message: String,
}

/// Why a vacancy was excluded.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct Exclusion {
    /// The rule.
    pub rule: ExclusionRule,
    /// What failed, for a person.
    pub message: String,
}

/// The match factors' default weights: occupation counts most, then distance and pay.
pub const DEFAULT_MATCH_WEIGHTS: &str =
    "occupation=3,distance=2,pay=1.5,hours=1.5,shift=1,skills=1,employer_openness=1";

/// Factor weights, from configuration (`IPSMATCH_MATCH_WEIGHTS`).
#[derive(Clone, Debug, PartialEq)]
pub struct MatchWeights(pub Vec<(MatchFactorKind, f64)>);

impl MatchWeights {
    /// The default: occupation counts most, then distance and pay.
    pub const DEFAULT: &'static str = DEFAULT_MATCH_WEIGHTS;

    /// The default weights ([`DEFAULT_MATCH_WEIGHTS`]).
    pub fn standard() -> Self {
        use MatchFactorKind::*;
        MatchWeights(vec![
            (Occupation, 3.0),
            (Distance, 2.0),
            (Pay, 1.5),
            (Hours, 1.5),
            (Shift, 1.0),
            (Skills, 1.0),
            (EmployerOpenness, 1.0),
        ])
    }

    /// Parses `name=weight,…`; every factor must appear once with a weight of 0 or more.
    pub fn parse(text: &str) -> Result<Self, String> {
        let names = [
            ("occupation", MatchFactorKind::Occupation),
            ("hours", MatchFactorKind::Hours),
            ("pay", MatchFactorKind::Pay),
            ("distance", MatchFactorKind::Distance),
            ("shift", MatchFactorKind::Shift),
            ("skills", MatchFactorKind::Skills),
            ("employer_openness", MatchFactorKind::EmployerOpenness),
        ];
        let mut weights = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not name=weight"))?;
            let kind = names
                .iter()
                .find(|(n, _)| *n == name.trim())
                .map(|(_, k)| *k)
                .ok_or_else(|| format!("unknown factor `{}`", name.trim()))?;
            let weight: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| format!("the weight of `{}` must be a number ≥ 0", name.trim()))?;
            if weights.iter().any(|(k, _)| *k == kind) {
                return Err(format!("`{}` appears twice", name.trim()));
            }
            weights.push((kind, weight));
        }
        if weights.len() != names.len() {
            return Err(format!(
                "give a weight for each of: {}",
                names.map(|(n, _)| n).join(", ")
            ));
        }
        if weights.iter().all(|(_, w)| *w == 0.0) {
            return Err("at least one weight must be above 0".into());
        }
        Ok(MatchWeights(weights))
    }

    fn of(&self, kind: MatchFactorKind) -> f64 {
        self.0
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0.0, |(_, w)| *w)
    }

    fn total(&self) -> f64 {
        self.0.iter().map(|(_, w)| w).sum()
    }
}

/// A client's preferences and profile, read once for a match.
pub struct Wants {
    prefs: job_preference::Model,
    skills: Vec<String>,
    windows: Vec<FreeWindow>,
    /// The unit groups the wanted titles (free text) read as, with how sure each reading is.
    title_groups: Vec<(String, f64)>,
}

/// The SOC unit groups free job titles read as ("bar work" → 9274), each with its confidence,
/// through the search index's occupation reading.
fn read_titles(titles: &str) -> Vec<(String, f64)> {
    let occupations = search_index::occupations::occupations();
    let mut out: Vec<(String, f64)> = Vec::new();
    for line in titles.lines().filter(|l| !l.trim().is_empty()) {
        for reading in occupations
            .read(&search_index::occupations::words_of(line))
            .readings
        {
            let confidence = f64::from(reading.weight);
            match out.iter_mut().find(|(code, _)| *code == reading.code) {
                Some(known) => known.1 = known.1.max(confidence),
                None => out.push((reading.code, confidence)),
            }
        }
    }
    out
}

fn split(stored: &str) -> Vec<&str> {
    stored.split(',').filter(|s| !s.is_empty()).collect()
}

impl Wants {
    /// From the current preferences and (optional) profile.
    pub fn new(prefs: job_preference::Model, profile: Option<&vocational_profile::Model>) -> Self {
        let windows = serde_json::from_str(&prefs.free_windows).unwrap_or_default();
        let skills = profile
            .map(|p| {
                p.skills
                    .lines()
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Wants {
            title_groups: read_titles(&prefs.occupation_titles),
            prefs,
            skills,
            windows,
        }
    }

    fn home(&self) -> Option<(f64, f64)> {
        self.prefs.home_latitude.zip(self.prefs.home_longitude)
    }

    /// Shift patterns that overlap a time the client must keep free.
    fn clashing_shifts(&self) -> Vec<&'static str> {
        SHIFT_TIMES
            .iter()
            .filter(|(_, days, from, to)| {
                self.windows.iter().any(|w| {
                    let (Some(wf), Some(wt)) = (time(&w.from), time(&w.to)) else {
                        return false;
                    };
                    w.days.iter().any(|d| days.contains(d)) && overlaps((*from, *to), (wf, wt))
                })
            })
            .map(|(shift, _, _, _)| *shift)
            .collect()
    }

    /// The words to retrieve vacancies by: wanted titles, keywords and the titles of wanted SOC
    /// unit groups.
    fn retrieval_text(&self) -> String {
        let mut words: Vec<String> = self
            .prefs
            .occupation_titles
            .lines()
            .chain(self.prefs.keywords.lines())
            .map(str::to_string)
            .collect();
        for code in split(&self.prefs.occupations) {
            if let Some(title) = soc_title(SocVersion::Soc2010, code) {
                words.push(title.to_string());
            }
        }
        words.join(" ")
    }

    /// The hard rules as index filters (re-checked on every row by [`Wants::violations`]).
    fn filters(&self) -> (Filters, Option<Near>) {
        let p = &self.prefs;
        let filters = Filters {
            statuses: vec![VacancyStatus::Open.as_db().into()],
            exclude_environments: split(&p.avoid_environments)
                .into_iter()
                .map(str::to_string)
                .collect(),
            exclude_shifts: self
                .clashing_shifts()
                .into_iter()
                .map(str::to_string)
                .collect(),
            min_hourly_pay: p.min_hourly_pay,
            hours_at_least: p.hours_min,
            hours_at_most: p.hours_max,
            ..Filters::default()
        };
        let near = match (self.home(), p.max_travel_km) {
            (Some((latitude, longitude)), Some(radius_km)) if !p.remote_ok => Some(Near {
                latitude,
                longitude,
                radius_km,
            }),
            _ => None,
        };
        (filters, near)
    }

    /// Every hard rule `v` breaks for this client (empty: it may be suggested).
    pub fn violations(&self, v: &vacancy::Model, today: NaiveDate) -> Vec<Exclusion> {
        let p = &self.prefs;
        let mut out = Vec::new();
        let mut fail = |rule, message: String| out.push(Exclusion { rule, message });
        if v.status != VacancyStatus::Open.as_db() || v.closing_date.is_some_and(|d| d < today) {
            fail(
                ExclusionRule::NotOpen,
                format!("the vacancy is {}", v.status.to_lowercase()),
            );
        }
        let avoided: Vec<&str> = split(&v.environments)
            .into_iter()
            .filter(|e| split(&p.avoid_environments).contains(e))
            .collect();
        if !avoided.is_empty() {
            fail(
                ExclusionRule::AvoidedEnvironment,
                format!("involves {}, which the client avoids", label_list(&avoided)),
            );
        }
        if let (Some(home), Some(max)) = (self.home(), p.max_travel_km)
            && !(v.remote && p.remote_ok)
        {
            match v.latitude.zip(v.longitude) {
                Some(place) => {
                    let km = distance_km(home, place);
                    if km > max {
                        fail(
                            ExclusionRule::BeyondTravelDistance,
                            format!("{km:.1} km from home; the client travels up to {max:.0} km"),
                        );
                    }
                }
                None => fail(
                    ExclusionRule::BeyondTravelDistance,
                    "the vacancy's place is not known".into(),
                ),
            }
        }
        if let Some(min) = p.min_hourly_pay {
            match v.pay_max_hourly.or(v.pay_min_hourly) {
                Some(pay) if pay >= min => {}
                Some(pay) => fail(
                    ExclusionRule::BelowMinimumPay,
                    format!("pays up to £{pay:.2} an hour; the client needs £{min:.2}"),
                ),
                None => fail(
                    ExclusionRule::BelowMinimumPay,
                    "the vacancy does not say what it pays".into(),
                ),
            }
        }
        if p.hours_min.is_some() || p.hours_max.is_some() {
            let offered = (v.hours_min.or(v.hours_max), v.hours_max.or(v.hours_min));
            match offered {
                (Some(low), Some(high)) => {
                    let too_few = p.hours_min.is_some_and(|min| high < min);
                    let too_many = p.hours_max.is_some_and(|max| low > max);
                    if too_few || too_many {
                        fail(
                            ExclusionRule::HoursIncompatible,
                            format!(
                                "offers {} hours a week; the client wants {}",
                                range_text(low, high),
                                range_text(p.hours_min.unwrap_or(0.0), p.hours_max.unwrap_or(80.0))
                            ),
                        );
                    }
                }
                _ => fail(
                    ExclusionRule::HoursIncompatible,
                    "the vacancy does not say its hours".into(),
                ),
            }
        }
        let clashes: Vec<&str> = split(&v.shifts)
            .into_iter()
            .filter(|s| self.clashing_shifts().contains(s))
            .collect();
        if !clashes.is_empty() {
            fail(
                ExclusionRule::FreeWindowClash,
                format!(
                    "{} fall in a time the client keeps free",
                    label_list(&clashes)
                ),
            );
        }
        out
    }

    /// The weighted, explained score of a vacancy that passed the hard rules.
    fn score(
        &self,
        v: &vacancy::Model,
        employer: Option<&employer::Model>,
        weights: &MatchWeights,
    ) -> (f64, Vec<MatchFactor>) {
        let p = &self.prefs;
        let total = weights.total().max(f64::MIN_POSITIVE);
        let mut factors = Vec::new();
        let mut add = |factor, client_value: String, vacancy_value: String, fit: f64| {
            let fit = fit.clamp(0.0, 1.0);
            let weight = weights.of(factor);
            factors.push(MatchFactor {
                factor,
                client_value,
                vacancy_value,
                fit: round(fit),
                weight,
                contribution: round(weight * fit / total),
            });
        };

        // Occupation: the SOC hierarchy, else shared words with wanted titles and keywords.
        let wanted = split(&p.occupations);
        let soc = v.soc_code.clone().unwrap_or_default();
        let by_code = wanted
            .iter()
            .map(|code| {
                let shared = code
                    .chars()
                    .zip(soc.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                if shared >= code.len() && !code.is_empty() {
                    1.0
                } else {
                    [0.0, 0.25, 0.5, 0.7, 0.7][shared.min(4)]
                }
            })
            .fold(0.0, f64::max);
        let wanted_words = words(&format!("{}\n{}", p.occupation_titles, p.keywords));
        let title_words = words(&v.title);
        let by_words = if wanted_words.is_empty() {
            0.0
        } else {
            wanted_words
                .iter()
                .filter(|w| title_words.contains(w))
                .count() as f64
                / wanted_words.len().min(3) as f64
        };
        // A wanted title read as an occupation: the vacancy's place in the SOC hierarchy beside it,
        // as sure as the reading is ("bar work" fits a bartender without sharing a word).
        let by_reading = self
            .title_groups
            .iter()
            .map(|(code, confidence)| {
                let shared = code
                    .chars()
                    .zip(soc.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                [0.0, 0.25, 0.5, 0.7, 1.0][shared.min(4)] * confidence.clamp(0.0, 1.0)
            })
            .fold(0.0, f64::max);
        let no_wish = wanted.is_empty() && wanted_words.is_empty();
        add(
            MatchFactorKind::Occupation,
            if no_wish {
                "open to any work".into()
            } else {
                [wanted.join(", "), p.occupation_titles.replace('\n', ", ")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            format!(
                "{} (SOC {})",
                v.title,
                if soc.is_empty() { "?" } else { &soc }
            ),
            if no_wish {
                0.5
            } else {
                by_code.max(by_words).max(by_reading)
            },
        );

        // Hours: the share of the wanted range the vacancy covers.
        let (want_low, want_high) = (p.hours_min.unwrap_or(0.0), p.hours_max.unwrap_or(48.0));
        let (low, high) = (
            v.hours_min.or(v.hours_max).unwrap_or(0.0),
            v.hours_max.or(v.hours_min).unwrap_or(0.0),
        );
        let overlap = (high.min(want_high) - low.max(want_low)).max(0.0);
        let hours_fit = if v.hours_max.is_none() && v.hours_min.is_none() {
            0.5
        } else if want_high > want_low {
            (overlap / (want_high - want_low)).max(if overlap > 0.0 || low == high {
                0.6
            } else {
                0.0
            })
        } else {
            1.0
        };
        add(
            MatchFactorKind::Hours,
            range_text(want_low, want_high),
            range_text(low, high),
            hours_fit,
        );

        // Pay: 30% above the client's minimum (or the living wage) or more is a full fit.
        let floor = p.min_hourly_pay.unwrap_or(LIVING_WAGE);
        let pay = v.pay_max_hourly.or(v.pay_min_hourly);
        add(
            MatchFactorKind::Pay,
            format!("£{floor:.2} an hour or more"),
            pay.map_or("not stated".into(), |p| format!("up to £{p:.2} an hour")),
            pay.map_or(0.3, |pay| 0.5 + (pay - floor) / (floor * 0.3) * 0.5),
        );

        // Distance: closer is better, within the client's range.
        let reach = p.max_travel_km.unwrap_or(DEFAULT_TRAVEL_KM).max(1.0);
        let (vacancy_value, fit) = if v.remote && p.remote_ok {
            ("remote".to_string(), 1.0)
        } else {
            match (self.home(), v.latitude.zip(v.longitude)) {
                (Some(home), Some(place)) => {
                    let km = distance_km(home, place);
                    (format!("{km:.1} km"), 1.0 - km / reach)
                }
                _ => ("unknown".to_string(), 0.4),
            }
        };
        add(
            MatchFactorKind::Distance,
            format!("up to {reach:.0} km"),
            vacancy_value,
            fit,
        );

        // Shifts: the share of the vacancy's shifts the client can work.
        let can_work = split(&p.shifts);
        let shifts = split(&v.shifts);
        let shift_fit = if can_work.is_empty() || shifts.is_empty() {
            1.0
        } else {
            shifts.iter().filter(|s| can_work.contains(s)).count() as f64 / shifts.len() as f64
        };
        add(
            MatchFactorKind::Shift,
            if can_work.is_empty() {
                "any".into()
            } else {
                label_list(&can_work)
            },
            if shifts.is_empty() {
                "not stated".into()
            } else {
                label_list(&shifts)
            },
            shift_fit,
        );

        // Skills: the client's skills found in the vacancy's words.
        let text = format!("{} {} {}", v.title, v.skills, v.description).to_lowercase();
        let found: Vec<&String> = self
            .skills
            .iter()
            .filter(|s| text.contains(s.as_str()))
            .collect();
        add(
            MatchFactorKind::Skills,
            if self.skills.is_empty() {
                "none recorded".into()
            } else {
                self.skills.join(", ")
            },
            if found.is_empty() {
                "none of them mentioned".into()
            } else {
                found
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            if self.skills.is_empty() {
                0.5
            } else {
                found.len() as f64 / self.skills.len().min(3) as f64
            },
        );

        // Employer openness: a known, recovery-friendly hiring partner is the best door.
        let (vacancy_value, fit) = match employer {
            Some(e) => {
                let mut fit: f64 = match e.stage.as_str() {
                    "HIRING_PARTNER" => 0.6,
                    "ENGAGED" => 0.4,
                    _ => 0.2,
                };
                let mut notes = vec![e.stage.to_lowercase().replace('_', " ")];
                if e.recovery_friendly {
                    fit += 0.4;
                    notes.push("recovery-friendly".into());
                }
                if e.disability_confident {
                    fit += 0.1;
                    notes.push("Disability Confident".into());
                }
                (format!("{}: {}", e.name, notes.join(", ")), fit)
            }
            None => ("no relationship yet".to_string(), 0.2),
        };
        add(
            MatchFactorKind::EmployerOpenness,
            "an open employer".into(),
            vacancy_value,
            fit,
        );

        let score = factors.iter().map(|f| f.contribution).sum();
        (round(score), factors)
    }
}

/// The warnings a vacancy carries for any client.
fn warnings(v: &vacancy::Model) -> Vec<MatchWarning> {
    let mut out = Vec::new();
    if v.drug_testing != "NONE" {
        out.push(MatchWarning {
            kind: MatchWarningKind::DrugTesting,
            message: format!(
                "drug testing: {}",
                v.drug_testing.to_lowercase().replace('_', " ")
            ),
        });
    }
    if v.dbs_level != "NONE" {
        out.push(MatchWarning {
            kind: MatchWarningKind::DbsCheck,
            message: format!(
                "DBS check: {}",
                v.dbs_level.to_lowercase().replace('_', " ")
            ),
        });
    }
    let shifts = split(&v.shifts);
    if shifts.contains(&"EVENINGS") || shifts.contains(&"NIGHTS") {
        out.push(MatchWarning {
            kind: MatchWarningKind::LateShifts,
            message: "evening or night shifts".into(),
        });
    }
    if split(&v.environments).contains(&"DRIVING") {
        out.push(MatchWarning {
            kind: MatchWarningKind::DrivingRequired,
            message: "driving is part of the job: check the licence".into(),
        });
    }
    out
}

/// A shift pattern's days and clock times: (pattern, days, start, end), times as (hour, minute).
type ShiftTime = (&'static str, &'static [Weekday], (u32, u32), (u32, u32));

/// Shift patterns as days and clock times (nights run to 06:00 the next morning; the
/// window check treats them as the evening part and the early part on the same days).
const SHIFT_TIMES: &[ShiftTime] = &[
    ("EARLY_STARTS", ALL_DAYS, (5, 0), (9, 0)),
    ("DAYS", WEEKDAYS, (9, 0), (17, 0)),
    ("EVENINGS", ALL_DAYS, (17, 0), (23, 0)),
    ("NIGHTS", ALL_DAYS, (22, 0), (24, 0)),
    ("NIGHTS", ALL_DAYS, (0, 0), (6, 0)),
    ("WEEKENDS", &[Weekday::Sat, Weekday::Sun], (9, 0), (17, 0)),
];
const ALL_DAYS: &[Weekday] = &[
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];
const WEEKDAYS: &[Weekday] = &[
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

fn time(text: &str) -> Option<(u32, u32)> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .ok()
        .map(|t| (chrono::Timelike::hour(&t), chrono::Timelike::minute(&t)))
}

fn overlaps(a: ((u32, u32), (u32, u32)), b: ((u32, u32), (u32, u32))) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect()
}

fn label_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| s.to_lowercase().replace('_', " "))
        .collect::<Vec<_>>()
        .join(", ")
}

fn range_text(low: f64, high: f64) -> String {
    if (high - low).abs() < f64::EPSILON {
        format!("{low}")
    } else {
        format!("{low}–{high}")
    }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// One suggestion, scored and explained.
#[derive(Clone)]
pub struct Suggestion {
    /// The vacancy.
    pub vacancy: vacancy::Model,
    /// Weighted fit, 0 to 1.
    pub score: f64,
    /// How the score came about.
    pub factors: Vec<MatchFactor>,
    /// What to talk through.
    pub warnings: Vec<MatchWarning>,
}

/// A vacancy kept out, with the rules it broke.
pub struct NearMiss {
    /// The vacancy.
    pub vacancy: vacancy::Model,
    /// Every rule it broke.
    pub excluded_by: Vec<Exclusion>,
}

/// All suggestions for one client, best first, and (when asked) the near misses.
pub struct Matches {
    /// Suggestions in order.
    pub suggestions: Vec<Suggestion>,
    /// Vacancies that matched the client's words but broke a hard rule.
    pub near_misses: Vec<NearMiss>,
}

async fn rows_by_id(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<
    (
        HashMap<Uuid, vacancy::Model>,
        HashMap<Uuid, employer::Model>,
    ),
    ApiError,
> {
    let vacancies: HashMap<Uuid, vacancy::Model> = vacancy::Entity::find()
        .filter(vacancy::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let employer_ids: Vec<Uuid> = vacancies.values().filter_map(|v| v.employer_id).collect();
    let employers = employer::Entity::find()
        .filter(employer::Column::Id.is_in(employer_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok((vacancies, employers))
}

async fn retrieve(
    index: &Arc<VacancyIndex>,
    text: String,
    filters: Filters,
    near: Option<Near>,
) -> Result<Vec<Uuid>, ApiError> {
    let index = index.clone();
    let request = SearchRequest {
        sort: if text.trim().is_empty() {
            Sort::Newest
        } else {
            Sort::Relevance
        },
        text,
        filters,
        near,
        offset: 0,
        limit: CANDIDATES,
        count_facets: false,
        stop: Default::default(),
    };
    // Stored words are not refused here: the index searches the first `MAX_WORDS` of them.
    let results = crate::vacancies::search::run_search(index, request).await?;
    Ok(results
        .hits
        .iter()
        .filter_map(|h| Uuid::parse_str(&h.id).ok())
        .collect())
}

/// Suggestions for a client with `wants`: hard rules in the index query and again on each row,
/// then scored; near misses when asked.
pub async fn match_client(
    db: &DatabaseConnection,
    index: &Arc<VacancyIndex>,
    wants: &Wants,
    weights: &MatchWeights,
    include_near_misses: bool,
    today: NaiveDate,
) -> Result<Matches, ApiError> {
    let text = wants.retrieval_text();
    let (filters, near) = wants.filters();
    let ids = retrieve(index, text.clone(), filters, near).await?;
    let (vacancies, employers) = rows_by_id(db, &ids).await?;
    let mut suggestions: Vec<Suggestion> = ids
        .iter()
        .filter_map(|id| vacancies.get(id))
        .filter(|v| wants.violations(v, today).is_empty())
        .map(|v| {
            let employer = v.employer_id.and_then(|e| employers.get(&e));
            let (score, factors) = wants.score(v, employer, weights);
            Suggestion {
                vacancy: v.clone(),
                score,
                factors,
                warnings: warnings(v),
            }
        })
        .collect();
    suggestions.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.vacancy.id.cmp(&b.vacancy.id))
    });

    let mut near_misses = Vec::new();
    if include_near_misses {
        let open = Filters {
            statuses: vec![VacancyStatus::Open.as_db().into()],
            ..Filters::default()
        };
        let ids = retrieve(index, text, open, None).await?;
        let (vacancies, _) = rows_by_id(db, &ids).await?;
        for v in ids.iter().filter_map(|id| vacancies.get(id)) {
            let excluded_by = wants.violations(v, today);
            if !excluded_by.is_empty() {
                near_misses.push(NearMiss {
                    vacancy: v.clone(),
                    excluded_by,
                });
                if near_misses.len() == NEAR_MISSES {
                    break;
                }
            }
        }
    }
    Ok(Matches {
        suggestions,
        near_misses,
    })
}

/// Scores one vacancy for a client: `Err` with the rules it breaks, or the explained suggestion.
pub fn match_one(
    wants: &Wants,
    v: &vacancy::Model,
    employer: Option<&employer::Model>,
    weights: &MatchWeights,
    today: NaiveDate,
) -> Result<Suggestion, Vec<Exclusion>> {
    let excluded_by = wants.violations(v, today);
    if !excluded_by.is_empty() {
        return Err(excluded_by);
    }
    let (score, factors) = wants.score(v, employer, weights);
    Ok(Suggestion {
        vacancy: v.clone(),
        score,
        factors,
        warnings: warnings(v),
    })
}

pub mod suggest;
pub mod watch;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse_and_refuse_what_they_cannot_use() {
        assert_eq!(
            MatchWeights::parse(MatchWeights::DEFAULT),
            Ok(MatchWeights::standard()),
            "the default text and the default weights say the same"
        );
        assert!(
            MatchWeights::parse("occupation=3").is_err(),
            "every factor needs a weight"
        );
        let doubled = format!("{},pay=2", MatchWeights::DEFAULT);
        assert!(MatchWeights::parse(&doubled).is_err());
        let negative = MatchWeights::DEFAULT.replace("pay=1.5", "pay=-1");
        assert!(MatchWeights::parse(&negative).is_err());
    }

    #[test]
    fn shifts_clash_with_the_times_a_client_keeps_free() {
        let window = |days: &[Weekday], from: &str, to: &str| FreeWindow {
            days: days.to_vec(),
            from: from.into(),
            to: to.into(),
            reason: None,
        };
        let wants = |windows: Vec<FreeWindow>| Wants {
            prefs: job_preference::Model {
                id: Uuid::nil(),
                client_id: Uuid::nil(),
                version: 1,
                occupations: String::new(),
                occupation_titles: String::new(),
                keywords: String::new(),
                sectors: String::new(),
                hours_min: None,
                hours_max: None,
                shifts: String::new(),
                free_windows: String::new(),
                contract_types: String::new(),
                min_hourly_pay: None,
                home_town: None,
                home_latitude: None,
                home_longitude: None,
                max_travel_km: None,
                remote_ok: false,
                avoid_environments: String::new(),
                prefer_environments: String::new(),
                recorded_by_id: Uuid::nil(),
                recorded_at: crate::clock::now(),
            },
            skills: vec![],
            windows,
            title_groups: vec![],
        };
        let dispensing = wants(vec![window(&[Weekday::Mon], "07:30", "08:30")]);
        assert_eq!(dispensing.clashing_shifts(), vec!["EARLY_STARTS"]);
        let evening_group = wants(vec![window(&[Weekday::Wed], "18:00", "20:00")]);
        assert_eq!(evening_group.clashing_shifts(), vec!["EVENINGS"]);
        let saturday = wants(vec![window(&[Weekday::Sat], "10:00", "11:00")]);
        assert_eq!(saturday.clashing_shifts(), vec!["WEEKENDS"]);
        let late = wants(vec![window(&[Weekday::Fri], "23:30", "23:45")]);
        assert_eq!(late.clashing_shifts(), vec!["NIGHTS"]);
    }

    #[test]
    fn wanted_titles_in_plain_words_read_as_occupations() {
        // "bar work" shares no word with "Bartender"; read as an occupation it is bar staff.
        let groups = read_titles("bar work\nlooking after older people");
        assert!(
            groups.iter().any(|(code, c)| code == "9274" && *c > 0.5),
            "{groups:?}"
        );
        assert!(groups.iter().any(|(code, _)| code == "6145"), "{groups:?}");
        assert!(read_titles("").is_empty());
    }
}
