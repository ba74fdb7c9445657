//! Vacancies as people returning to work meet them: titles and SOC codes from the ONS coding index
//! (entry-level jobs weigh most), pay, hours, contracts and workplace features in realistic
//! proportions, in real towns chosen by population. The demo draws ~5,000 around its teams; the
//! search benchmark draws any number across Great Britain, adding the index's long tail of titles.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use uuid::Uuid;

use entities::{employer, vacancy};

use super::seeds::{Place, Rng};
use crate::employers::model::Sector;
use crate::vacancies::model::{
    ContractType, DbsLevel, DrugTesting, PayPeriod, ShiftPattern, SocVersion, VacancySourceKind,
    VacancyStatus, WorkEnvironment,
};
use crate::vacancies::service::{hourly, join};

const TITLES: &str = include_str!("job-titles.csv");
/// How many vacancies the demo holds.
pub const VACANCIES: usize = 5_000;
/// External feeds vacancies that come from outside claim to be from, most common first.
const FEEDS: &[&str] = &["dwp-find-a-job", "dwp-find-a-job", "council-jobs"];

/// A job title and its SOC 2010 unit group.
#[derive(Clone, Debug)]
pub struct Title {
    soc: String,
    title: String,
    weight: f64,
}

fn titles() -> Vec<Title> {
    TITLES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (soc, rest) = line.split_once(',')?;
            let (title, weight) = rest.rsplit_once(',')?;
            Some(Title {
                soc: soc.to_string(),
                title: title.trim_matches('"').to_string(),
                weight: weight.parse().ok()?,
            })
        })
        .collect()
}

/// Every title of the ONS SOC 2010 coding index (`soc2010_unit,index_title,qualifier` rows), each
/// equally likely: the long tail of jobs beyond the common entry-level ones.
pub fn index_titles(csv: &str) -> Vec<Title> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let (soc, rest) = line.split_once(',')?;
            let title = match rest.strip_prefix('"') {
                Some(quoted) => quoted.split_once('"')?.0,
                None => rest.split(',').next()?,
            };
            let title = title.trim();
            let valid =
                soc.len() == 4 && soc.chars().all(|c| c.is_ascii_digit()) && title.len() >= 3;
            valid.then(|| Title {
                soc: soc.to_string(),
                title: title.to_string(),
                weight: 1.0,
            })
        })
        .collect()
}

