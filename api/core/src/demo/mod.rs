//! The demo data set behind `serve --demo`: three West Yorkshire teams, their specialists, ~200
//! employers with contacts and sites in real towns (GeoNames, CC BY 4.0), and a year of engagements
//! and clients, each specialist with habits of their own (`practice`); treatment teams, keyworkers
//! and their referrals (`referrals`); diaries, better-off checks and a work queue of every kind for
//! each specialist (`diary`). Generated from a fixed seed, so every demo database holds the same
//! story.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use entities::{employer, employer_contact, employer_location, engagement, staff, team};

use crate::access::Role;
use crate::db::{now, truncate_to_micros};
use crate::employers::model::{
    ContactChannel, EmployerSize, EngagementMode, EngagementPurpose, RelationshipStage, Sector,
};
use crate::validate::name_key;
use search_index::distance_km;

pub mod clients;
pub mod diary;
pub mod practice;
pub mod referrals;
pub mod seeds;
pub mod vacancies;
use seeds::{FIRST_NAMES, SURNAMES};
pub use seeds::{Place, Rng, places};
pub use vacancies::VACANCIES;

/// How many employers the demo holds.
pub const EMPLOYERS: usize = 200;
/// A year and a week, so a report over the last year is full.
const WEEKS_OF_HISTORY: i64 = 53;

struct SectorStyle {
    sector: Sector,
    weight: usize,
    nouns: &'static [&'static str],
    jobs: &'static [&'static str],
}

const SECTORS: &[SectorStyle] = &[
    SectorStyle {
        sector: Sector::WholesaleRetail,
        weight: 18,
        nouns: &[
            "Stores",
            "Hardware",
            "Garden Centre",
            "Trade Counter",
            "Discount Store",
            "Bakery Shop",
        ],
        jobs: &["Store manager", "Deputy manager", "Area manager"],
    },
    SectorStyle {
        sector: Sector::AccommodationFood,
        weight: 14,
        nouns: &["Kitchen", "Café", "Catering", "Hotel", "Canteen Services"],
        jobs: &["Head chef", "General manager", "Catering manager"],
    },
    SectorStyle {
        sector: Sector::TransportStorage,
        weight: 14,
        nouns: &[
            "Logistics",
            "Distribution",
            "Haulage",
            "Couriers",
            "Warehousing",
        ],
        jobs: &["Warehouse manager", "Shift manager", "HR adviser"],
    },
    SectorStyle {
        sector: Sector::Manufacturing,
        weight: 12,
        nouns: &[
            "Engineering",
            "Print",
            "Packaging",
            "Foods",
            "Joinery",
            "Textiles",
        ],
        jobs: &["Production manager", "HR manager", "Operations director"],
    },
    SectorStyle {
        sector: Sector::Construction,
        weight: 10,
        nouns: &[
            "Builders",
            "Roofing",
            "Groundworks",
            "Scaffolding",
            "Plastering",
        ],
        jobs: &["Site manager", "Director", "Contracts manager"],
    },
    SectorStyle {
        sector: Sector::AdministrativeSupport,
        weight: 12,
        nouns: &["Cleaning Services", "Facilities", "Security", "Recruitment"],
        jobs: &[
            "Operations manager",
            "Recruitment consultant",
            "Contracts supervisor",
        ],
    },
    SectorStyle {
        sector: Sector::HealthSocialWork,
        weight: 8,
        nouns: &["Care Home", "Home Care", "Community Care"],
        jobs: &["Registered manager", "Care coordinator", "HR officer"],
    },
    SectorStyle {
        sector: Sector::ArtsRecreation,
        weight: 4,
        nouns: &["Leisure Centre", "Gym", "Bowl"],
        jobs: &["Duty manager", "Centre manager"],
    },
    SectorStyle {
        sector: Sector::OtherServices,
        weight: 4,
        nouns: &["Laundry", "Car Wash", "Barbers", "Dry Cleaners"],
        jobs: &["Owner", "Manager"],
    },
    SectorStyle {
        sector: Sector::WaterWaste,
        weight: 4,
        nouns: &["Recycling", "Waste Services"],
        jobs: &["Depot manager", "HR adviser"],
    },
];

