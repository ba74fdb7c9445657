//! Demo clients: a year of referrals to each demo specialist (an active caseload of 12 to 30 per
//! full-time post, and the clients discharged along the way), with job preferences, vocational
//! profiles, special-category facts, applications in every stage, job starts (some ended) and
//! in-work support. Each specialist works to their own habits (`Practice`), so every fidelity
//! measure has specialists on both sides of its target.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use entities::{
    application, application_stage, caseload_assignment, client, client_sensitive,
    client_status_episode, job_preference, job_start, support_contact, vacancy, vocational_profile,
};

use super::practice::Practice;
use super::seeds::{FIRST_NAMES, Place, Rng, SURNAMES};
use crate::db::truncate_to_micros;
use crate::validate::name_key;
use search_index::distance_km;

const WISHES: &[(&str, &str, &[&str])] = &[
    (
        "9260",
        "Warehouse operative",
        &["picking", "packing", "forklift"],
    ),
    ("9233", "Cleaner", &["cleaning", "reliable"]),
    ("6145", "Care assistant", &["personal care", "patience"]),
    ("9272", "Kitchen porter", &["kitchen", "food hygiene"]),
    ("7111", "Retail assistant", &["customer service", "till"]),
    ("8211", "Delivery driver", &["driving", "route planning"]),
    ("9120", "Labourer", &["manual handling", "CSCS"]),
    ("9271", "Hospital porter", &["manual handling", "patience"]),
    ("5434", "Chef", &["cooking", "food hygiene"]),
    ("9259", "Shelf filler", &["stock rotation"]),
];

const REASONS_NOT_PROGRESSED: &[&str] = &[
    "employer chose another candidate",
    "client decided the hours would not fit treatment appointments",
    "no reply from the employer after two follow-ups",
    "the start date clashed with a family commitment",
];

/// A demo specialist, where their team is, and how they work.
pub struct Caseholder {
    /// Staff id.
    pub id: Uuid,
    /// Team id.
    pub team_id: Uuid,
    /// The team's town.
    pub hub: (f64, f64),
    /// Their hours as a share of full time.
    pub fte: f64,
    /// Their habits.
    pub practice: Practice,
}

fn day_time(day: NaiveDate, hour: u32) -> chrono::DateTime<Utc> {
    truncate_to_micros(
        day.and_hms_opt(hour, 0, 0)
            .map_or_else(crate::clock::now, |t| t.and_utc()),
    )
}

fn days(n: usize) -> Duration {
    Duration::days(n as i64)
}

/// What happens to one demo client over the year.
struct Story {
    referred: NaiveDate,
    /// Their status now.
    status: &'static str,
    /// Status changes after referral: (status, from, reason).
    changes: Vec<(&'static str, NaiveDate, &'static str)>,
    /// The first application, two to six weeks after referral.
    first_application: NaiveDate,
    /// A job that came of the first application: its start, and its end if it has ended.
    job: Option<(NaiveDate, Option<NaiveDate>)>,
}

impl Story {
    /// A client referred up to a year ago: in work, back to the search after a job ended, paused,
    /// looking, or (with `discharged`) discharged some months after referral.
    fn new(rng: &mut Rng, today: NaiveDate, discharged: bool) -> Self {
        let age = if discharged {
            100 + rng.below(260)
        } else {
            7 + rng.below(354)
        };
        let referred = today - days(age);
        let first_application = referred + days(14 + rng.below(30));
        // A job starts five weeks after the application (suggested, discussed, applied,
        // interviewed, offered, started).
        let start = first_application + days(35);
        let mut story = Self {
            referred,
            status: "ACTIVE",
            changes: Vec::new(),
            first_application,
            job: None,
        };
        if discharged {
            // After the application's last step, and before today.
            let on = referred + days(80 + rng.below(age - 81));
            story.status = "DISCHARGED";
            story.changes.push((
                "DISCHARGED",
                on,
                *rng.pick(&[
                    "stopped attending",
                    "moved out of the area",
                    "chose to stop",
                ]),
            ));
        } else if age > 80 && rng.chance(30) {
            story.status = "IN_WORK";
            story.job = Some((start, None));
            story.changes.push(("IN_WORK", start, "started work"));
        } else if age > 130 && rng.chance(30) {
            let end = (start + days(30 + rng.below(90))).min(today - days(4));
            story.job = Some((start, Some(end)));
            story.changes.push(("IN_WORK", start, "started work"));
            story
                .changes
                .push(("ACTIVE", end, "job ended; looking again"));
        } else if age > 40 && rng.chance(12) {
            story.status = "PAUSED";
            story.changes.push((
                "PAUSED",
                referred + days(30 + rng.below(age - 31)),
                "reviewed with client",
            ));
        }
        story
    }
}

