//! The demo specialists' diaries and better-off checks, each to their habits (`Practice`):
//! appointments with every client from first meeting to discharge (out in the community or in the
//! office, some missed and followed up promptly or not), their treatment teams' weekly meetings,
//! Jobcentre Plus work coaches, keyworkers, and a better-off check before each start (or not). Then
//! a few things left due today, so every specialist's work queue holds an item of each kind: a new
//! client not yet presented to an employer who missed yesterday's appointment, a client not seen
//! for sixteen days, a job that ended yesterday, an offer not yet checked, a consent about to
//! lapse.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use entities::{
    application, application_stage, better_off_check, caseload_assignment, client,
    client_status_episode, diary_entry, diary_entry_client, job_start, keyworker_consent, referral,
    support_contact, treatment_team_specialist, vacancy,
};

use super::clients::Caseholder;
use super::seeds::{FIRST_NAMES, Rng, SURNAMES};
use crate::validate::name_key;

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0)
        .map_or_else(crate::clock::now, |t| t.and_utc())
}

/// Entries waiting to be written, with the clients each names.
#[derive(Default)]
struct Diary {
    entries: Vec<diary_entry::Model>,
    links: Vec<diary_entry_client::Model>,
}

impl Diary {
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per column of the entry"
    )]
    fn add(
        &mut self,
        specialist: Uuid,
        with_whom: &str,
        clients: &[Uuid],
        when: DateTime<Utc>,
        attendance: Option<&str>,
        place: &str,
        minutes: Option<i32>,
        follows_up: Option<Uuid>,
    ) -> Uuid {
        let id = Uuid::now_v7();
        self.entries.push(diary_entry::Model {
            id,
            specialist_id: specialist,
            with_whom: with_whom.into(),
            treatment_team_id: None,
            at: when,
            planned: follows_up.is_none(),
            attendance: attendance.map(Into::into),
            place: place.into(),
            minutes,
            note: None,
            follows_up_id: follows_up,
            recorded_by_id: specialist,
            recorded_at: when.min(crate::db::now()),
            version: 1,
        });
        for c in clients {
            self.links.push(diary_entry_client::Model {
                id: Uuid::now_v7(),
                entry_id: id,
                client_id: *c,
            });
        }
        id
    }

    async fn write(self, conn: &impl ConnectionTrait) -> anyhow::Result<usize> {
        let n = self.entries.len();
        for chunk in self.entries.chunks(500) {
            diary_entry::Entity::insert_many(
                chunk
                    .iter()
                    .map(|e| diary_entry::ActiveModel::from(e.clone()).reset_all()),
            )
            .exec(conn)
            .await?;
        }
        for chunk in self.links.chunks(500) {
            diary_entry_client::Entity::insert_many(
                chunk
                    .iter()
                    .map(|l| diary_entry_client::ActiveModel::from(l.clone()).reset_all()),
            )
            .exec(conn)
            .await?;
        }
        Ok(n)
    }
}

