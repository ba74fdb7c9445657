//! Demo clients: ~300 people across the demo specialists' caseloads (around 20 each), referred over
//! the last six months, with job preferences, vocational profiles, special-category facts,
//! applications in every stage, job starts (some ended) and in-work support — a living caseload.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{
    application, application_stage, caseload_assignment, client, client_sensitive,
    client_status_episode, job_preference, job_start, support_contact, vacancy, vocational_profile,
};

use super::{FIRST_NAMES, Place, Rng, SURNAMES};
use crate::db::truncate_to_micros;
use crate::validate::name_key;
use search_index::distance_km;

/// Clients per demo specialist, on average.
pub const PER_SPECIALIST: usize = 25;

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
    "client not ready to start this month",
];

/// A demo specialist and where their team is.
pub struct Caseholder {
    /// Staff id.
    pub id: Uuid,
    /// Team id.
    pub team_id: Uuid,
    /// The team's town.
    pub hub: (f64, f64),
}

fn day_time(day: NaiveDate, hour: u32) -> chrono::DateTime<Utc> {
    truncate_to_micros(
        day.and_hms_opt(hour, 0, 0)
            .map_or_else(Utc::now, |t| t.and_utc()),
    )
}

/// Inserts the demo clients and everything about them; returns how many clients.
pub async fn load(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    caseholders: &[Caseholder],
    places: &[Place],
    vacancies: &[vacancy::Model],
) -> anyhow::Result<usize> {
    let today = Utc::now().date_naive();
    let mut count = 0;
    for holder in caseholders {
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
        let caseload = PER_SPECIALIST - 5 + rng.below(11);
        for _ in 0..caseload {
            let home = *rng.pick(&near);
            let referred = today - Duration::days(7 + rng.below(180) as i64);
            let recorded = day_time(referred, 10);
            let id = Uuid::now_v7();
            let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES));
            let status = match rng.below(20) {
                0..=11 => "ACTIVE",
                12..=15 => "IN_WORK",
                16 | 17 => "PAUSED",
                _ => "DISCHARGED",
            };
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
            let status_from = referred + Duration::days(30 + rng.below(60) as i64);
            let mut episodes = vec![("ACTIVE", referred)];
            if status != "ACTIVE" && status_from < today {
                episodes.push((status, status_from));
            } else if status != "ACTIVE" {
                episodes.push((status, today - Duration::days(1)));
            }
            for (n, (episode, from)) in episodes.iter().enumerate() {
                client_status_episode::ActiveModel::from(client_status_episode::Model {
                    id: Uuid::now_v7(),
                    client_id: id,
                    status: (*episode).into(),
                    started_on: *from,
                    ended_on: episodes.get(n + 1).map(|(_, next)| *next),
                    reason: Some(
                        if n == 0 {
                            "referred"
                        } else {
                            "reviewed with client"
                        }
                        .into(),
                    ),
                    recorded_by_id: holder.id,
                    recorded_at: day_time(*from, 11),
                })
                .reset_all()
                .insert(conn)
                .await?;
                // Before a discharge, most specialists try to re-engage the client (0 to 3 times).
                if *episode == "DISCHARGED" {
                    for k in 0..rng.below(4) {
                        let on = *from - Duration::days(3 + 9 * k as i64);
                        if on < referred {
                            break;
                        }
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

            // Disclosure talked over once or more (the fidelity scale asks for more than once).
            for d in 0..rng.below(4) {
                let on = (referred + Duration::days(3 + 10 * d as i64)).min(today);
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

            // Applications in every stage, to nearby vacancies.
            let mut used = Vec::new();
            let applications = if status == "PAUSED" {
                1
            } else {
                1 + rng.below(4)
            };
            for a in 0..applications {
                let Some(v) = (!nearby_vacancies.is_empty()).then(|| *rng.pick(&nearby_vacancies))
                else {
                    break;
                };
                if used.contains(&v.id) {
                    continue;
                }
                used.push(v.id);
                let started_on = referred + Duration::days(14 + rng.below(30) as i64);
                let final_stage = if status == "IN_WORK" && a == 0 {
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
                let last_day = (started_on + Duration::days(7 * path.len() as i64)).min(today);
                // Jointly sent applications to employers on record rest on a consent, logged.
                let joint = v.employer_id.is_some() && path.contains(&"APPLIED") && rng.chance(50);
                if let (true, Some(employer_id)) = (joint, v.employer_id) {
                    let consent =
                        demo_consent(conn, rng, id, employer_id, holder.id, referred, today)
                            .await?;
                    let relied_on = if consent.version > 1 {
                        // Revoked after the application went in: the log holds version 1.
                        entities::disclosure_consent::Entity::find()
                            .filter(
                                entities::disclosure_consent::Column::ConsentId
                                    .eq(consent.consent_id),
                            )
                            .filter(entities::disclosure_consent::Column::Version.eq(1))
                            .one(conn)
                            .await?
                            .unwrap_or(consent.clone())
                    } else {
                        consent.clone()
                    };
                    crate::consent::service::log(
                        conn,
                        crate::consent::service::Act {
                            consent: &relied_on,
                            act: crate::consent::types::DisclosureAct::Application,
                            channel: "EMAIL",
                            items: &[crate::consent::types::DisclosureItem::ServiceAffiliation],
                            contact_id: None,
                            vacancy_id: Some(v.id),
                            actor_id: holder.id,
                        },
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("logging a demo disclosure: {e:?}"))?;
                    // Presented face to face on the client's behalf, within the consent: some
                    // within 30 days of referral, some later (days to first employer contact).
                    let presented = day_time(started_on + Duration::days(rng.below(12) as i64), 10);
                    if presented.date_naive() <= today
                        && relied_on.effective_from <= presented
                        && relied_on.expires_at > presented
                    {
                        let engagement_id = Uuid::now_v7();
                        entities::engagement::ActiveModel::from(entities::engagement::Model {
                            id: engagement_id,
                            employer_id,
                            specialist_id: holder.id,
                            contact_id: None,
                            occurred_at: presented,
                            mode: "FACE_TO_FACE".into(),
                            purpose: "PRESENT_CANDIDATE".into(),
                            outcome: "Presented a candidate the employer agreed to interview."
                                .into(),
                            next_step: None,
                            next_step_due: None,
                            supersedes_id: None,
                            retraction_reason: None,
                            recorded_by_id: holder.id,
                            recorded_at: presented,
                        })
                        .reset_all()
                        .insert(conn)
                        .await?;
                        entities::engagement_client::ActiveModel::from(
                            entities::engagement_client::Model {
                                engagement_id,
                                client_id: id,
                            },
                        )
                        .reset_all()
                        .insert(conn)
                        .await?;
                        crate::consent::service::log(
                            conn,
                            crate::consent::service::Act {
                                consent: &relied_on,
                                act: crate::consent::types::DisclosureAct::Engagement,
                                channel: "FACE_TO_FACE",
                                items: &[crate::consent::types::DisclosureItem::ServiceAffiliation],
                                contact_id: None,
                                vacancy_id: None,
                                actor_id: holder.id,
                            },
                        )
                        .await
                        .map_err(|e| anyhow::anyhow!("logging a demo disclosure: {e:?}"))?;
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
                    let on = (started_on + Duration::days(7 * n as i64)).min(today);
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
                if final_stage == "STARTED" {
                    let ended = rng.chance(25);
                    let job_id = Uuid::now_v7();
                    let end_date =
                        (last_day + Duration::days(30 + rng.below(60) as i64)).min(today);
                    job_start::ActiveModel::from(job_start::Model {
                        id: job_id,
                        client_id: id,
                        application_id: Some(app_id),
                        employer_id: v.employer_id,
                        employer_name: v
                            .employer_name
                            .clone()
                            .unwrap_or_else(|| "Local employer".into()),
                        title: v.title.clone(),
                        soc_code: v.soc_code.clone(),
                        start_date: last_day,
                        hours_per_week: v.hours_max.or(v.hours_min).unwrap_or(16.0),
                        hourly_pay: v.pay_max_hourly.or(v.pay_min_hourly).unwrap_or(12.21),
                        contract_type: v.contract_type.clone(),
                        competitive: !rng.chance(5),
                        end_date: (ended && end_date > last_day).then_some(end_date),
                        end_reason: (ended && end_date > last_day).then(|| {
                            (*rng.pick(&["temporary contract ended", "resigned", "dismissed"]))
                                .into()
                        }),
                        recorded_by_id: holder.id,
                        recorded_at: day_time(last_day, 15),
                        version: 1,
                    })
                    .reset_all()
                    .insert(conn)
                    .await?;
                    // In-work support with the client: before the start, within three days,
                    // then weekly for the first month (some specialists keep it up better).
                    let rhythm = [-2i64, 2, 9, 16, 23, 30];
                    let kept = 3 + rng.below(4);
                    for offset in rhythm.iter().take(kept) {
                        let on = last_day + Duration::days(*offset);
                        if on > today {
                            break;
                        }
                        support_contact::ActiveModel::from(support_contact::Model {
                            id: Uuid::now_v7(),
                            client_id: id,
                            job_start_id: Some(job_id),
                            with_whom: "CLIENT".into(),
                            mode: (*rng.pick(&["FACE_TO_FACE", "PHONE", "PHONE", "TEXT_MESSAGE"]))
                                .into(),
                            occurred_at: day_time(on, 16),
                            notes: (*rng.pick(&[
                                "Going well; talked through the rota.",
                                "Tired after the first week; planned rest days.",
                                "Asked about travel costs; sorted a bus pass.",
                            ]))
                            .into(),
                            recorded_by_id: holder.id,
                            recorded_at: day_time(on, 17),
                        })
                        .reset_all()
                        .insert(conn)
                        .await?;
                    }
                    // After a job ends: a call within three days for most, later for some.
                    if ended && end_date > last_day {
                        let on = end_date + Duration::days(rng.below(6) as i64);
                        if on <= today {
                            support_contact::ActiveModel::from(support_contact::Model {
                                id: Uuid::now_v7(),
                                client_id: id,
                                job_start_id: Some(job_id),
                                with_whom: "CLIENT".into(),
                                mode: "PHONE".into(),
                                occurred_at: day_time(on, 16),
                                notes: "Talked through what comes next after the job ended.".into(),
                                recorded_by_id: holder.id,
                                recorded_at: day_time(on, 17),
                            })
                            .reset_all()
                            .insert(conn)
                            .await?;
                        }
                    }
                }
            }
            count += 1;
        }
    }
    Ok(count)
}

/// A demo consent for one employer: mostly in force at service affiliation or partial, some
/// expired, some revoked (a second version). Returns the newest version.
async fn demo_consent(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    client_id: Uuid,
    employer_id: Uuid,
    by: Uuid,
    referred: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<entities::disclosure_consent::Model> {
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
        entities::disclosure_consent::ActiveModel::from(revoked.clone())
            .reset_all()
            .insert(conn)
            .await?;
        return Ok(revoked);
    }
    Ok(first)
}