/// How a vacancy's job counts for the diversity measures: its type and its employer.
fn diversity_keys(v: &vacancy::Model) -> (String, String) {
    (
        v.soc_code
            .clone()
            .unwrap_or_else(|| format!("title:{}", v.title.to_lowercase())),
        v.employer_id.map_or_else(
            || {
                format!(
                    "name:{}",
                    v.employer_name
                        .as_deref()
                        .unwrap_or_default()
                        .to_lowercase()
                )
            },
            |id| id.to_string(),
        ),
    )
}

/// The vacancy a specialist's next job start comes from. Specialists whose placements vary take
/// a job type and an employer new to their starts; the others repeat an earlier one (type,
/// employer or both) on every other start.
fn started_vacancy<'a>(
    rng: &mut Rng,
    pool: &[&'a vacancy::Model],
    earlier: &[&'a vacancy::Model],
    practice: &Practice,
) -> Option<&'a vacancy::Model> {
    let odd = earlier.len() % 2 == 1;
    let (repeat_type, repeat_employer) = (
        !practice.varied_job_types && odd,
        !practice.varied_employers && odd,
    );
    if repeat_type && repeat_employer {
        return Some(*rng.pick(earlier));
    }
    let used: Vec<(String, String)> = earlier.iter().map(|v| diversity_keys(v)).collect();
    let fits: Vec<&'a vacancy::Model> = pool
        .iter()
        .copied()
        .filter(|v| {
            let (kind, employer) = diversity_keys(v);
            used.iter().any(|u| u.0 == kind) == repeat_type
                && used.iter().any(|u| u.1 == employer) == repeat_employer
        })
        .collect();
    if fits.is_empty() {
        return (!pool.is_empty()).then(|| *rng.pick(pool));
    }
    Some(*rng.pick(&fits))
}

/// Support contacts with a client around one job (days after its start), as the specialist's
/// habits go: the full rhythm (before the start, within 3 days, each week of month one, then each
/// month) up to `until`, or a few early contacts that then lapse.
fn support_days(
    rng: &mut Rng,
    practice: &Practice,
    start: NaiveDate,
    until: NaiveDate,
) -> Vec<i64> {
    if !practice.keeps_support_rhythm {
        let early = [-2, 2, 9, 16];
        return early[..1 + rng.below(3)].to_vec();
    }
    let mut offsets = vec![
        -2 - rng.below(5) as i64,
        1 + rng.below(2) as i64,
        7 + rng.below(6) as i64,
        14 + rng.below(6) as i64,
        21 + rng.below(6) as i64,
    ];
    let mut window = 28;
    while start + Duration::days(window) <= until {
        offsets.push(window + rng.below(25) as i64);
        window += 30;
    }
    offsets
}