const SUFFIXES: &[&str] = &[
    "Ltd",
    "Ltd",
    "& Sons",
    "Group",
    "Co-operative",
    "",
    "",
    "Services Ltd",
];

const OUTCOMES: &[(EngagementPurpose, &[&str])] = &[
    (
        EngagementPurpose::LearnNeeds,
        &[
            "Met the manager; they struggle to fill early shifts and value reliability over experience.",
            "Walked the site with the supervisor; entry roles need a CSCS card, which they will help with.",
            "Learned they recruit through an agency in spring; open to direct referrals in between.",
        ],
    ),
    (
        EngagementPurpose::PresentService,
        &[
            "Explained IPS and in-work support; interested, asked for a one-page summary.",
            "Presented the service to the HR team; they want to hear about candidates as they come up.",
            "Left leaflets; the owner was sceptical about people in treatment but agreed to a follow-up.",
        ],
    ),
    (
        EngagementPurpose::PresentCandidate,
        &[
            "Talked through a candidate's strengths; manager agreed to an informal interview.",
            "Presented a candidate for the warehouse role; they will call back after the shift review.",
        ],
    ),
    (
        EngagementPurpose::FollowUp,
        &[
            "Followed up on last visit; no vacancies this month but keen to stay in touch.",
            "Checked back as agreed; two roles coming up before Christmas.",
            "Dropped in; the manager has changed, introduced the service to the new one.",
        ],
    ),
    (
        EngagementPurpose::InWorkSupport,
        &[
            "Checked in with the supervisor; settling in well, rota adjusted around appointments.",
            "Met the line manager; agreed a quieter start time for the first month.",
        ],
    ),
];

/// A member of a demo team: engagements a week, the percentage of them face to face, and (for
/// specialists) their habits.
struct Worker {
    id: Uuid,
    team: usize,
    per_week: u64,
    face_to_face: u64,
    fte: f64,
    practice: Option<practice::Practice>,
}

