//! Diary rules: an entry is in its specialist's own diary, names only clients the specialist
//! reaches, is with one client (or, for a treatment-team meeting, a team they are attached to and
//! the clients discussed), and only a planned appointment with the client can be missed; a
//! follow-up names the missed appointment it follows.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use entities::{client, diary_entry, diary_entry_client, staff};

use super::inputs::{DiaryEntryOutcomeInput, DiaryEntryRecordInput};
use super::model::{Attendance, DiaryParty};
use crate::access::{Role, Viewer};
use crate::dates::{end_of, start_of};
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode};
use crate::ids::{self, Kind};
use crate::validate::Checks;

/// Longest note.
pub const NOTE: usize = 500;
/// Most clients one treatment-team meeting lists.
const MEETING_CLIENTS: usize = 50;
/// Longest entry.
const MAX_MINUTES: i32 = 600;

fn keeps_a_diary(viewer: &Viewer) -> Result<(), ServiceError> {
    match viewer.role {
        Role::Specialist | Role::TeamLead => Ok(()),
        Role::Admin | Role::Keyworker => Err(ServiceError::Api(ApiError::Forbidden)),
    }
}

fn check_minutes(checks: &mut Checks, minutes: Option<i32>) {
    if minutes.is_some_and(|m| !(0..=MAX_MINUTES).contains(&m)) {
        checks.fail(
            "minutes",
            UserErrorCode::Invalid,
            format!("minutes run from 0 to {MAX_MINUTES}"),
        );
    }
}