/// Inserts the demo clients and everything about them; returns how many clients.
pub async fn load(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    caseholders: &[Caseholder],
    places: &[Place],
    vacancies: &[vacancy::Model],
    employers: &[entities::employer::Model],
) -> anyhow::Result<usize> {
    let today = crate::clock::today();
    // A job is with the employer on record where there is one, else with the advertiser named.
    let employer_names: std::collections::HashMap<Uuid, &str> =
        employers.iter().map(|e| (e.id, e.name.as_str())).collect();
    let hiring_name = |v: &vacancy::Model| -> String {
        v.employer_id
            .and_then(|id| employer_names.get(&id).map(|n| (*n).to_string()))
            .or_else(|| v.employer_name.clone())
            .unwrap_or_else(|| "Local employer".into())
    };
    let mut count = 0;
    for holder in caseholders {
        let practice = holder.practice;
        let near: Vec<&Place> = places
            .iter()
            .filter(|p| distance_km(holder.hub, (p.lat, p.lon)) < 15.0)
            .collect();
        let nearby_vacancies: Vec<&vacancy::Model> = vacancies
            .iter()
            .filter(|v| {
                v.status == "OPEN"
                    && v.latitude
                        .zip(v.longitude)
                        .is_some_and(|p| distance_km(holder.hub, p) < 20.0)
            })
            .collect();
        // Vacancies at employers on record: the ones a specialist can present a client to.
        let known_employer: Vec<&vacancy::Model> = nearby_vacancies
            .iter()
            .copied()
            .filter(|v| v.employer_id.is_some())
            .collect();
        // Active clients per full-time post: 15 to 19 within the standard of 20, 24 to 29 above
        // it; about one in six more were discharged during the year.
        let per_post = if practice.small_caseload {
            15 + rng.below(5)
        } else {
            24 + rng.below(6)
        };
        let active = (holder.fte * per_post as f64).round() as usize;
        let discharged = active / 5 + rng.below(3);
        let mut starts: Vec<&vacancy::Model> = Vec::new();
        for n in 0..active + discharged {
            let story = Story::new(rng, today, n >= active);
            let referred = story.referred;
            let status = story.status;
            let home = *rng.pick(&near);
            let recorded = day_time(referred, 10);
            let id = Uuid::now_v7();
            let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES));
            client::ActiveModel::from(client::Model {
                id,
                team_id: holder.team_id,
                name_key: name_key(&name),
                name,
                phone: Some(format!("07700 9{:05}", rng.below(100_000))),
                email: None,
                town: Some(home.name.clone()),
                postcode: None,
                referral_date: referred,
                referral_source: (*rng.pick(&[
                    "TREATMENT_KEYWORKER",
                    "TREATMENT_KEYWORKER",
                    "SELF_REFERRAL",
                    "PEER_SUPPORT",
                    "JOBCENTRE",
                ]))
                .into(),
                // Most are out of work when referred; a few work some hours already; a few are
                // not recorded yet.
                employment_at_referral: (!rng.chance(8)).then(|| {
                    (*rng.pick(&[
                        "UNEMPLOYED",
                        "UNEMPLOYED",
                        "UNEMPLOYED",
                        "ECONOMICALLY_INACTIVE",
                        "ECONOMICALLY_INACTIVE",
                        "EMPLOYED",
                    ]))
                    .into()
                }),
                keyworker_name: Some(format!("{} (keyworker)", rng.pick(FIRST_NAMES))),
                keyworker_contact: None,
                status: status.into(),
                created_by_id: holder.id,
                created_at: recorded,
                updated_at: recorded,
                version: 1,
            })
            .reset_all()
            .insert(conn)
            .await?;
            let episodes: Vec<(&str, NaiveDate, &str)> =
                std::iter::once(("ACTIVE", referred, "referred"))
                    .chain(story.changes.iter().copied())
                    .collect();
            for (k, (episode, from, reason)) in episodes.iter().enumerate() {
                client_status_episode::ActiveModel::from(client_status_episode::Model {
                    id: Uuid::now_v7(),
                    client_id: id,
                    status: (*episode).into(),
                    started_on: *from,
                    ended_on: episodes.get(k + 1).map(|(_, next, _)| *next),
                    reason: Some((*reason).into()),
                    reason_code: (*episode == "DISCHARGED").then(|| {
                        match *reason {
                            "stopped attending" => "DISENGAGED",
                            "moved out of the area" => "MOVED_AWAY",
                            _ => "CLIENT_CHOICE",
                        }
                        .to_string()
                    }),
                    recorded_by_id: holder.id,
                    recorded_at: day_time(*from, 11),
                })
                .reset_all()
                .insert(conn)
                .await?;
                // Before a discharge, specialists who keep to the standard reach out two or three
                // times; the others once or not at all.
                if *episode == "DISCHARGED" {
                    let attempts = if practice.reaches_out {
                        2 + rng.below(2)
                    } else {
                        rng.below(2)
                    };
                    for k in 0..attempts {
                        let on = *from - days(3 + 9 * k);
                        entities::outreach_attempt::ActiveModel::from(
                            entities::outreach_attempt::Model {
                                id: Uuid::now_v7(),
                                client_id: id,
                                attempted_on: on,
                                mode: (*rng.pick(&["PHONE", "TEXT_MESSAGE", "FACE_TO_FACE"]))
                                    .into(),
                                recorded_by_id: holder.id,
                                recorded_at: day_time(on, 12),
                            },
                        )
                        .reset_all()
                        .insert(conn)
                        .await?;
                    }
                }
            }
            caseload_assignment::ActiveModel::from(caseload_assignment::Model {
                id: Uuid::now_v7(),
                client_id: id,
                specialist_id: holder.id,
                assigned_from: recorded,
                assigned_to: None,
                reason: Some("registered".into()),
                assigned_by_id: holder.id,
            })
            .reset_all()
            .insert(conn)
            .await?;
            // Special-category facts, as NDTMS would group them.
            let substance = *rng.pick(&[
                "ALCOHOL_ONLY",
                "ALCOHOL_ONLY",
                "OPIATES",
                "NON_OPIATES_ONLY",
                "NON_OPIATES_AND_ALCOHOL",
            ]);
            client_sensitive::ActiveModel::from(client_sensitive::Model {
                id: Uuid::now_v7(),
                client_id: id,
                version: 1,
                primary_substance_group: Some(substance.into()),
                treatment_status: Some(
                    (*rng.pick(&[
                        "IN_TREATMENT",
                        "IN_TREATMENT",
                        "RECOVERY_SUPPORT",
                        "COMPLETED",
                    ]))
                    .into(),
                ),
                criminal_record_status: Some(
                    (*rng.pick(&[
                        "NONE_DECLARED",
                        "SPENT_ONLY",
                        "UNSPENT",
                        "PREFERS_NOT_TO_SAY",
                    ]))
                    .into(),
                ),
                benefits_status: Some(
                    (*rng.pick(&[
                        "UNIVERSAL_CREDIT",
                        "UNIVERSAL_CREDIT",
                        "UNIVERSAL_CREDIT_LCW",
                        "NONE",
                        "PIP",
                    ]))
                    .into(),
                ),
                recorded_by_id: holder.id,
                recorded_at: recorded,
            })
            .reset_all()
            .insert(conn)
            .await?;

            // Profile and preferences: one or two wishes, realistic limits.
            let (soc, title, skills) = *rng.pick(WISHES);
            let (second_soc, second_title, _) = *rng.pick(WISHES);
            vocational_profile::ActiveModel::from(vocational_profile::Model {
                id: Uuid::now_v7(),
                client_id: id,
                version: 1,
                work_goal: format!("Steady work as a {}", title.to_lowercase()),
                work_history: format!(
                    "{second_title}, some years ago; volunteering in recovery cafe"
                ),
                skills: skills.join("\n"),
                qualifications: if rng.chance(40) {
                    "Level 1 English\nLevel 1 Maths".into()
                } else {
                    String::new()
                },
                licences: if rng.chance(30) {
                    "CAR".into()
                } else if rng.chance(20) {
                    "FORKLIFT".into()
                } else {
                    String::new()
                },
                barriers: (*rng.pick(&[
                    "No recent work history",
                    "Childcare on school days",
                    "Confidence at interviews",
                    "Travel costs",
                ]))
                .into(),
                recorded_by_id: holder.id,
                recorded_at: recorded,
            })
            .reset_all()
            .insert(conn)
            .await?;
            let alcohol = substance.contains("ALCOHOL");
            let mut avoid = Vec::new();
            if alcohol && rng.chance(80) {
                avoid.push("ALCOHOL_SERVED");
            }
            if rng.chance(25) {
                avoid.push("CASH_HANDLING");
            }
            let hours_min = *rng.pick(&[8.0, 16.0, 16.0, 20.0, 30.0]);
            let dispensing = substance == "OPIATES" && rng.chance(60);
            job_preference::ActiveModel::from(job_preference::Model {
                id: Uuid::now_v7(),
                client_id: id,
                version: 1,
                occupations: if soc == second_soc { soc.into() } else { format!("{soc},{second_soc}") },
                occupation_titles: format!("{title}\n{second_title}"),
                keywords: String::new(),
                sectors: String::new(),
                hours_min: Some(hours_min),
                hours_max: Some(hours_min + *rng.pick(&[4.0, 8.0, 16.0])),
                shifts: String::new(),
                free_windows: if dispensing {
                    r#"[{"days":["MON","TUE","WED","THU","FRI"],"from":"08:00","to":"09:00","reason":"dispensing"}]"#.into()
                } else {
                    "[]".into()
                },
                contract_types: String::new(),
                min_hourly_pay: rng.chance(60).then_some(12.21),
                home_town: Some(home.name.clone()),
                home_latitude: Some(home.lat),
                home_longitude: Some(home.lon),
                max_travel_km: Some(*rng.pick(&[8.0, 12.0, 15.0, 20.0])),
                remote_ok: false,
                avoid_environments: avoid.join(","),
                prefer_environments: String::new(),
                recorded_by_id: holder.id,
                recorded_at: recorded,
            })
            .reset_all()
            .insert(conn)
            .await?;

            // Disclosure talked over: twice or more in the first ten days by specialists who
            // keep to the standard, before any employer hears of the client; once (or not at all)
            // early on, and perhaps again much later, by the others.
            let mut talks = Vec::new();
            if practice.discusses_disclosure {
                talks.push(referred + days(2 + rng.below(3)));
                talks.push(referred + days(6 + rng.below(4)));
                if rng.chance(40) {
                    talks.push(referred + days(20 + rng.below(20)));
                }
            } else {
                if rng.chance(60) {
                    talks.push(referred + days(3 + rng.below(5)));
                }
                if rng.chance(40) {
                    talks.push(referred + days(60 + rng.below(30)));
                }
            }
            for on in talks.into_iter().filter(|on| *on <= today) {
                entities::disclosure_discussion::ActiveModel::from(
                    entities::disclosure_discussion::Model {
                        id: Uuid::now_v7(),
                        client_id: id,
                        discussed_on: on,
                        preferred_level: (*rng.pick(&[
                            "NONE",
                            "SERVICE_AFFILIATION",
                            "SERVICE_AFFILIATION",
                            "PARTIAL",
                            "FULL",
                        ]))
                        .into(),
                        who_speaks: (*rng.pick(&["CLIENT", "JOINTLY", "SPECIALIST"])).into(),
                        when_to_disclose: Some(
                            (*rng.pick(&["before applying", "after an offer", "only if asked"]))
                                .into(),
                        ),
                        notes: "Talked through what the employer would be told and by whom.".into(),
                        recorded_by_id: holder.id,
                        recorded_at: day_time(on, 14),
                    },
                )
                .reset_all()
                .insert(conn)
                .await?;
            }

            let caseload = Caseload {
                today,
                holder,
                practice: &practice,
                known_employer: &known_employer,
                nearby_vacancies: &nearby_vacancies,
                hiring_name: &hiring_name,
            };
            applications(conn, rng, &caseload, id, &story, &mut starts).await?;
            count += 1;
        }
    }
    Ok(count)
}