/// Loads the demo data set if the database holds no staff yet. Returns true when it loaded.
pub async fn load_if_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    if staff::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let mut rng = Rng::new(0x1F5_2026);
    let places = places();
    let created = truncate_to_micros(now() - Duration::weeks(WEEKS_OF_HISTORY + 2));
    let txn = crate::db::begin_write(db).await?;

    // Teams and staff.
    let hubs = [
        ("Leeds", "Leeds drug and alcohol service"),
        ("Bradford", "Bradford recovery hub"),
        ("Wakefield", "Wakefield treatment service"),
    ];
    let mut teams = Vec::new();
    let mut staff_rows = vec![staff::Model {
        id: Uuid::now_v7(),
        team_id: None,
        name: "Alex Morgan".into(),
        email: "alex.morgan@ipsmatch.example".into(),
        role: Role::Admin.as_db().into(),
        fte: 1.0,
        active: true,
        created_at: created,
        deactivated_at: None,
        version: 1,
        treatment_team_id: None,
    }];
    // Per specialist: how many engagements a week, and the share face to face (some above the
    // fidelity standard of six face-to-face contacts a week, some well below).
    let mut workers: Vec<Worker> = Vec::new();
    let ftes = [1.0, 1.0, 0.8, 0.6];
    let mut used_names = std::collections::HashSet::new();
    let mut specialists = 0;
    for (t, (hub, site)) in hubs.iter().enumerate() {
        let place = places
            .iter()
            .find(|p| p.name == *hub)
            .ok_or_else(|| anyhow::anyhow!("{hub} missing from places"))?;
        let team = team::Model {
            id: Uuid::now_v7(),
            name: format!("{hub} IPS team"),
            name_key: name_key(&format!("{hub} IPS team")),
            site: (*site).into(),
            created_at: created,
        };
        for (i, role) in std::iter::once(Role::TeamLead)
            .chain(std::iter::repeat_n(Role::Specialist, 4))
            .enumerate()
        {
            let (first, last) = loop {
                let pair = (*rng.pick(FIRST_NAMES), *rng.pick(SURNAMES));
                if used_names.insert(pair) {
                    break pair;
                }
            };
            let id = Uuid::now_v7();
            let fte = if role == Role::TeamLead {
                1.0
            } else {
                ftes[i - 1]
            };
            staff_rows.push(staff::Model {
                id,
                team_id: Some(team.id),
                name: format!("{first} {last}"),
                email: format!(
                    "{}.{}@ipsmatch.example",
                    first.to_lowercase(),
                    last.to_lowercase().replace('\'', "")
                ),
                role: role.as_db().into(),
                fte,
                active: true,
                created_at: created,
                deactivated_at: None,
                version: 1,
                treatment_team_id: None,
            });
            // Specialists who meet the standard of six face-to-face employer contacts a week
            // make about eight; the others three or four.
            let practice = (role == Role::Specialist).then(|| practice::Practice::of(specialists));
            specialists += usize::from(practice.is_some());
            let (per_week, face_to_face) = match practice {
                None => (2, 40),
                Some(p) if p.visits_employers => (10 + (specialists % 2) as u64, 75),
                Some(_) => ([5, 7][specialists % 2], 50),
            };
            workers.push(Worker {
                id,
                team: t,
                per_week,
                face_to_face,
                fte,
                practice,
            });
        }
        teams.push((team, (place.lat, place.lon)));
    }
    team::Entity::insert_many(
        teams
            .iter()
            .map(|(t, _)| team::ActiveModel::from(t.clone()).reset_all()),
    )
    .exec(&txn)
    .await?;
    staff::Entity::insert_many(
        staff_rows
            .iter()
            .map(|s| staff::ActiveModel::from(s.clone()).reset_all()),
    )
    .exec(&txn)
    .await?;

    // Employers, their sites and contacts, each owned by a specialist of the nearest team.
    let total_weight: usize = SECTORS.iter().map(|s| s.weight).sum();
    let mut employers = Vec::new();
    let mut locations = Vec::new();
    let mut contacts = Vec::new();
    let mut employer_names = std::collections::HashSet::new();
    while employers.len() < EMPLOYERS {
        let t = employers.len() % teams.len();
        let hub = teams[t].1;
        let nearby: Vec<&Place> = places
            .iter()
            .filter(|p| distance_km(hub, (p.lat, p.lon)) < 15.0)
            .collect();
        let town = *rng.pick(&nearby);
        let mut roll = rng.below(total_weight);
        let style = SECTORS
            .iter()
            .find(|s| {
                if roll < s.weight {
                    true
                } else {
                    roll -= s.weight;
                    false
                }
            })
            .unwrap_or(&SECTORS[0]);
        let noun = *rng.pick(style.nouns);
        let suffix = match *rng.pick(SUFFIXES) {
            "Services Ltd" if noun.ends_with("Services") => "Ltd",
            other => other,
        };
        let name = format!("{} {noun} {suffix}", town.name).trim().to_string();
        if !employer_names.insert(name_key(&name)) {
            continue;
        }
        let owners: Vec<&Worker> = workers.iter().filter(|w| w.team == t).collect();
        let owner = rng.pick(&owners).id;
        let stage = *rng.pick(&[
            RelationshipStage::Prospect,
            RelationshipStage::Prospect,
            RelationshipStage::Engaged,
            RelationshipStage::Engaged,
            RelationshipStage::Engaged,
            RelationshipStage::HiringPartner,
            RelationshipStage::HiringPartner,
            RelationshipStage::Dormant,
        ]);
        let size = *rng.pick(&[
            EmployerSize::Micro,
            EmployerSize::Small,
            EmployerSize::Small,
            EmployerSize::Medium,
            EmployerSize::Medium,
            EmployerSize::Large,
        ]);
        let recovery_friendly = stage == RelationshipStage::HiringPartner && rng.chance(60);
        let id = Uuid::now_v7();
        let slug: String = name_key(&name)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect();
        employers.push(employer::Model {
            id,
            name_key: name_key(&name),
            name: name.clone(),
            sector: style.sector.as_db().into(),
            size: size.as_db().into(),
            stage: stage.as_db().into(),
            openness_notes: match stage {
                RelationshipStage::HiringPartner => Some("Has taken on people from the service before; judges on the interview, not the gap in the CV.".into()),
                RelationshipStage::Engaged if rng.chance(50) => Some("Open to hearing about candidates; wary of disclosure of current treatment.".into()),
                _ => None,
            },
            recovery_friendly,
            disability_confident: rng.chance(30),
            website: Some(format!("https://www.{slug}.example")),
            owner_id: Some(owner),
            archived_at: None,
            created_at: created,
            updated_at: created,
            version: 1,
            source: None,
            external_id: None,
        });
        for position in 0..(1 + usize::from(size == EmployerSize::Large)) {
            let site = if position == 0 {
                town
            } else {
                *rng.pick(&nearby)
            };
            locations.push(employer_location::Model {
                id: Uuid::now_v7(),
                employer_id: id,
                label: if position == 0 {
                    "Main site".into()
                } else {
                    format!("{} site", site.name)
                },
                address: Some(format!(
                    "{} {} Road",
                    1 + rng.below(180),
                    rng.pick(&[
                        "Station",
                        "Mill",
                        "Canal",
                        "Church",
                        "Park",
                        "Victoria",
                        "Bradford",
                        "Wakefield"
                    ])
                )),
                town: Some(site.name.clone()),
                postcode: None,
                latitude: Some(site.lat + (rng.unit() - 0.5) * 0.01),
                longitude: Some(site.lon + (rng.unit() - 0.5) * 0.01),
                position: position as i32,
            });
        }
        for _ in 0..(1 + rng.below(3)) {
            let (first, last) = (*rng.pick(FIRST_NAMES), *rng.pick(SURNAMES));
            let email = format!(
                "{}.{}@{slug}.example",
                first.to_lowercase(),
                last.to_lowercase().replace('\'', "")
            );
            if contacts.iter().any(|c: &employer_contact::Model| {
                c.employer_id == id && c.email.as_deref() == Some(email.as_str())
            }) {
                continue;
            }
            contacts.push(employer_contact::Model {
                id: Uuid::now_v7(),
                employer_id: id,
                name: format!("{first} {last}"),
                job_title: Some((*rng.pick(style.jobs)).into()),
                phone: Some(format!("01632 960{:03}", rng.below(1000))),
                email: Some(email),
                preferred_channel: rng
                    .pick(&[
                        ContactChannel::Email,
                        ContactChannel::Phone,
                        ContactChannel::FaceToFace,
                        ContactChannel::TextMessage,
                    ])
                    .as_db()
                    .into(),
                notes: None,
                archived_at: None,
                created_at: created,
                updated_at: created,
                version: 1,
            });
        }
    }
    for chunk in employers.chunks(200) {
        employer::Entity::insert_many(
            chunk
                .iter()
                .map(|e| employer::ActiveModel::from(e.clone()).reset_all()),
        )
        .exec(&txn)
        .await?;
    }
    for chunk in locations.chunks(500) {
        employer_location::Entity::insert_many(
            chunk
                .iter()
                .map(|l| employer_location::ActiveModel::from(l.clone()).reset_all()),
        )
        .exec(&txn)
        .await?;
    }
    for chunk in contacts.chunks(500) {
        employer_contact::Entity::insert_many(
            chunk
                .iter()
                .map(|c| employer_contact::ActiveModel::from(c.clone()).reset_all()),
        )
        .exec(&txn)
        .await?;
    }

    // A year of engagements, week by week.
    let today = crate::clock::today();
    let start = today - Duration::weeks(WEEKS_OF_HISTORY);
    let mut engagements = Vec::new();
    for worker in &workers {
        let (specialist, t, per_week, face_to_face) =
            (worker.id, worker.team, worker.per_week, worker.face_to_face);
        let mine: Vec<&employer::Model> = employers
            .iter()
            .filter(|e| e.owner_id == Some(specialist))
            .collect();
        let team_employers: Vec<&employer::Model> = employers
            .iter()
            .enumerate()
            .filter(|(i, _)| i % teams.len() == t)
            .map(|(_, e)| e)
            .collect();
        for week in 0..WEEKS_OF_HISTORY {
            let count = (per_week as usize + rng.below(3)).saturating_sub(1);
            for _ in 0..count {
                let day = start + Duration::weeks(week) + Duration::days(rng.below(5) as i64);
                if day >= today {
                    continue;
                }
                let employer = if !mine.is_empty() && rng.chance(70) {
                    *rng.pick(&mine)
                } else {
                    *rng.pick(&team_employers)
                };
                // A dormant relationship has had no contact for the last two months.
                if employer.stage == RelationshipStage::Dormant.as_db()
                    && week >= WEEKS_OF_HISTORY - 9
                {
                    continue;
                }
                let mode = if rng.chance(face_to_face) {
                    EngagementMode::FaceToFace
                } else {
                    *rng.pick(&[
                        EngagementMode::Phone,
                        EngagementMode::Phone,
                        EngagementMode::Email,
                        EngagementMode::Event,
                    ])
                };
                let (purpose, outcomes) = rng.pick(OUTCOMES);
                let contact = contacts
                    .iter()
                    .find(|c| c.employer_id == employer.id)
                    .map(|c| c.id);
                let occurred_at =
                    at_time(day, 9 + rng.below(8) as u32, [0, 15, 30, 45][rng.below(4)]);
                let with_next_step = rng.chance(45);
                engagements.push(engagement::Model {
                    id: Uuid::now_v7(),
                    employer_id: employer.id,
                    specialist_id: specialist,
                    contact_id: if mode == EngagementMode::Event {
                        None
                    } else {
                        contact
                    },
                    occurred_at,
                    mode: mode.as_db().into(),
                    purpose: purpose.as_db().into(),
                    outcome: (*rng.pick(outcomes)).into(),
                    next_step: with_next_step.then(|| {
                        (*rng.pick(&[
                            "Call back about the spring rota",
                            "Send the one-page summary",
                            "Visit with a candidate profile",
                            "Check in after the shift review",
                        ]))
                        .into()
                    }),
                    next_step_due: with_next_step
                        .then(|| day + Duration::days(3 + rng.below(12) as i64)),
                    supersedes_id: None,
                    retraction_reason: None,
                    recorded_by_id: specialist,
                    recorded_at: occurred_at + Duration::hours(2),
                });
            }
        }
    }
    let hub_places: Vec<Place> = places
        .iter()
        .filter(|p| {
            teams
                .iter()
                .any(|(_, hub)| distance_km(*hub, (p.lat, p.lon)) < 20.0)
        })
        .cloned()
        .collect();
    let recorder = workers.first().map_or(staff_rows[0].id, |w| w.id);
    let mut corpus =
        vacancies::VacancyCorpus::new(hub_places, &employers, crate::clock::today(), recorder);
    let rows: Vec<_> = (0..VACANCIES)
        .map(|i| corpus.vacancy(&mut rng, i))
        .collect();
    let vacancy_count = vacancies::insert(&txn, &rows).await?;
    for chunk in engagements.chunks(500) {
        engagement::Entity::insert_many(
            chunk
                .iter()
                .map(|e| engagement::ActiveModel::from(e.clone()).reset_all()),
        )
        .exec(&txn)
        .await?;
    }
    let caseholders: Vec<clients::Caseholder> = workers
        .iter()
        .filter_map(|w| {
            Some(clients::Caseholder {
                id: w.id,
                team_id: teams[w.team].0.id,
                hub: teams[w.team].1,
                fte: w.fte,
                practice: w.practice?,
            })
        })
        .collect();
    let client_count =
        clients::load(&txn, &mut rng, &caseholders, &places, &rows, &employers).await?;
    let hubs_of_teams: Vec<referrals::Hub> = teams
        .iter()
        .enumerate()
        .map(|(t, (team, _))| referrals::Hub {
            team_id: team.id,
            town: hubs[t].0.to_string(),
            specialists: workers
                .iter()
                .filter(|w| w.team == t && w.practice.is_some())
                .map(|w| w.id)
                .collect(),
            own_teams: workers
                .iter()
                .filter(|w| w.team == t)
                .filter_map(|w| w.practice.map(|p| p.works_with_own_teams))
                .collect(),
        })
        .collect();
    let keyworkers =
        referrals::load(&txn, &mut rng, &hubs_of_teams, &mut used_names, created).await?;
    let diary_entries = diary::load(&txn, &mut rng, &caseholders, &rows, created).await?;
    // A registered integrator, so the integrator API can be tried at once.
    entities::integrator::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set("Demo vacancy feed".into()),
        source_key: Set(DEMO_FEED.into()),
        scopes: Set(crate::integrations::access::Scope::join(
            &crate::integrations::access::Scope::ALL,
        )),
        active: Set(true),
        created_at: Set(created),
        updated_at: Set(created),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(
        clients = client_count,
        teams = teams.len(),
        staff = staff_rows.len() + keyworkers.len(),
        employers = employers.len(),
        contacts = contacts.len(),
        engagements = engagements.len(),
        diary_entries,
        vacancies = vacancy_count,
        "loaded the demo data set"
    );
    Ok(true)
}