/// Records an entry in the caller's own diary.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: DiaryEntryRecordInput,
) -> Result<diary_entry::Model, ServiceError> {
    keeps_a_diary(viewer)?;
    if input.client_ids.len() > MEETING_CLIENTS {
        // Refused before any lookup or lock: a long list must not hold the writer.
        return Err(ServiceError::user(
            "clientIds",
            UserErrorCode::Invalid,
            format!("an entry lists at most {MEETING_CLIENTS} clients"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut checks = Checks::new();
    let meeting = input.with_whom == DiaryParty::TreatmentTeamMeeting;
    match (meeting, input.client_ids.len()) {
        (false, n) if n != 1 => checks.fail(
            "clientIds",
            UserErrorCode::Invalid,
            "name the one client this is with or about",
        ),
        _ => {}
    }
    let mut clients: Vec<client::Model> = Vec::new();
    for (i, id) in input.client_ids.iter().enumerate() {
        match crate::clients::service::reachable(&txn, viewer, &format!("clientIds.{i}"), id).await
        {
            Ok(c) if !clients.iter().any(|k| k.id == c.id) => clients.push(c),
            Ok(_) => {}
            Err(ServiceError::User(errors)) => {
                for e in errors {
                    checks.fail(&format!("clientIds.{i}"), e.code, e.message);
                }
            }
            Err(other) => return Err(other),
        }
    }
    let treatment_team = match (&input.treatment_team_id, meeting) {
        (Some(id), true) => {
            let found = match ids::decode_as(id, Kind::TreatmentTeam) {
                Some(uuid) => crate::referrals::service::find_treatment_team(&txn, uuid).await?,
                None => None,
            };
            let mine = match &found {
                Some(tt) if viewer.role == Role::TeamLead => {
                    Some(tt.team_id) == viewer.staff.team_id
                }
                Some(tt) => crate::referrals::service::treatment_teams_of(&txn, viewer.id())
                    .await?
                    .iter()
                    .any(|t| t.id == tt.id),
                None => false,
            };
            if !mine {
                checks.fail(
                    "treatmentTeamId",
                    UserErrorCode::NotFound,
                    "no such treatment team you are attached to",
                );
            }
            found.map(|t| t.id)
        }
        (None, true) => {
            checks.fail(
                "treatmentTeamId",
                UserErrorCode::Required,
                "name the treatment team whose meeting this was",
            );
            None
        }
        (Some(_), false) => {
            checks.fail(
                "treatmentTeamId",
                UserErrorCode::Invalid,
                "only a treatment-team meeting names a treatment team",
            );
            None
        }
        (None, false) => None,
    };
    let at = crate::db::truncate_to_micros(input.at);
    let moment = now();
    if input.attendance.is_some() && at > moment {
        checks.fail(
            "attendance",
            UserErrorCode::Invalid,
            "an appointment still to come has no attendance yet",
        );
    }
    if at > moment + Duration::days(366) || at < moment - Duration::days(366) {
        checks.fail(
            "at",
            UserErrorCode::Invalid,
            "within a year of today, ahead or back",
        );
    }
    if input.attendance == Some(Attendance::DidNotAttend)
        && !(input.planned && input.with_whom == DiaryParty::Client)
    {
        checks.fail(
            "attendance",
            UserErrorCode::Invalid,
            "only a planned appointment with the client can be missed",
        );
    }
    check_minutes(&mut checks, input.minutes);
    let note = checks.optional_text("note", input.note.as_deref(), NOTE);
    let follows_up = match &input.follows_up_id {
        Some(id) => {
            let missed = match ids::decode_as(id, Kind::DiaryEntry) {
                Some(uuid) => diary_entry::Entity::find_by_id(uuid).one(&txn).await?,
                None => None,
            };
            let shares_a_client = match &missed {
                Some(m) => diary_entry_client::Entity::find()
                    .filter(diary_entry_client::Column::EntryId.eq(m.id))
                    .all(&txn)
                    .await?
                    .iter()
                    .any(|l| clients.iter().any(|c| c.id == l.client_id)),
                None => false,
            };
            match missed {
                Some(m)
                    if shares_a_client
                        && m.attendance.as_deref() == Some(Attendance::DidNotAttend.as_db()) =>
                {
                    if at < m.at {
                        checks.fail(
                            "followsUpId",
                            UserErrorCode::Invalid,
                            "a follow-up comes after the missed appointment",
                        );
                    }
                    Some(m.id)
                }
                _ => {
                    checks.fail(
                        "followsUpId",
                        UserErrorCode::NotFound,
                        "no such missed appointment with this client",
                    );
                    None
                }
            }
        }
        None => None,
    };
    checks.finish()?;
    let saved = diary_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        specialist_id: Set(viewer.id()),
        with_whom: Set(input.with_whom.as_db().into()),
        treatment_team_id: Set(treatment_team),
        at: Set(at),
        planned: Set(input.planned),
        attendance: Set(input.attendance.map(|a| a.as_db().into())),
        place: Set(input.place.as_db().into()),
        minutes: Set(input.minutes),
        note: Set(note),
        follows_up_id: Set(follows_up),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(moment),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    for c in &clients {
        diary_entry_client::ActiveModel {
            id: Set(Uuid::now_v7()),
            entry_id: Set(saved.id),
            client_id: Set(c.id),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// Records what became of a planned appointment in the caller's own diary.
pub async fn record_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: DiaryEntryOutcomeInput,
) -> Result<diary_entry::Model, ServiceError> {
    keeps_a_diary(viewer)?;
    let missing = || ServiceError::user("id", UserErrorCode::NotFound, "no such diary entry");
    let txn = crate::db::begin_write(db).await?;
    let current = match ids::decode_as(&input.id, Kind::DiaryEntry) {
        Some(uuid) => diary_entry::Entity::find_by_id(uuid).one(&txn).await?,
        None => None,
    }
    .filter(|e| e.specialist_id == viewer.id())
    .ok_or_else(missing)?;
    let mut checks = Checks::new();
    if current.at > now() {
        checks.fail(
            "attendance",
            UserErrorCode::Invalid,
            "an appointment still to come has no attendance yet",
        );
    }
    if input.attendance == Attendance::DidNotAttend
        && !(current.planned && current.with_whom == DiaryParty::Client.as_db())
    {
        checks.fail(
            "attendance",
            UserErrorCode::Invalid,
            "only a planned appointment with the client can be missed",
        );
    }
    check_minutes(&mut checks, input.minutes);
    checks.finish()?;
    if current.version != input.version {
        return Err(ServiceError::stale_version());
    }
    let mut row: diary_entry::ActiveModel = current.clone().into();
    row.attendance = Set(Some(input.attendance.as_db().into()));
    if input.minutes.is_some() {
        row.minutes = Set(input.minutes);
    }
    row.version = Set(current.version + 1);
    let result = diary_entry::Entity::update_many()
        .set(row)
        .filter(diary_entry::Column::Id.eq(current.id))
        .filter(diary_entry::Column::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    let saved = diary_entry::Entity::find_by_id(current.id)
        .one(&txn)
        .await?
        .ok_or_else(missing)?;
    txn.commit().await?;
    Ok(saved)
}

/// The entries with or about a client (whom the caller reaches: callers pass a reached client's
/// row), newest first.
pub async fn of_client(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<diary_entry::Model>, ApiError> {
    let ids: Vec<Uuid> = diary_entry_client::Entity::find()
        .filter(diary_entry_client::Column::ClientId.eq(client.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.entry_id)
        .collect();
    Ok(diary_entry::Entity::find()
        .filter(diary_entry::Column::Id.is_in(ids))
        .order_by_desc(diary_entry::Column::At)
        .all(db)
        .await?)
}

/// What `diary` answers: with `client`, the entries with or about that client (whom the caller
/// must reach), newest first; otherwise [`diary_of`] over the range (default: the last four
/// weeks to four weeks ahead).
pub async fn diary_for(
    db: &DatabaseConnection,
    viewer: &Viewer,
    specialist: Option<&str>,
    client: Option<&str>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<diary_entry::Model>, ApiError> {
    if let Some(id) = client {
        let found = match ids::decode_as(id, Kind::Client) {
            Some(uuid) => crate::clients::access::find_client(db, viewer, uuid).await?,
            None => None,
        };
        return match found {
            Some(c) => redact_notes(db, viewer, of_client(db, &c).await?).await,
            None => Ok(Vec::new()),
        };
    }
    let today = crate::clock::today();
    let from = from.unwrap_or(today - Duration::days(28));
    let to = to.unwrap_or(today + Duration::days(28));
    diary_of(db, viewer, specialist, from, to).await
}

/// The clients an entry names that `viewer` reaches now.
pub async fn reached_clients(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    entry: Uuid,
) -> Result<Vec<client::Model>, ApiError> {
    let named: Vec<Uuid> = clients_of(db, &[entry])
        .await?
        .remove(&entry)
        .unwrap_or_default();
    Ok(crate::clients::access::ClientScope::of(viewer)
        .apply(client::Entity::find())
        .filter(client::Column::Id.is_in(named))
        .order_by_asc(client::Column::NameKey)
        .all(db)
        .await?)
}

/// A specialist's diary from `from` to `to` (both days), oldest first: the caller's own, or (team
/// leads) one of their team's.
pub async fn diary_of(
    db: &DatabaseConnection,
    viewer: &Viewer,
    specialist: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<diary_entry::Model>, ApiError> {
    if !matches!(viewer.role, Role::Specialist | Role::TeamLead) {
        return Err(ApiError::Forbidden);
    }
    if from > to || (to - from).num_days() > 366 {
        return Err(ApiError::BadUserInput(
            "`from` must not be after `to`, and the range at most a year".into(),
        ));
    }
    let whose = match specialist {
        None => viewer.id(),
        Some(id) => {
            let member = match ids::decode_as(id, Kind::Staff) {
                Some(uuid) => staff::Entity::find_by_id(uuid).one(db).await?,
                None => None,
            };
            match member {
                Some(m) if m.id == viewer.id() => m.id,
                Some(m)
                    if viewer.role == Role::TeamLead
                        && m.team_id.is_some()
                        && m.team_id == viewer.staff.team_id =>
                {
                    m.id
                }
                _ => return Err(ApiError::Forbidden),
            }
        }
    };
    let entries = entries_between(db, &[whose], start_of(from), end_of(to)).await?;
    redact_notes(db, viewer, entries).await
}

/// An entry naming any client the caller does not reach now keeps its time and place but not its
/// note, which may be about them. Every path that hands out entries passes through here.
async fn redact_notes(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    mut entries: Vec<diary_entry::Model>,
) -> Result<Vec<diary_entry::Model>, ApiError> {
    let ids: Vec<Uuid> = entries.iter().map(|e| e.id).collect();
    let named = clients_of(db, &ids).await?;
    let reached = crate::clients::access::ClientScope::of(viewer)
        .reached(db, named.values().flatten().copied())
        .await?;
    for e in &mut entries {
        if named
            .get(&e.id)
            .is_some_and(|clients| clients.iter().any(|c| !reached.contains(c)))
        {
            e.note = None;
        }
    }
    Ok(entries)
}

/// The entries of these specialists' diaries between two moments, oldest first.
pub async fn entries_between(
    db: &impl ConnectionTrait,
    specialists: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<diary_entry::Model>, ApiError> {
    Ok(diary_entry::Entity::find()
        .filter(diary_entry::Column::SpecialistId.is_in(specialists.iter().copied()))
        .filter(diary_entry::Column::At.between(from, to))
        .order_by_asc(diary_entry::Column::At)
        .all(db)
        .await?)
}

/// The entries naming any of `clients`, with the clients each names.
pub async fn entries_of_clients(
    db: &impl ConnectionTrait,
    clients: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<(diary_entry::Model, Vec<Uuid>)>, ApiError> {
    let links = diary_entry_client::Entity::find()
        .filter(diary_entry_client::Column::ClientId.is_in(clients))
        .all(db)
        .await?;
    let mut by_entry: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for l in links {
        by_entry.entry(l.entry_id).or_default().push(l.client_id);
    }
    let mut out = Vec::new();
    let ids: Vec<Uuid> = by_entry.keys().copied().collect();
    for chunk in ids.chunks(500) {
        for entry in diary_entry::Entity::find()
            .filter(diary_entry::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            let clients = by_entry.remove(&entry.id).unwrap_or_default();
            out.push((entry, clients));
        }
    }
    out.sort_by_key(|(e, _)| e.at);
    Ok(out)
}

/// The clients each of `entries` names.
pub async fn clients_of(
    db: &impl ConnectionTrait,
    entries: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, ApiError> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in entries.chunks(500) {
        for l in diary_entry_client::Entity::find()
            .filter(diary_entry_client::Column::EntryId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.entry(l.entry_id).or_default().push(l.client_id);
        }
    }
    Ok(out)
}