/// What one caseholder's clients are drawn from.
struct Caseload<'c, 'v> {
    today: NaiveDate,
    holder: &'c Caseholder,
    practice: &'c Practice,
    known_employer: &'c [&'v vacancy::Model],
    nearby_vacancies: &'c [&'v vacancy::Model],
    hiring_name: &'c dyn Fn(&vacancy::Model) -> String,
}

/// A client's applications in every stage, to nearby vacancies; a job comes of the first. Jobs
/// started are added to `starts` (the caseholder's, for the diversity of what follows).
async fn applications<'v>(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    caseload: &Caseload<'_, 'v>,
    id: Uuid,
    story: &Story,
    starts: &mut Vec<&'v vacancy::Model>,
) -> anyhow::Result<()> {
    let Caseload {
        today,
        holder,
        practice,
        known_employer,
        nearby_vacancies,
        hiring_name,
    } = *caseload;
    let (referred, status) = (story.referred, story.status);
    // Applications in every stage, to nearby vacancies; a job comes of the first.
    let mut used = Vec::new();
    let applications = if status == "PAUSED" {
        1
    } else {
        1 + rng.below(4)
    };
    // The first face-to-face presentation to an employer on the client's behalf: within
    // 10 to 25 days of referral for prompt specialists, 24 to 68 days for the others.
    let first_presentation = referred
        + if practice.prompt_first_contact {
            days(10 + rng.below(16))
        } else {
            days(24 + rng.below(45))
        };
    let mut presented_yet = false;
    for a in 0..applications {
        let job = if a == 0 { story.job } else { None };
        // Prompt specialists mostly work with employers they know, where they can
        // present the client in person.
        let pool = if !known_employer.is_empty()
            && rng.chance(if practice.prompt_first_contact {
                80
            } else {
                30
            }) {
            &known_employer
        } else {
            &nearby_vacancies
        };
        let v = if job.is_some() {
            started_vacancy(rng, nearby_vacancies, starts, practice)
        } else {
            (!pool.is_empty()).then(|| *rng.pick(pool))
        };
        let Some(v) = v else {
            break;
        };
        if used.contains(&v.id) {
            continue;
        }
        used.push(v.id);
        let started_on = if a == 0 {
            story.first_application
        } else {
            referred + days(14 + rng.below(30))
        };
        let final_stage = if job.is_some() {
            "STARTED"
        } else {
            *rng.pick(&[
                "SUGGESTED",
                "DISCUSSED",
                "APPLIED",
                "INTERVIEW",
                "OFFER",
                "NOT_PROGRESSED",
                "NOT_PROGRESSED",
            ])
        };
        let path: Vec<&str> = [
            "SUGGESTED",
            "DISCUSSED",
            "APPLIED",
            "INTERVIEW",
            "OFFER",
            "STARTED",
        ]
        .into_iter()
        .take_while(|s| *s != final_stage)
        .chain(std::iter::once(final_stage))
        .filter(|s| !(final_stage == "NOT_PROGRESSED" && *s == "INTERVIEW"))
        .collect();
        let app_id = Uuid::now_v7();
        let last_day = (started_on + days(7 * (path.len() - 1))).min(today);
        // Jointly sent applications to employers on record rest on a consent, logged.
        let mut joint = v.employer_id.is_some()
            && path.contains(&"APPLIED")
            && rng.chance(if practice.prompt_first_contact {
                75
            } else {
                40
            });
        if let (true, Some(employer_id)) = (joint, v.employer_id) {
            let (consent, revocation) =
                demo_consent(conn, rng, id, employer_id, holder.id, referred, today).await?;
            // The application told the employer, through the gate, as of when it went in.
            let told = day_time(started_on, 12).max(consent.effective_from);
            let application = crate::consent::gate::Telling {
                client_id: id,
                employer_id,
                contact_id: None,
                vacancy_id: Some(v.id),
                act: crate::consent::model::DisclosureAct::Application,
                items: &[crate::consent::model::DisclosureItem::ServiceAffiliation],
                channel: "EMAIL",
                actor_id: holder.id,
                field: "demo",
            };
            match crate::consent::gate::disclose_at(conn, application, told).await {
                Ok(_) => {
                    // Presented face to face on the client's behalf, within the consent.
                    let on = if presented_yet {
                        first_presentation.max(started_on + days(rng.below(12)))
                    } else {
                        first_presentation
                    };
                    let presented = day_time(on, 14);
                    if on <= today
                        && consent.effective_from <= presented
                        && consent.expires_at > presented
                    {
                        presented_yet = true;
                        present(conn, holder.id, id, employer_id, presented).await?;
                    }
                }
                // The consent did not cover it then: the client sent it alone.
                Err(crate::error::ServiceError::User(_)) => joint = false,
                Err(crate::error::ServiceError::Api(err)) => {
                    anyhow::bail!("a demo disclosure failed: {err:?}")
                }
            }
            // Revoked afterwards: the log keeps the version each telling relied on.
            if let Some(revoked) = revocation {
                entities::disclosure_consent::ActiveModel::from(revoked)
                    .reset_all()
                    .insert(conn)
                    .await?;
            }
        }
        application::ActiveModel::from(application::Model {
            id: app_id,
            client_id: id,
            vacancy_id: v.id,
            stage: final_stage.into(),
            submitted_by: if joint { "JOINTLY" } else { "CLIENT" }.into(),
            created_by_id: holder.id,
            created_at: day_time(started_on, 12),
            updated_at: day_time(last_day, 12),
            version: path.len() as i32,
        })
        .reset_all()
        .insert(conn)
        .await?;
        for (n, stage) in path.iter().enumerate() {
            let on = (started_on + days(7 * n)).min(today);
            application_stage::ActiveModel::from(application_stage::Model {
                id: Uuid::now_v7(),
                application_id: app_id,
                stage: (*stage).into(),
                on_date: on,
                reason: (*stage == "NOT_PROGRESSED")
                    .then(|| (*rng.pick(REASONS_NOT_PROGRESSED)).into()),
                recorded_by_id: holder.id,
                recorded_at: day_time(on, 13) + Duration::minutes(n as i64),
            })
            .reset_all()
            .insert(conn)
            .await?;
        }
        if let Some((start, end)) = job {
            // Specialists who settle for less place every third start in a
            // non-competitive job.
            let competitive = practice.competitive_only || starts.len() % 3 != 1;
            starts.push(v);
            let job_id = Uuid::now_v7();
            job_start::ActiveModel::from(job_start::Model {
                id: job_id,
                client_id: id,
                application_id: Some(app_id),
                employer_id: v.employer_id,
                employer_name: hiring_name(v),
                title: v.title.clone(),
                soc_code: v.soc_code.clone(),
                start_date: start,
                hours_per_week: v.hours_max.or(v.hours_min).unwrap_or(16.0),
                hourly_pay: v.pay_max_hourly.or(v.pay_min_hourly).unwrap_or(12.21),
                contract_type: v.contract_type.clone(),
                competitive,
                end_date: end,
                end_reason: end.map(|_| {
                    (*rng.pick(&["temporary contract ended", "resigned", "dismissed"])).into()
                }),
                recorded_by_id: holder.id,
                recorded_at: day_time(start, 15),
                version: 1,
            })
            .reset_all()
            .insert(conn)
            .await?;
            let until = end.unwrap_or(today);
            let mut contacts: Vec<(NaiveDate, &str)> = support_days(rng, practice, start, until)
                .into_iter()
                .map(|offset| {
                    (
                        start + Duration::days(offset),
                        *rng.pick(&[
                            "Going well; talked through the rota.",
                            "Tired after the first week; planned rest days.",
                            "Asked about travel costs; sorted a bus pass.",
                        ]),
                    )
                })
                .filter(|(on, _)| *on <= until)
                .collect();
            // After a job ends: a call within three days from specialists who keep to the
            // standard; later, or never, from the others.
            if let Some(end) = end {
                let call = if practice.calls_after_job_end {
                    Some(end + days(rng.below(3)))
                } else {
                    rng.chance(50).then(|| end + days(5 + rng.below(10)))
                };
                contacts.extend(
                    call.filter(|on| *on <= today)
                        .map(|on| (on, "Talked through what comes next after the job ended.")),
                );
            }
            for (on, notes) in contacts {
                support_contact::ActiveModel::from(support_contact::Model {
                    id: Uuid::now_v7(),
                    client_id: id,
                    job_start_id: Some(job_id),
                    with_whom: "CLIENT".into(),
                    // The contact before a start is a meeting (the scale asks for it in person).
                    mode: match *rng.pick(&["FACE_TO_FACE", "PHONE", "PHONE", "TEXT_MESSAGE"]) {
                        _ if on < start => "FACE_TO_FACE".into(),
                        mode => mode.into(),
                    },
                    occurred_at: day_time(on, 16),
                    notes: notes.into(),
                    recorded_by_id: holder.id,
                    recorded_at: day_time(on, 17),
                })
                .reset_all()
                .insert(conn)
                .await?;
            }
        }
    }
    Ok(())
}