/// Writes the diaries, better-off checks and today's due items; returns how many entries.
pub async fn load(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    caseholders: &[Caseholder],
    vacancies: &[vacancy::Model],
    created: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let today = crate::clock::today();
    let mut diary = Diary::default();
    for holder in caseholders {
        let p = holder.practice;
        let held: Vec<Uuid> = caseload_assignment::Entity::find()
            .filter(caseload_assignment::Column::SpecialistId.eq(holder.id))
            .all(conn)
            .await?
            .into_iter()
            .map(|a| a.client_id)
            .collect();
        let clients = client::Entity::find()
            .filter(client::Column::Id.is_in(held.iter().copied()))
            .all(conn)
            .await?;
        let discharged: HashMap<Uuid, NaiveDate> = client_status_episode::Entity::find()
            .filter(client_status_episode::Column::ClientId.is_in(held.iter().copied()))
            .filter(client_status_episode::Column::Status.eq("DISCHARGED"))
            .all(conn)
            .await?
            .into_iter()
            .map(|e| (e.client_id, e.started_on))
            .collect();
        let active: Vec<&client::Model> = clients
            .iter()
            .filter(|c| !discharged.contains_key(&c.id))
            .collect();
        // The client who has not been seen for sixteen days (a queue item).
        let unseen = active.first().map(|c| c.id);

        // Appointments with each client, every one to two weeks from the first meeting.
        let places: &[&str] = if p.meets_in_the_community {
            &[
                "COMMUNITY",
                "COMMUNITY",
                "COMMUNITY",
                "CLIENT_HOME",
                "CLIENT_HOME",
                "EMPLOYER_PREMISES",
                "OFFICE",
                "PHONE",
            ]
        } else {
            &[
                "OFFICE",
                "OFFICE",
                "OFFICE",
                "OFFICE",
                "PHONE",
                "PHONE",
                "COMMUNITY",
                "CLIENT_HOME",
            ]
        };
        // While a client is in work, in-work support takes the place of appointments.
        let jobs = job_start::Entity::find()
            .filter(job_start::Column::ClientId.is_in(held.iter().copied()))
            .all(conn)
            .await?;
        let in_work = |client: Uuid, on: NaiveDate| {
            jobs.iter().any(|j| {
                j.client_id == client
                    && j.start_date <= on
                    && j.end_date.is_none_or(|end| on <= end)
            })
        };
        for c in &clients {
            let last =
                discharged
                    .get(&c.id)
                    .copied()
                    .unwrap_or(today)
                    .min(if Some(c.id) == unseen {
                        today - Duration::days(16)
                    } else {
                        today
                    });
            let mut on = c.referral_date + Duration::days(2 + rng.below(4) as i64);
            while on < last {
                if in_work(c.id, on) {
                    on += Duration::days(7);
                    continue;
                }
                let place = *rng.pick(places);
                let minutes = if place == "PHONE" {
                    10 + rng.below(15)
                } else {
                    30 + rng.below(45)
                } as i32;
                let roll = rng.below(100);
                let attendance = match roll {
                    0..=9 => "DID_NOT_ATTEND",
                    10..=13 => "CANCELLED",
                    _ => "ATTENDED",
                };
                let place = if attendance == "DID_NOT_ATTEND" {
                    "OFFICE"
                } else {
                    place
                };
                let entry = diary.add(
                    holder.id,
                    "CLIENT",
                    &[c.id],
                    at(on, 10 + rng.below(6) as u32),
                    Some(attendance),
                    place,
                    (attendance == "ATTENDED").then_some(minutes),
                    None,
                );
                if attendance == "DID_NOT_ATTEND" {
                    let after = if p.follows_up_missed {
                        Some(1 + rng.below(2) as i64)
                    } else {
                        match rng.below(10) {
                            0..=3 => Some(1 + rng.below(2) as i64),
                            4..=6 => Some(5 + rng.below(4) as i64),
                            _ => None,
                        }
                    };
                    if let Some(after) = after.filter(|a| on + Duration::days(*a) < today) {
                        diary.add(
                            holder.id,
                            "CLIENT",
                            &[c.id],
                            at(on + Duration::days(after), 16),
                            Some("ATTENDED"),
                            "PHONE",
                            Some(10),
                            Some(entry),
                        );
                    }
                }
                on += Duration::days(7 + rng.below(8) as i64);
            }
            // One in three active clients has their next appointment booked.
            if !discharged.contains_key(&c.id) && rng.chance(33) {
                let next = today + Duration::days(1 + rng.below(7) as i64);
                let place = places[rng.below(places.len())];
                diary.add(
                    holder.id,
                    "CLIENT",
                    &[c.id],
                    at(next, 11),
                    None,
                    place,
                    None,
                    None,
                );
            }
        }

        // Their treatment teams' weekly meetings, and Jobcentre Plus work coaches.
        let attached: Vec<Uuid> = treatment_team_specialist::Entity::find()
            .filter(treatment_team_specialist::Column::SpecialistId.eq(holder.id))
            .all(conn)
            .await?
            .into_iter()
            .map(|a| a.treatment_team_id)
            .collect();
        let first_week = created.date_naive() + Duration::days(14);
        let mut week = first_week;
        while week < today {
            for (i, tt) in attached.iter().enumerate() {
                let day = week + Duration::days(1 + i as i64);
                if day >= today {
                    continue;
                }
                let goes = p.attends_team_meetings || rng.chance(30);
                let discussed: Vec<Uuid> = active
                    .iter()
                    .filter(|c| c.referral_date <= day)
                    .take(3)
                    .map(|c| c.id)
                    .collect();
                let id = diary.add(
                    holder.id,
                    "TREATMENT_TEAM_MEETING",
                    &discussed,
                    at(day, 9),
                    Some(if goes { "ATTENDED" } else { "CANCELLED" }),
                    "OFFICE",
                    Some(60),
                    None,
                );
                if let Some(e) = diary.entries.iter_mut().find(|e| e.id == id) {
                    e.treatment_team_id = Some(*tt);
                }
            }
            let coach_visits = if p.works_with_jobcentre {
                (holder.fte * 1.25 + rng.unit()).floor() as usize
            } else {
                usize::from(rng.chance(12))
            };
            // Each about one client on the caseload by then (the first one, early in the year).
            let by_then: Vec<Uuid> = clients
                .iter()
                .filter(|c| c.referral_date <= week)
                .map(|c| c.id)
                .collect();
            for k in 0..coach_visits {
                let about = by_then
                    .get(k % by_then.len().max(1))
                    .or(clients.first().map(|c| &c.id))
                    .copied();
                let day = week + Duration::days(3);
                if let Some(about) = about
                    && day < today
                {
                    diary.add(
                        holder.id,
                        "WORK_COACH",
                        &[about],
                        at(day, 14),
                        Some("ATTENDED"),
                        "COMMUNITY",
                        Some(30),
                        None,
                    );
                }
            }
            week += Duration::days(7);
        }

        // A better-off check before each start (or not, as their habits go).
        for job in &jobs {
            let checked = if p.plans_work_incentives {
                Some(job.start_date - Duration::days(2 + rng.below(9) as i64))
            } else {
                match rng.below(10) {
                    0..=2 => Some(job.start_date - Duration::days(3)),
                    3..=5 => Some(job.start_date + Duration::days(3 + rng.below(7) as i64)),
                    _ => None,
                }
            };
            if let Some(on) = checked.filter(|d| *d <= today) {
                better_off_check::ActiveModel::from(better_off_check::Model {
                    id: Uuid::now_v7(),
                    client_id: job.client_id,
                    checked_on: on,
                    checked_by_id: holder.id,
                    application_id: job.application_id,
                    job_start_id: Some(job.id),
                    hours_change_to: None,
                    outcome: (*rng.pick(&[
                        "BETTER_OFF",
                        "BETTER_OFF",
                        "BETTER_OFF",
                        "ABOUT_THE_SAME",
                        "NEEDS_ADVICE",
                    ]))
                    .into(),
                    referred_to_welfare_rights: rng.chance(25),
                    recorded_at: at(on, 17),
                })
                .reset_all()
                .insert(conn)
                .await?;
            }
        }

        due_today(
            conn, rng, holder, &mut diary, &active, &jobs, vacancies, &attached,
        )
        .await?;
    }
    diary.write(conn).await
}