/// Items drawn in proportion to a weight, by binary search over the running total (fast enough
/// for a million draws).
struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T> Weighted<T> {
    fn new(items: Vec<T>, weight: impl Fn(&T) -> f64) -> Self {
        let mut total = 0.0;
        let cumulative = items
            .iter()
            .map(|item| {
                total += weight(item).max(0.0);
                total
            })
            .collect();
        Self { items, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &T {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.unit() * total;
        let at = self.cumulative.partition_point(|c| *c <= target);
        &self.items[at.min(self.items.len().saturating_sub(1))]
    }
}

fn sector_of(soc: &str) -> Sector {
    match &soc[..2] {
        "92" if ["9271", "9272", "9273", "9274"].contains(&soc) => Sector::AccommodationFood,
        "92" | "82" => Sector::TransportStorage,
        "91" | "81" => Sector::Manufacturing,
        "71" | "72" => Sector::WholesaleRetail,
        "61" => Sector::HealthSocialWork,
        "62" => Sector::ArtsRecreation,
        "54" => Sector::AccommodationFood,
        "53" | "51" => Sector::Construction,
        _ if soc.starts_with("923") => Sector::AdministrativeSupport,
        _ => Sector::AdministrativeSupport,
    }
}

/// Hourly pay range (lowest, highest) by major group, in pounds.
fn pay_band(soc: &str) -> (f64, f64) {
    match &soc[..1] {
        "8" => (12.0, 14.5),
        "6" => (11.6, 13.5),
        "5" => (12.5, 16.0),
        "4" => (11.8, 13.8),
        _ => (11.44, 12.6),
    }
}

fn environments(
    soc: &str,
    title: &str,
    shifts: &[ShiftPattern],
    rng: &mut Rng,
) -> Vec<WorkEnvironment> {
    let title = title.to_lowercase();
    let mut out = Vec::new();
    if title.contains("bar")
        || title.contains("pub")
        || (["9272", "9273", "5434"].contains(&soc) && rng.chance(25))
    {
        out.push(WorkEnvironment::AlcoholServed);
    }
    if soc.starts_with("71") || soc == "9251" || title.contains("cashier") {
        out.push(WorkEnvironment::CashHandling);
        out.push(WorkEnvironment::PublicFacing);
    }
    if soc.starts_with("821") || title.contains("driver") || title.contains("delivery") {
        out.push(WorkEnvironment::Driving);
    }
    if soc == "9233" && rng.chance(40) {
        out.push(WorkEnvironment::LoneWorking);
    }
    if soc.starts_with("614") {
        out.push(WorkEnvironment::VulnerablePeople);
        if rng.chance(40) {
            out.push(WorkEnvironment::MedicinesAccess);
        }
    }
    if ["9260", "9241", "8149", "5319"].contains(&soc) {
        out.push(WorkEnvironment::HeavyLifting);
    }
    if shifts.contains(&ShiftPattern::Nights) {
        out.push(WorkEnvironment::NightWork);
    }
    out
}

fn date_time(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(9, 0, 0)
        .map_or_else(crate::clock::now, |t| t.and_utc())
}

/// Generates vacancies one at a time from a seeded [`Rng`]: the same seed, the same vacancies.
pub struct VacancyCorpus<'a> {
    titles: Weighted<Title>,
    long_tail: Vec<Title>,
    long_tail_percent: u64,
    places: Weighted<Place>,
    employers: &'a [employer::Model],
    today: NaiveDate,
    created_by: Uuid,
}

impl<'a> VacancyCorpus<'a> {
    /// Vacancies in `places` (chosen by population; there must be one), posted up to 60 days
    /// before `today`; developed ones belong to `employers` of their sector and were recorded by
    /// `created_by`.
    pub fn new(
        places: Vec<Place>,
        employers: &'a [employer::Model],
        today: NaiveDate,
        created_by: Uuid,
    ) -> Self {
        Self {
            titles: Weighted::new(titles(), |t| t.weight),
            long_tail: Vec::new(),
            long_tail_percent: 0,
            places: Weighted::new(places, |p| p.population as f64),
            employers,
            today,
            created_by,
        }
    }

    /// Draws `percent` of titles evenly from `titles` (see [`index_titles`]) instead of the
    /// common entry-level ones.
    pub fn with_long_tail(mut self, titles: Vec<Title>, percent: u64) -> Self {
        self.long_tail_percent = if titles.is_empty() { 0 } else { percent };
        self.long_tail = titles;
        self
    }

    /// The `i`th vacancy (`i` numbers external ids).
    pub fn vacancy(&mut self, rng: &mut Rng, i: usize) -> vacancy::Model {
        let today = self.today;
        let employers = self.employers;
        let title = if rng.chance(self.long_tail_percent) {
            rng.pick(&self.long_tail)
        } else {
            self.titles.pick(rng)
        };
        let same_sector: Vec<&employer::Model> = employers
            .iter()
            .filter(|e| e.sector == sector_of(&title.soc).as_db())
            .collect();
        let developed = !same_sector.is_empty() && rng.chance(35);
        let employer = developed.then(|| *rng.pick(&same_sector));
        let place = self.places.pick(rng);
        let (low, high) = pay_band(&title.soc);
        let pay_min = low + (high - low) * rng.unit() * 0.5;
        let pay_max = pay_min + (high - pay_min) * rng.unit();
        let hours_min = *rng.pick(&[8.0, 16.0, 16.0, 20.0, 25.0, 30.0, 37.5, 37.5, 37.5]);
        let hours_max = if hours_min >= 37.5 {
            40.0
        } else {
            hours_min + *rng.pick(&[0.0, 4.0, 8.0, 10.0])
        };
        let period = match &title.soc[..1] {
            "4" => PayPeriod::Annual,
            "8" if rng.chance(30) => PayPeriod::Weekly,
            _ => PayPeriod::Hourly,
        };
        let weekly_hours = hours_max;
        let (shown_min, shown_max) = match period {
            PayPeriod::Hourly => (pay_min, pay_max),
            PayPeriod::Weekly => (pay_min * weekly_hours, pay_max * weekly_hours),
            PayPeriod::Annual => (pay_min * weekly_hours * 52.0, pay_max * weekly_hours * 52.0),
        };
        let round = |v: f64| (v * 100.0).round() / 100.0;
        let shifts: Vec<ShiftPattern> = match rng.below(10) {
            0 | 1 => vec![ShiftPattern::EarlyStarts, ShiftPattern::Days],
            2 => vec![ShiftPattern::Nights],
            3 => vec![ShiftPattern::Evenings, ShiftPattern::Weekends],
            4 => vec![ShiftPattern::Days, ShiftPattern::Weekends],
            _ => vec![ShiftPattern::Days],
        };
        let environments = environments(&title.soc, &title.title, &shifts, rng);
        let status = match rng.below(20) {
            0 | 1 => VacancyStatus::Filled,
            2 => VacancyStatus::Closed,
            3 => VacancyStatus::Expired,
            _ => VacancyStatus::Open,
        };
        let posted = today - Duration::days(rng.below(60) as i64);
        let closing = if status == VacancyStatus::Open {
            today + Duration::days(1 + rng.below(40) as i64)
        } else {
            (posted + Duration::days(14)).min(today - Duration::days(1))
        };
        let contract = *rng.pick(&[
            ContractType::Permanent,
            ContractType::Permanent,
            ContractType::Permanent,
            ContractType::Temporary,
            ContractType::FixedTerm,
            ContractType::ZeroHours,
            ContractType::Apprenticeship,
        ]);
        let dbs = if title.soc.starts_with("614") {
            DbsLevel::EnhancedBarred
        } else if rng.chance(8) {
            DbsLevel::Basic
        } else {
            DbsLevel::None
        };
        let testing = if environments.contains(&WorkEnvironment::Driving)
            || (title.soc.starts_with('8') && rng.chance(30))
        {
            DrugTesting::PreEmployment
        } else {
            DrugTesting::None
        };
        let from_feed = !developed && !rng.chance(15);
        let source = if developed {
            VacancySourceKind::Developed.as_db().to_string()
        } else if from_feed {
            (*rng.pick(FEEDS)).to_string()
        } else {
            VacancySourceKind::Employer.as_db().to_string()
        };
        let (lat, lon) = match employer {
            Some(_) => (
                place.lat + (rng.unit() - 0.5) * 0.02,
                place.lon + (rng.unit() - 0.5) * 0.02,
            ),
            None => (
                place.lat + (rng.unit() - 0.5) * 0.04,
                place.lon + (rng.unit() - 0.5) * 0.04,
            ),
        };
        let at = date_time(posted);
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&rng.bits().to_le_bytes());
        id[8..].copy_from_slice(&rng.bits().to_le_bytes());
        vacancy::Model {
            id: uuid::Builder::from_random_bytes(id).into_uuid(),
            title: title.title.clone(),
            description: format!(
                "{} wanted in {}. {} hours a week, {}. Full training given; no experience needed for the right person.",
                title.title,
                place.name,
                if hours_min == hours_max {
                    format!("{hours_min}")
                } else {
                    format!("{hours_min}–{hours_max}")
                },
                join(&shifts, ShiftPattern::as_db)
                    .to_lowercase()
                    .replace(',', " and ")
                    .replace('_', " "),
            ),
            skills: String::new(),
            employer_id: employer.map(|e| e.id),
            employer_name: if developed {
                None
            } else {
                Some(format!(
                    "{} {}",
                    place.name,
                    rng.pick(&["Services Ltd", "Group", "Co", "Ltd", "Trust", "& Co"])
                ))
            },
            soc_code: Some(title.soc.clone()),
            soc_version: Some(SocVersion::Soc2010.as_db().into()),
            sector: Some(employer.map_or_else(
                || sector_of(&title.soc).as_db().to_string(),
                |e| e.sector.clone(),
            )),
            town: Some(place.name.clone()),
            postcode: None,
            latitude: Some(lat),
            longitude: Some(lon),
            remote: false,
            hours_min: Some(hours_min),
            hours_max: Some(hours_max),
            shifts: join(&shifts, ShiftPattern::as_db),
            pay_min: Some(round(shown_min)),
            pay_max: Some(round(shown_max)),
            pay_period: Some(period.as_db().into()),
            pay_min_hourly: Some(hourly(round(shown_min), period, weekly_hours)),
            pay_max_hourly: Some(hourly(round(shown_max), period, weekly_hours)),
            contract_type: contract.as_db().into(),
            closing_date: Some(closing),
            status: status.as_db().into(),
            source,
            external_id: from_feed.then(|| format!("FAJ-{:07}", 1_000_000 + i)),
            environments: join(&environments, WorkEnvironment::as_db),
            dbs_level: dbs.as_db().into(),
            drug_testing: testing.as_db().into(),
            posted_at: Some(at),
            created_by_id: developed.then_some(self.created_by),
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }
}

/// Inserts vacancies and their change-log rows (so the search index picks them up like any other
/// write). Returns how many.
pub async fn insert(conn: &impl ConnectionTrait, rows: &[vacancy::Model]) -> anyhow::Result<usize> {
    crate::vacancies::service::insert_new(conn, rows).await?;
    Ok(rows.len())
}