/// A face-to-face presentation of a client to an employer: the engagement, the client it named,
/// and the disclosure it made, through the gate as of the meeting.
async fn present(
    conn: &impl ConnectionTrait,
    specialist: Uuid,
    client: Uuid,
    employer_id: Uuid,
    at: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let engagement_id = Uuid::now_v7();
    entities::engagement::ActiveModel::from(entities::engagement::Model {
        id: engagement_id,
        employer_id,
        specialist_id: specialist,
        contact_id: None,
        occurred_at: at,
        mode: "FACE_TO_FACE".into(),
        purpose: "PRESENT_CANDIDATE".into(),
        outcome: "Presented a candidate the employer agreed to interview.".into(),
        next_step: None,
        next_step_due: None,
        supersedes_id: None,
        retraction_reason: None,
        recorded_by_id: specialist,
        recorded_at: at,
    })
    .reset_all()
    .insert(conn)
    .await?;
    entities::engagement_client::ActiveModel::from(entities::engagement_client::Model {
        engagement_id,
        client_id: client,
    })
    .reset_all()
    .insert(conn)
    .await?;
    let telling = crate::consent::gate::Telling {
        client_id: client,
        employer_id,
        contact_id: None,
        vacancy_id: None,
        act: crate::consent::model::DisclosureAct::Engagement,
        items: &[crate::consent::model::DisclosureItem::ServiceAffiliation],
        channel: "FACE_TO_FACE",
        actor_id: specialist,
        field: "demo",
    };
    crate::consent::gate::disclose_at(conn, telling, at)
        .await
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("a demo presentation failed the consent gate: {e:?}"))
}

