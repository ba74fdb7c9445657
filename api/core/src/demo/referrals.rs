//! The demo's treatment teams, keyworkers and referrals: three treatment teams at each hub (one
//! that rarely refers), two keyworkers in each, every specialist attached to one or two of their
//! hub's teams, a referral behind each client a keyworker referred (mostly from the specialist's
//! own teams, more or less so as their habits go), open referrals at every stage from the last ten weeks, some not taken up, and the
//! consents of about half the referred clients to share their progress with their keyworker.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{
    caseload_assignment, client, keyworker_consent, referral, staff, treatment_team,
    treatment_team_specialist,
};

use super::seeds::{FIRST_NAMES, Rng, SURNAMES};
use crate::access::Role;
use crate::referrals::model::{HowTold, NotTakenUpReason, ReferralContactChannel, ReferralState};
use crate::validate::name_key;

/// One demo hub: its team of specialists, where it is, and its specialists.
pub struct Hub {
    /// The team of specialists.
    pub team_id: Uuid,
    /// The town.
    pub town: String,
    /// Its specialists, in the order they were made.
    pub specialists: Vec<Uuid>,
    /// Whether each of them takes nearly all their referrals from their own treatment teams.
    pub own_teams: Vec<bool>,
}

/// The kinds of treatment team at each hub; the last rarely refers.
const KINDS: [&str; 3] = [
    "Community Recovery Team",
    "Alcohol Service",
    "Criminal Justice Team",
];

fn at(day: chrono::NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0)
        .map_or_else(crate::clock::now, |t| t.and_utc())
}