/// What is left due today for `holder`: a new client not yet presented to an employer, who missed
/// yesterday's appointment; a job that ended yesterday; an offer not yet checked; a consent about
/// to lapse.
#[expect(
    clippy::too_many_arguments,
    reason = "what the demo has read about one specialist"
)]
async fn due_today(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    holder: &Caseholder,
    diary: &mut Diary,
    active: &[&client::Model],
    jobs: &[job_start::Model],
    vacancies: &[vacancy::Model],
    attached: &[Uuid],
) -> anyhow::Result<()> {
    let today = crate::clock::today();
    // A client referred 28 days ago by a keyworker of one of their own teams, met weekly, not yet
    // presented to an employer (due in two days), who missed yesterday's appointment.
    let referred = today - Duration::days(28);
    let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES));
    let id = Uuid::now_v7();
    client::ActiveModel::from(client::Model {
        id,
        team_id: holder.team_id,
        name_key: name_key(&name),
        name: name.clone(),
        phone: Some(format!("07700 9{:05}", rng.below(100_000))),
        email: None,
        town: None,
        postcode: None,
        referral_date: referred,
        referral_source: "TREATMENT_KEYWORKER".into(),
        employment_at_referral: Some("UNEMPLOYED".into()),
        keyworker_name: None,
        keyworker_contact: None,
        status: "ACTIVE".into(),
        created_by_id: holder.id,
        created_at: at(referred + Duration::days(2), 12),
        updated_at: at(referred + Duration::days(2), 12),
        version: 1,
    })
    .reset_all()
    .insert(conn)
    .await?;
    client_status_episode::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(id),
        status: Set("ACTIVE".into()),
        started_on: Set(referred),
        ended_on: Set(None),
        reason: Set(Some("referred".into())),
        reason_code: Set(None),
        recorded_by_id: Set(holder.id),
        recorded_at: Set(at(referred + Duration::days(2), 12)),
    }
    .insert(conn)
    .await?;
    caseload_assignment::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(id),
        specialist_id: Set(holder.id),
        assigned_from: Set(at(referred + Duration::days(2), 12)),
        assigned_to: Set(None),
        reason: Set(Some("registered".into())),
        assigned_by_id: Set(holder.id),
    }
    .insert(conn)
    .await?;
    if let Some(tt) = attached.first() {
        let keyworker = entities::staff::Entity::find()
            .filter(entities::staff::Column::TreatmentTeamId.eq(*tt))
            .one(conn)
            .await?;
        referral::ActiveModel::from(referral::Model {
            id: Uuid::now_v7(),
            treatment_team_id: *tt,
            keyworker_id: keyworker.as_ref().map(|k| k.id),
            recorded_by_id: keyworker.as_ref().map_or(holder.id, |k| k.id),
            referred_on: referred,
            person_name: name.clone(),
            name_key: name_key(&name),
            phone: None,
            email: None,
            how_told: "IN_PERSON".into(),
            contact_preference: "AT_TREATMENT_APPOINTMENT".into(),
            contact_notes: None,
            state: "REGISTERED".into(),
            contacted_on: Some(referred + Duration::days(1)),
            first_meeting_on: Some(referred + Duration::days(2)),
            closed_on: Some(referred + Duration::days(2)),
            not_taken_up_reason: None,
            client_id: Some(id),
            created_at: at(referred, 11),
            updated_at: at(referred + Duration::days(2), 12),
            version: 4,
        })
        .reset_all()
        .insert(conn)
        .await?;
    }
    for week in 0..3 {
        let on = referred + Duration::days(2 + 7 * week);
        diary.add(
            holder.id,
            "CLIENT",
            &[id],
            at(on, 10),
            Some("ATTENDED"),
            "COMMUNITY",
            Some(45),
            None,
        );
    }
    diary.add(
        holder.id,
        "CLIENT",
        &[id],
        at(today - Duration::days(1), 10),
        Some("DID_NOT_ATTEND"),
        "OFFICE",
        None,
        None,
    );

    // A job whose next in-work contact falls due this week: month one is weekly anyway; later,
    // the contacts of the window not yet over are left out and the last window's contact is put
    // at its start, so it falls due by today. Only windows that have passed count for the
    // rhythm measure, and they keep a contact each.
    let support = support_contact::Entity::find()
        .filter(support_contact::Column::ClientId.is_in(jobs.iter().map(|j| j.client_id)))
        .all(conn)
        .await?;
    let running =
        |j: &&job_start::Model| j.end_date.is_none() && j.start_date <= today - Duration::days(14);
    let supported = jobs
        .iter()
        .filter(running)
        .max_by_key(|j| (today - j.start_date).num_days());
    if let Some(job) = supported
        && job.start_date + Duration::days(crate::fidelity::rules::MONTH_ONE_DAYS) <= today
    {
        let month_after = job.start_date + Duration::days(crate::fidelity::rules::MONTH_ONE_DAYS);
        let windows = (today - month_after).num_days() / crate::fidelity::rules::MONTHLY_DAYS;
        let current = month_after + Duration::days(windows * crate::fidelity::rules::MONTHLY_DAYS);
        let of_job: Vec<&support_contact::Model> = support
            .iter()
            .filter(|s| s.job_start_id == Some(job.id))
            .collect();
        for s in of_job
            .iter()
            .filter(|s| s.occurred_at.date_naive() >= current)
        {
            support_contact::Entity::delete_by_id(s.id)
                .exec(conn)
                .await?;
        }
        let previous = current - Duration::days(crate::fidelity::rules::MONTHLY_DAYS);
        if windows >= 1
            && let Some(last) = of_job
                .iter()
                .filter(|s| {
                    let d = s.occurred_at.date_naive();
                    d >= previous && d < current
                })
                .max_by_key(|s| s.occurred_at)
        {
            let mut row: support_contact::ActiveModel = (*last).clone().into();
            row.occurred_at = Set(at(previous, 16));
            row.update(conn).await?;
        }
    }

    // A job that ended yesterday, with no contact since.
    let support_today: HashSet<Uuid> = support
        .iter()
        .filter(|s| s.occurred_at.date_naive() >= today - Duration::days(1))
        .map(|s| s.client_id)
        .collect();
    // (With no other job running, the one that ended last, in the past three months, ends yesterday
    // instead, and the call after it is not made yet.)
    let other = jobs
        .iter()
        .filter(|j| j.end_date.is_none() && j.start_date < today - Duration::days(1))
        .find(|j| Some(j.id) != supported.map(|s| s.id) && !support_today.contains(&j.client_id));
    let ended = jobs
        .iter()
        .filter(|j| {
            j.end_date
                .is_some_and(|end| end >= today - Duration::days(90))
        })
        .max_by_key(|j| j.end_date);
    if let Some(job) = other.or(ended) {
        for s in support.iter().filter(|s| {
            s.client_id == job.client_id
                && job
                    .end_date
                    .is_some_and(|end| s.occurred_at.date_naive() >= end)
        }) {
            support_contact::Entity::delete_by_id(s.id)
                .exec(conn)
                .await?;
        }
        let mut row: job_start::ActiveModel = job.clone().into();
        row.end_date = Set(Some(today - Duration::days(1)));
        row.end_reason = Set(Some("temporary contract ended".into()));
        row.version = Set(job.version + 1);
        row.update(conn).await?;
    }

    // An offer made today to an active client, not yet checked for whether they will be better
    // off.
    let applied: HashSet<(Uuid, Uuid)> = application::Entity::find()
        .filter(application::Column::ClientId.is_in(active.iter().map(|c| c.id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.client_id, a.vacancy_id))
        .collect();
    let open: Vec<&vacancy::Model> = vacancies.iter().filter(|v| v.status == "OPEN").collect();
    if let Some(c) = active.iter().find(|c| c.status == "ACTIVE")
        && let Some(v) = open.iter().find(|v| !applied.contains(&(c.id, v.id)))
    {
        let app_id = Uuid::now_v7();
        let when = at(today, 0);
        application::ActiveModel::from(application::Model {
            id: app_id,
            client_id: c.id,
            vacancy_id: v.id,
            stage: "OFFER".into(),
            submitted_by: "CLIENT".into(),
            created_by_id: holder.id,
            created_at: when,
            updated_at: when,
            version: 1,
        })
        .reset_all()
        .insert(conn)
        .await?;
        application_stage::ActiveModel {
            id: Set(Uuid::now_v7()),
            application_id: Set(app_id),
            stage: Set("OFFER".into()),
            on_date: Set(today),
            reason: Set(None),
            recorded_by_id: Set(holder.id),
            recorded_at: Set(when),
        }
        .insert(conn)
        .await?;
    }

    // The new client's consent to share progress with their keyworker, which lapses in nine days.
    let referred_clients = referral::Entity::find()
        .filter(referral::Column::ClientId.eq(id))
        .all(conn)
        .await?;
    if let Some(r) = referred_clients.iter().find(|r| r.keyworker_id.is_some()) {
        let from = at(today - Duration::days(356), 12);
        keyworker_consent::ActiveModel::from(keyworker_consent::Model {
            id: Uuid::now_v7(),
            consent_id: Uuid::now_v7(),
            version: 1,
            client_id: r.client_id.unwrap_or_default(),
            keyworker_id: r.keyworker_id.unwrap_or_default(),
            items: "PROGRESS".into(),
            wording: "My keyworker may know how I'm getting on.".into(),
            captured_how: "IN_PERSON_VERBAL".into(),
            captured_by_id: holder.id,
            captured_at: from,
            effective_from: from,
            expires_at: at(today + Duration::days(9), 12),
            status: "ACTIVE".into(),
            note: None,
        })
        .reset_all()
        .insert(conn)
        .await?;
    }
    Ok(())
}