/// A demo consent for one employer: mostly in force at service affiliation or partial, some
/// expired, some to be revoked. Writes the first version and returns it with the revoking second
/// version, which the caller writes after the tellings that relied on the first.
async fn demo_consent(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    client_id: Uuid,
    employer_id: Uuid,
    by: Uuid,
    referred: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<(
    entities::disclosure_consent::Model,
    Option<entities::disclosure_consent::Model>,
)> {
    let captured = referred + Duration::days(10);
    let (level, items) = *rng.pick(&[
        ("SERVICE_AFFILIATION", "SERVICE_AFFILIATION"),
        ("SERVICE_AFFILIATION", "SERVICE_AFFILIATION"),
        ("PARTIAL", "APPOINTMENT_CONSTRAINTS,SERVICE_AFFILIATION"),
        (
            "PARTIAL",
            "EMPLOYMENT_GAP_EXPLANATION,REASONABLE_ADJUSTMENTS,SERVICE_AFFILIATION",
        ),
        (
            "FULL",
            "CURRENT_TREATMENT,SERVICE_AFFILIATION,SUBSTANCE_USE_HISTORY",
        ),
    ]);
    let expired = rng.chance(10);
    let expires = if expired {
        today - Duration::days(1 + rng.below(20) as i64)
    } else {
        today + Duration::days(60 + rng.below(240) as i64)
    };
    let employer_name = entities::employer::Entity::find_by_id(employer_id)
        .one(conn)
        .await?
        .map(|e| e.name);
    let first = entities::disclosure_consent::Model {
        id: Uuid::now_v7(),
        consent_id: Uuid::now_v7(),
        version: 1,
        client_id,
        employer_id,
        contact_id: None,
        purpose: "APPLICATION".into(),
        level: level.into(),
        items: items.into(),
        who_discloses: (*rng.pick(&["SPECIALIST", "JOINTLY"])).into(),
        wording: "You can tell them I'm supported by the employment service; I'll talk about the rest myself.".into(),
        captured_how: (*rng.pick(&["IN_PERSON_SIGNED", "IN_PERSON_VERBAL", "PHONE_VERBAL"])).into(),
        captured_by_id: by,
        captured_at: day_time(captured.min(today), 11),
        effective_from: day_time(captured.min(today), 11),
        expires_at: day_time(expires.max(captured.min(today) + Duration::days(1)), 0),
        status: "ACTIVE".into(),
        note: None,
        employer_name,
    };
    entities::disclosure_consent::ActiveModel::from(first.clone())
        .reset_all()
        .insert(conn)
        .await?;
    if !expired && rng.chance(12) {
        let mut revoked = first.clone();
        revoked.id = Uuid::now_v7();
        revoked.version = 2;
        revoked.status = "REVOKED".into();
        revoked.note = Some("client changed their mind".into());
        revoked.captured_at = day_time(today, 9);
        return Ok((first, Some(revoked)));
    }
    Ok((first, None))
}