/// Writes the demo's treatment teams, keyworkers, attachments, referrals and keyworker consents.
/// Returns the keyworkers.
pub async fn load(
    conn: &impl ConnectionTrait,
    rng: &mut Rng,
    hubs: &[Hub],
    used_names: &mut HashSet<(&'static str, &'static str)>,
    created: DateTime<Utc>,
) -> anyhow::Result<Vec<staff::Model>> {
    let today = crate::clock::today();
    let mut keyworkers = Vec::new();
    let mut attachments = 0usize;
    for hub in hubs {
        let mut teams = Vec::new();
        let mut team_keyworkers: Vec<Vec<Uuid>> = Vec::new();
        for kind in KINDS {
            let name = format!("{} {kind}", hub.town);
            let tt = treatment_team::Model {
                id: Uuid::now_v7(),
                name_key: name_key(&name),
                name,
                site: format!("{} treatment service", hub.town),
                team_id: hub.team_id,
                created_at: created,
            };
            treatment_team::ActiveModel::from(tt.clone())
                .reset_all()
                .insert(conn)
                .await?;
            let mut ids = Vec::new();
            for _ in 0..2 {
                let (first, last) = loop {
                    let pair = (*rng.pick(FIRST_NAMES), *rng.pick(SURNAMES));
                    if used_names.insert(pair) {
                        break pair;
                    }
                };
                let member = staff::Model {
                    id: Uuid::now_v7(),
                    team_id: None,
                    name: format!("{first} {last}"),
                    email: format!(
                        "{}.{}@ipsmatch.example",
                        first.to_lowercase(),
                        last.to_lowercase().replace('\'', "")
                    ),
                    role: Role::Keyworker.as_db().into(),
                    fte: 1.0,
                    active: true,
                    created_at: created,
                    deactivated_at: None,
                    version: 1,
                    treatment_team_id: Some(tt.id),
                };
                staff::ActiveModel::from(member.clone())
                    .reset_all()
                    .insert(conn)
                    .await?;
                ids.push(member.id);
                keyworkers.push(member);
            }
            team_keyworkers.push(ids);
            teams.push(tt);
        }
        // Each specialist works with one of the two busy teams; every other one also with the
        // team that rarely refers.
        let mut attached: Vec<Vec<usize>> = Vec::new();
        for (i, specialist) in hub.specialists.iter().enumerate() {
            let mut mine = vec![i % 2];
            if i % 2 == 0 {
                mine.push(2);
            }
            for &t in &mine {
                treatment_team_specialist::ActiveModel::from(treatment_team_specialist::Model {
                    id: Uuid::now_v7(),
                    treatment_team_id: teams[t].id,
                    specialist_id: *specialist,
                    attached_at: created,
                    attached_by_id: *specialist,
                })
                .reset_all()
                .insert(conn)
                .await?;
                attachments += 1;
            }
            attached.push(mine);
        }

        // The clients their keyworkers referred: mostly from one of the specialist's own teams
        // (the rare team only now and then), one in eight from another team of the hub.
        let clients = client::Entity::find()
            .filter(client::Column::TeamId.eq(hub.team_id))
            .filter(client::Column::ReferralSource.eq("TREATMENT_KEYWORKER"))
            .all(conn)
            .await?;
        let assignments = caseload_assignment::Entity::find()
            .filter(caseload_assignment::Column::ClientId.is_in(clients.iter().map(|c| c.id)))
            .all(conn)
            .await?;
        for c in &clients {
            let holder = assignments
                .iter()
                .filter(|a| a.client_id == c.id)
                .min_by_key(|a| a.assigned_from)
                .map(|a| a.specialist_id);
            let slot = holder.and_then(|h| hub.specialists.iter().position(|s| *s == h));
            let own = slot.map(|i| attached[i].clone()).unwrap_or_else(|| vec![0]);
            let strays = if slot.is_some_and(|i| hub.own_teams[i]) {
                3
            } else {
                35
            };
            let t = if rng.chance(strays) {
                (own[0] + 1) % 2
            } else if own.len() > 1 && rng.chance(10) {
                own[1]
            } else {
                own[0]
            };
            let keyworker = *rng.pick(&team_keyworkers[t]);
            let referred = c.referral_date;
            let contacted = referred + Duration::days(1 + rng.below(3) as i64);
            let met = contacted + Duration::days(1 + rng.below(7) as i64);
            let met = met.min(today);
            let contacted = contacted.min(met);
            referral::ActiveModel::from(referral::Model {
                id: Uuid::now_v7(),
                treatment_team_id: teams[t].id,
                keyworker_id: Some(keyworker),
                recorded_by_id: keyworker,
                referred_on: referred,
                person_name: c.name.clone(),
                name_key: c.name_key.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
                how_told: (*rng.pick(HowTold::ALL)).as_db().into(),
                contact_preference: (*rng.pick(ReferralContactChannel::ALL)).as_db().into(),
                contact_notes: rng
                    .chance(40)
                    .then(|| (*rng.pick(&["Mornings are best", "Text first", "After 2pm"])).into()),
                state: ReferralState::Registered.as_db().into(),
                contacted_on: Some(contacted),
                first_meeting_on: Some(met),
                closed_on: Some(met),
                not_taken_up_reason: None,
                client_id: Some(c.id),
                created_at: at(referred, 11),
                updated_at: at(met, 15),
                version: 4,
            })
            .reset_all()
            .insert(conn)
            .await?;
            if rng.chance(55) {
                let from = at(met, 15);
                let items = if rng.chance(35) {
                    "EMPLOYER_NAMES,PROGRESS"
                } else {
                    "PROGRESS"
                };
                keyworker_consent::ActiveModel::from(keyworker_consent::Model {
                    id: Uuid::now_v7(),
                    consent_id: Uuid::now_v7(),
                    version: 1,
                    client_id: c.id,
                    keyworker_id: keyworker,
                    items: items.into(),
                    wording: "I'm happy for my keyworker to know how I'm getting on with work."
                        .into(),
                    captured_how: "IN_PERSON_SIGNED".into(),
                    captured_by_id: holder.unwrap_or(keyworker),
                    captured_at: from,
                    effective_from: from,
                    expires_at: from + Duration::days(365),
                    status: "ACTIVE".into(),
                    note: None,
                })
                .reset_all()
                .insert(conn)
                .await?;
            }
        }

        // Referrals still open, or closed without joining, from the last ten weeks: four to seven
        // from each busy team, one from the team that rarely refers.
        for (t, tt) in teams.iter().enumerate() {
            let count = if t == 2 { 1 } else { 4 + rng.below(4) };
            for n in 0..count {
                let referred = today - Duration::days(rng.below(70) as i64);
                let age = (today - referred).num_days();
                let state = match (n % 5, age) {
                    (_, 0..=3) => ReferralState::Received,
                    (0, _) => ReferralState::Received,
                    (1, _) => ReferralState::Contacted,
                    (2, _) => ReferralState::FirstMeeting,
                    _ => ReferralState::NotTakenUp,
                };
                let contacted = (state != ReferralState::Received
                    && (state != ReferralState::NotTakenUp || rng.chance(50)))
                .then(|| referred + Duration::days(1 + rng.below(2) as i64));
                let met = (state == ReferralState::FirstMeeting)
                    .then(|| contacted.map(|c| c + Duration::days(1 + rng.below(2) as i64)))
                    .flatten();
                let closed = (state == ReferralState::NotTakenUp)
                    .then(|| referred + Duration::days(2 + rng.below(2) as i64));
                let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES));
                let keyworker = *rng.pick(&team_keyworkers[t]);
                referral::ActiveModel::from(referral::Model {
                    id: Uuid::now_v7(),
                    treatment_team_id: tt.id,
                    keyworker_id: Some(keyworker),
                    recorded_by_id: keyworker,
                    referred_on: referred,
                    name_key: name_key(&name),
                    person_name: name,
                    phone: Some(format!("07700 9{:05}", rng.below(100_000))),
                    email: None,
                    how_told: (*rng.pick(HowTold::ALL)).as_db().into(),
                    contact_preference: (*rng.pick(ReferralContactChannel::ALL)).as_db().into(),
                    contact_notes: None,
                    state: state.as_db().into(),
                    contacted_on: contacted,
                    first_meeting_on: met,
                    closed_on: closed,
                    not_taken_up_reason: closed
                        .map(|_| (*rng.pick(NotTakenUpReason::ALL)).as_db().into()),
                    client_id: None,
                    created_at: at(referred, 11),
                    updated_at: at(closed.or(met).or(contacted).unwrap_or(referred), 15),
                    version: 1,
                })
                .reset_all()
                .insert(conn)
                .await?;
            }
        }
    }
    tracing::debug!(keyworkers = keyworkers.len(), attachments, "demo referrals");
    Ok(keyworkers)
}