fn at_time(day: NaiveDate, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0)
        .map(|t| Utc.from_utc_datetime(&t))
        .unwrap_or_else(crate::clock::now)
}

/// The source key of the demo's integrator.
pub const DEMO_FEED: &str = "demo-feed";

/// The demo's integrator, for printing its token.
pub async fn demo_integrator(
    db: &DatabaseConnection,
) -> anyhow::Result<Option<entities::integrator::Model>> {
    Ok(entities::integrator::Entity::find()
        .filter(entities::integrator::Column::SourceKey.eq(DEMO_FEED))
        .filter(entities::integrator::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// The e-mail domain of every demo member of staff (reserved for examples, RFC 2606 style).
pub const DEMO_EMAIL_DOMAIN: &str = "@ipsmatch.example";

/// The first active demo member of staff with `role` (by e-mail), for printing demo tokens:
/// never a real person (`serve --demo` on a database that already holds staff prints tokens
/// only for the demo's own people).
pub async fn first_demo_with_role(
    db: &DatabaseConnection,
    role: Role,
) -> anyhow::Result<Option<staff::Model>> {
    Ok(active_with_role(role)
        .filter(staff::Column::Email.ends_with(DEMO_EMAIL_DOMAIN))
        .one(db)
        .await?)
}

/// Active members of staff with `role`, by e-mail.
fn active_with_role(role: Role) -> sea_orm::Select<staff::Entity> {
    staff::Entity::find()
        .filter(staff::Column::Role.eq(role.as_db()))
        .filter(staff::Column::Active.eq(true))
        .order_by_asc(staff::Column::Email)
}

/// The first active member of staff with `role` (by e-mail), for `ipsmatch token --role`.
pub async fn first_with_role(
    db: &DatabaseConnection,
    role: Role,
) -> anyhow::Result<Option<staff::Model>> {
    Ok(active_with_role(role).one(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_places_parse() {
        let places = places();
        assert!(places.len() > 4000);
        let leeds = places.iter().find(|p| p.name == "Leeds").expect("Leeds");
        assert!((leeds.lat - 53.8).abs() < 0.1);
    }
}
