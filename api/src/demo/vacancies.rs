//! Demo vacancies: ~5,000 jobs of the kinds people returning to work most often start in, with titles
//! and SOC codes from the ONS coding index, in real towns around the demo teams, each logged in the
//! change log like any other write (so the search index picks them up).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, NotSet, Set};

use uuid::Uuid;

use entities::{change_log, employer, vacancy};

use super::{Place, Rng};
use crate::employers::types::Sector;
use crate::vacancies::service::{ENTITY, hourly, join};
use crate::vacancies::types::{
    ContractType, DbsLevel, DrugTesting, PayPeriod, ShiftPattern, SocVersion, VacancySourceKind,
    VacancyStatus, WorkEnvironment,
};

const TITLES: &str = include_str!("job-titles.csv");
/// How many vacancies the demo holds.
pub const VACANCIES: usize = 5_000;
/// The external feed demo vacancies that come from outside claim to be from.
const FEED: &str = "dwp-find-a-job";

struct Title {
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
        .map_or_else(Utc::now, |t| t.and_utc())
}

/// Inserts the demo vacancies and their change-log rows.
pub async fn load(
    txn: &DatabaseTransaction,
    rng: &mut Rng,
    employers: &[employer::Model],
    hub_places: &[&Place],
    created_by: Uuid,
) -> anyhow::Result<usize> {
    let titles = titles();
    let total_weight: f64 = titles.iter().map(|t| t.weight).sum();
    let today = Utc::now().date_naive();
    let mut rows = Vec::with_capacity(VACANCIES);
    for i in 0..VACANCIES {
        let mut pick = rng.unit() * total_weight;
        let title = titles
            .iter()
            .find(|t| {
                pick -= t.weight;
                pick <= 0.0
            })
            .unwrap_or(&titles[0]);
        let same_sector: Vec<&employer::Model> = employers
            .iter()
            .filter(|e| e.sector == sector_of(&title.soc).as_db())
            .collect();
        let developed = !same_sector.is_empty() && rng.chance(35);
        let employer = developed.then(|| *rng.pick(&same_sector));
        let place = rng.pick(hub_places);
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
        let source = if developed {
            VacancySourceKind::Developed.as_db().to_string()
        } else {
            FEED.to_string()
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
        rows.push(vacancy::Model {
            id: Uuid::now_v7(),
            title: title.title.clone(),
            description: format!(
                "{} wanted in {}. {} hours a week, {}. Full training given; no experience needed for the right person.",
                title.title,
                place.name,
                if hours_min == hours_max { format!("{hours_min}") } else { format!("{hours_min}–{hours_max}") },
                join(&shifts, ShiftPattern::as_db).to_lowercase().replace(',', " and ").replace('_', " "),
            ),
            skills: String::new(),
            employer_id: employer.map(|e| e.id),
            employer_name: if developed { None } else { Some(format!("{} {}", place.name, rng.pick(&["Services Ltd", "Group", "Co", "Ltd", "Trust", "& Co"]))) },
            soc_code: Some(title.soc.clone()),
            soc_version: Some(SocVersion::Soc2010.as_db().into()),
            sector: Some(employer.map_or_else(|| sector_of(&title.soc).as_db().to_string(), |e| e.sector.clone())),
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
            external_id: (!developed).then(|| format!("FAJ-{:07}", 1_000_000 + i)),
            environments: join(&environments, WorkEnvironment::as_db),
            dbs_level: dbs.as_db().into(),
            drug_testing: testing.as_db().into(),
            posted_at: Some(at),
            created_by_id: developed.then_some(created_by),
            created_at: at,
            updated_at: at,
            version: 1,
        });
    }
    for chunk in rows.chunks(200) {
        vacancy::Entity::insert_many(
            chunk
                .iter()
                .map(|v| vacancy::ActiveModel::from(v.clone()).reset_all()),
        )
        .exec(txn)
        .await?;
        change_log::Entity::insert_many(chunk.iter().map(|v| change_log::ActiveModel {
            seq: NotSet,
            entity: Set(ENTITY.into()),
            entity_id: Set(v.id),
            op: Set("CREATE".into()),
            tx_id: NotSet,
            changed_at: Set(v.created_at),
        }))
        .exec(txn)
        .await?;
    }
    Ok(rows.len())
}
