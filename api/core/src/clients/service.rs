//! Client rules: registration into a caseload, changes with optimistic concurrency, status episodes,
//! reassignment within a team, and versioned special-category facts, profiles and preferences.
//! Every function takes the viewer and reaches clients only through [`access`](super::access).

use crate::patch::Patch;
use chrono::NaiveTime;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use entities::{
    caseload_assignment, client, client_sensitive, client_status_episode, job_preference, staff,
    vocational_profile,
};

use super::access::{ClientScope, find_client};
use super::inputs::*;
use super::model::*;
use crate::access::{Role, Viewer};
use crate::audit::{self, AuditAction, AuditEntry};
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode};
use crate::ids::{self, Kind};
use crate::pagination::{KeyKind, Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::vacancies::service::join;
use crate::validate::{Checks, LONG_TEXT, SHORT_TEXT, like_pattern, name_key};

/// A client's reference in exports (IPS Grow): stable, derived from the id but not the id, so an
/// export never carries the database's keys. Staff find the client by it (`Client.reference`).
pub fn reference(client_id: Uuid) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("ipsmatch client reference:{client_id}").as_bytes());
    let hex: String = digest[..5].iter().map(|b| format!("{b:02X}")).collect();
    format!("C-{hex}")
}

fn not_found(field: &str) -> ServiceError {
    ServiceError::user(field, UserErrorCode::NotFound, "no such client")
}

fn forbidden_unless_client_work(viewer: &Viewer) -> Result<(), ServiceError> {
    if matches!(viewer.role, Role::Admin | Role::Keyworker) {
        // Admins manage staff, keyworkers refer; client records belong to specialists and team
        // leads.
        return Err(ServiceError::Api(ApiError::Forbidden));
    }
    Ok(())
}

/// The client `id` names, if the viewer may reach them; otherwise a `NOT_FOUND` on `field`.
pub async fn reachable(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    field: &str,
    id: &str,
) -> Result<client::Model, ServiceError> {
    let found = match ids::decode_as(id, Kind::Client) {
        Some(uuid) => find_client(db, viewer, uuid).await?,
        None => None,
    };
    found.ok_or_else(|| not_found(field))
}

/// An active specialist of `team` named by `id`, or a user error on `field`.
/// Inside a write transaction that puts a client on `specialist_id`'s caseload: the specialist,
/// re-read under a share lock, is still an active specialist of `team_id` — so a team move or a
/// deactivation running at the same moment either waits for this write (and then sees the new
/// client) or lands first (and this write is refused).
async fn still_holds_caseloads(
    conn: &impl ConnectionTrait,
    specialist_id: Uuid,
    team_id: Uuid,
) -> Result<(), ServiceError> {
    let now = crate::db::locked(
        staff::Entity::find_by_id(specialist_id),
        conn.get_database_backend(),
        false,
    )
    .one(conn)
    .await?;
    match now {
        Some(s) if s.active && s.role == Role::Specialist.as_db() && s.team_id == Some(team_id) => {
            Ok(())
        }
        _ => Err(ServiceError::user(
            "specialistId",
            UserErrorCode::Invalid,
            "this specialist's team or standing has just changed: they cannot take on the client",
        )),
    }
}

async fn specialist_of_team(
    db: &impl ConnectionTrait,
    checks: &mut Checks,
    field: &str,
    id: &str,
    team: Option<Uuid>,
) -> Result<Option<staff::Model>, ApiError> {
    let found = match ids::decode_as(id, Kind::Staff) {
        Some(uuid) => staff::Entity::find_by_id(uuid).one(db).await?,
        None => None,
    };
    match found {
        Some(s)
            if s.active
                && s.role == Role::Specialist.as_db()
                && s.team_id == team
                && team.is_some() =>
        {
            Ok(Some(s))
        }
        Some(s) if s.team_id == team && team.is_some() => {
            checks.fail(
                field,
                UserErrorCode::Invalid,
                "only an active specialist can hold a caseload",
            );
            Ok(None)
        }
        _ => {
            checks.fail(
                field,
                UserErrorCode::NotFound,
                "no such specialist in your team",
            );
            Ok(None)
        }
    }
}

/// Registers a client on a specialist's caseload. Nothing about readiness, substance use or
/// history is asked: zero exclusion.
pub async fn register_client(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ClientRegisterInput,
) -> Result<client::Model, ServiceError> {
    forbidden_unless_client_work(viewer)?;
    let txn = crate::db::begin_write(db).await?;
    let created = register_within(&txn, viewer, input).await?;
    txn.commit().await?;
    Ok(created)
}

/// [`register_client`] inside the caller's write transaction (a referral's registration links
/// the referral in the same commit).
pub(crate) async fn register_within(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    input: ClientRegisterInput,
) -> Result<client::Model, ServiceError> {
    forbidden_unless_client_work(viewer)?;
    let mut checks = Checks::new();
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let phone = checks.optional_text("phone", input.phone.as_deref(), SHORT_TEXT);
    let email = checks.optional_email("email", input.email.as_deref());
    let town = checks.optional_text("town", input.town.as_deref(), SHORT_TEXT);
    let postcode = checks.optional_text("postcode", input.postcode.as_deref(), SHORT_TEXT);
    let keyworker_name =
        checks.optional_text("keyworkerName", input.keyworker_name.as_deref(), SHORT_TEXT);
    let keyworker_contact = checks.optional_text(
        "keyworkerContact",
        input.keyworker_contact.as_deref(),
        SHORT_TEXT,
    );
    let today = crate::clock::today();
    if input.referral_date.0 > today {
        checks.fail(
            "referralDate",
            UserErrorCode::Invalid,
            "the referral date cannot be in the future",
        );
    }
    let team = viewer.staff.team_id;
    let specialist = match (viewer.role, &input.specialist_id) {
        (Role::Specialist, None) => Some(viewer.staff.clone()),
        (Role::Specialist, Some(id)) if ids::decode_as(id, Kind::Staff) == Some(viewer.id()) => {
            Some(viewer.staff.clone())
        }
        (Role::Specialist, Some(_)) => {
            checks.fail(
                "specialistId",
                UserErrorCode::Invalid,
                "a specialist registers clients onto their own caseload",
            );
            None
        }
        (_, Some(id)) => specialist_of_team(db, &mut checks, "specialistId", id, team).await?,
        (_, None) => {
            checks.fail(
                "specialistId",
                UserErrorCode::Required,
                "name the specialist who will support the client",
            );
            None
        }
    };
    let Some(team_id) = team else {
        checks.fail(
            "specialistId",
            UserErrorCode::Invalid,
            "you belong to no team, so clients cannot be registered",
        );
        checks.finish()?;
        return Err(not_found("specialistId"));
    };
    checks.finish()?;
    let Some(specialist) = specialist else {
        return Err(not_found("specialistId"));
    };

    let at = now();
    let txn = db;
    still_holds_caseloads(txn, specialist.id, team_id).await?;
    let created = client::ActiveModel {
        id: Set(Uuid::now_v7()),
        team_id: Set(team_id),
        name_key: Set(name_key(&name)),
        name: Set(name),
        phone: Set(phone),
        email: Set(email),
        town: Set(town),
        postcode: Set(postcode),
        referral_date: Set(input.referral_date.0),
        referral_source: Set(input.referral_source.as_db().into()),
        employment_at_referral: Set(input.employment_at_referral.map(|e| e.as_db().into())),
        keyworker_name: Set(keyworker_name),
        keyworker_contact: Set(keyworker_contact),
        status: Set(ClientStatus::Active.as_db().into()),
        created_by_id: Set(viewer.id()),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(txn)
    .await?;
    client_status_episode::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(created.id),
        status: Set(ClientStatus::Active.as_db().into()),
        started_on: Set(input.referral_date.0),
        ended_on: Set(None),
        reason: Set(Some("referred".into())),
        reason_code: Set(None),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(at),
    }
    .insert(txn)
    .await?;
    caseload_assignment::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(created.id),
        specialist_id: Set(specialist.id),
        assigned_from: Set(at),
        assigned_to: Set(None),
        reason: Set(Some("registered".into())),
        assigned_by_id: Set(viewer.id()),
    }
    .insert(txn)
    .await?;
    Ok(created)
}

/// Bumps `version` when it still equals `expected`; false when someone changed the row first.
async fn claim_version(
    conn: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
) -> Result<bool, ApiError> {
    let result = client::Entity::update_many()
        .col_expr(
            client::Column::Version,
            sea_orm::sea_query::Expr::val(expected + 1),
        )
        .col_expr(
            client::Column::UpdatedAt,
            sea_orm::sea_query::Expr::val(now()),
        )
        .filter(client::Column::Id.eq(id))
        .filter(client::Column::Version.eq(expected))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Changes a client's details.
pub async fn update_client(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ClientUpdateInput,
) -> Result<client::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable(&txn, viewer, "id", &input.id).await?;
    let mut checks = Checks::new();
    let name = match &input.name {
        Patch::Set(v) => checks.required_text("name", v, SHORT_TEXT),
        Patch::Clear => {
            checks.fail("name", UserErrorCode::Required, "a client needs a name");
            current.name.clone()
        }
        Patch::Keep => current.name.clone(),
    };
    let phone = checks.change_text("phone", &input.phone, SHORT_TEXT, &current.phone);
    let email = checks.change_email("email", &input.email, &current.email);
    let town = checks.change_text("town", &input.town, SHORT_TEXT, &current.town);
    let postcode = checks.change_text("postcode", &input.postcode, SHORT_TEXT, &current.postcode);
    let keyworker_name = checks.change_text(
        "keyworkerName",
        &input.keyworker_name,
        SHORT_TEXT,
        &current.keyworker_name,
    );
    let keyworker_contact = checks.change_text(
        "keyworkerContact",
        &input.keyworker_contact,
        SHORT_TEXT,
        &current.keyworker_contact,
    );
    checks.finish()?;
    if !claim_version(&txn, current.id, input.version).await? {
        return Err(ServiceError::stale_version());
    }
    let mut row: client::ActiveModel = current.into();
    row.name_key = Set(name_key(&name));
    row.name = Set(name);
    row.phone = Set(phone);
    row.email = Set(email);
    row.town = Set(town);
    row.postcode = Set(postcode);
    row.keyworker_name = Set(keyworker_name);
    row.keyworker_contact = Set(keyworker_contact);
    match input.employment_at_referral {
        Patch::Set(e) => row.employment_at_referral = Set(Some(e.as_db().into())),
        Patch::Clear => row.employment_at_referral = Set(None),
        Patch::Keep => {}
    }
    row.version = NotSet;
    row.updated_at = NotSet;
    let updated = row.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Ends the current status episode and opens a new one.
pub async fn change_status(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ClientStatusChangeInput,
) -> Result<client::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable(&txn, viewer, "id", &input.id).await?;
    let mut checks = Checks::new();
    let reason = checks.optional_text("reason", input.reason.as_deref(), LONG_TEXT);
    if input.discharge_reason.is_some() && input.status != ClientStatus::Discharged {
        checks.fail(
            "dischargeReason",
            UserErrorCode::Invalid,
            "a discharge reason goes with status DISCHARGED",
        );
    }
    let on = input.on.map_or_else(crate::clock::today, |d| d.0);
    let open = client_status_episode::Entity::find()
        .filter(client_status_episode::Column::ClientId.eq(current.id))
        .filter(client_status_episode::Column::EndedOn.is_null())
        .one(&txn)
        .await?;
    if let Some(open) = &open
        && on < open.started_on
    {
        checks.fail(
            "on",
            UserErrorCode::Invalid,
            "the new status cannot start before the current one began",
        );
    }
    if on > crate::clock::today() {
        checks.fail(
            "on",
            UserErrorCode::Invalid,
            "a status cannot start in the future",
        );
    }
    checks.finish()?;
    if !claim_version(&txn, current.id, input.version).await? {
        return Err(ServiceError::stale_version());
    }
    if let Some(open) = open {
        let mut open: client_status_episode::ActiveModel = open.into();
        open.ended_on = Set(Some(on));
        open.update(&txn).await?;
    }
    client_status_episode::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(current.id),
        status: Set(input.status.as_db().into()),
        started_on: Set(on),
        ended_on: Set(None),
        reason: Set(reason),
        reason_code: Set(input.discharge_reason.map(|r| r.as_db().to_string())),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    let mut row: client::ActiveModel = current.into();
    row.status = Set(input.status.as_db().into());
    row.version = NotSet;
    row.updated_at = NotSet;
    let updated = row.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Moves a client to another specialist of their team; only team leads do this.
pub async fn assign_client(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ClientAssignInput,
) -> Result<client::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable(&txn, viewer, "id", &input.id).await?;
    if viewer.role != Role::TeamLead {
        // Only a team lead reassigns clients.
        return Err(ServiceError::Api(ApiError::Forbidden));
    }
    let mut checks = Checks::new();
    let reason = checks.optional_text("reason", input.reason.as_deref(), LONG_TEXT);
    let specialist = specialist_of_team(
        &txn,
        &mut checks,
        "specialistId",
        &input.specialist_id,
        Some(current.team_id),
    )
    .await?;
    checks.finish()?;
    let Some(specialist) = specialist else {
        return Err(not_found("specialistId"));
    };
    still_holds_caseloads(&txn, specialist.id, current.team_id).await?;
    move_assignment(&txn, current.id, specialist.id, viewer.id(), reason).await?;
    txn.commit().await?;
    Ok(current)
}

/// Ends the client's open assignment and opens one to `specialist` (nothing when it is theirs
/// already): every reassignment is recorded this way, with who made it and why.
async fn move_assignment(
    conn: &impl ConnectionTrait,
    client_id: Uuid,
    specialist_id: Uuid,
    actor_id: Uuid,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let at = now();
    let open = caseload_assignment::Entity::find()
        .filter(caseload_assignment::Column::ClientId.eq(client_id))
        .filter(caseload_assignment::Column::AssignedTo.is_null())
        .one(conn)
        .await?;
    if let Some(open) = open {
        if open.specialist_id == specialist_id {
            return Ok(());
        }
        let mut open: caseload_assignment::ActiveModel = open.into();
        open.assigned_to = Set(Some(at));
        open.update(conn).await?;
    }
    caseload_assignment::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client_id),
        specialist_id: Set(specialist_id),
        assigned_from: Set(at),
        assigned_to: Set(None),
        reason: Set(reason),
        assigned_by_id: Set(actor_id),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The clients on `specialist_id`'s open caseload.
pub async fn open_caseload(
    conn: &impl ConnectionTrait,
    specialist_id: Uuid,
) -> Result<Vec<caseload_assignment::Model>, ApiError> {
    Ok(caseload_assignment::Entity::find()
        .filter(caseload_assignment::Column::SpecialistId.eq(specialist_id))
        .filter(caseload_assignment::Column::AssignedTo.is_null())
        .all(conn)
        .await?)
}

/// Hands `from`'s whole open caseload to `to`, each as a recorded reassignment by `actor_id`.
/// `to` must be an active specialist of each client's team (a caseload stays within its team).
pub async fn hand_over_caseload(
    conn: &impl ConnectionTrait,
    from: Uuid,
    to: &entities::staff::Model,
    actor_id: Uuid,
    reason: &str,
    field: &str,
) -> Result<usize, ServiceError> {
    let open = open_caseload(conn, from).await?;
    let clients = client::Entity::find()
        .filter(client::Column::Id.is_in(open.iter().map(|a| a.client_id)))
        .all(conn)
        .await?;
    if clients.iter().any(|c| to.team_id != Some(c.team_id)) {
        return Err(ServiceError::user(
            field,
            UserErrorCode::Invalid,
            "hand the caseload to a specialist of the clients' own team",
        ));
    }
    for c in &clients {
        move_assignment(conn, c.id, to.id, actor_id, Some(reason.to_string())).await?;
    }
    Ok(clients.len())
}

/// Reads the newest special-category facts after writing the audit event (committed first).
pub async fn read_sensitive(
    db: &DatabaseConnection,
    viewer: &Viewer,
    client_id: Uuid,
    purpose: SensitivePurpose,
) -> Result<Option<client_sensitive::Model>, ApiError> {
    if find_client(db, viewer, client_id).await?.is_none() {
        // A refusal is audited too: someone asked for facts about a client they do not reach.
        audit::record_now(
            db,
            AuditEntry {
                actor_id: viewer.id(),
                action: AuditAction::SensitiveReadRefused,
                client_id: Some(client_id),
                purpose: Some(purpose.as_db()),
                detail: "out of reach: nothing read",
            },
        )
        .await?;
        return Ok(None);
    }
    audit::record_now(
        db,
        AuditEntry {
            actor_id: viewer.id(),
            action: AuditAction::SensitiveRead,
            client_id: Some(client_id),
            purpose: Some(purpose.as_db()),
            detail: "primarySubstanceGroup,treatmentStatus,criminalRecordStatus,benefitsStatus",
        },
    )
    .await?;
    Ok(client_sensitive::Entity::find()
        .filter(client_sensitive::Column::ClientId.eq(client_id))
        .order_by_desc(client_sensitive::Column::Version)
        .one(db)
        .await?)
}

/// Records a new version of a client's special-category facts (audited as a write).
pub async fn record_sensitive(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ClientSensitiveRecordInput,
) -> Result<client::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let version = next_version(
        client_sensitive::Entity::find()
            .filter(client_sensitive::Column::ClientId.eq(current.id))
            .order_by_desc(client_sensitive::Column::Version)
            .one(&txn)
            .await?
            .map(|r| r.version),
    );
    client_sensitive::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(current.id),
        version: Set(version),
        primary_substance_group: Set(input.primary_substance_group.map(|v| v.as_db().into())),
        treatment_status: Set(input.treatment_status.map(|v| v.as_db().into())),
        criminal_record_status: Set(input.criminal_record_status.map(|v| v.as_db().into())),
        benefits_status: Set(input.benefits_status.map(|v| v.as_db().into())),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        AuditEntry {
            actor_id: viewer.id(),
            action: AuditAction::SensitiveWrite,
            client_id: Some(current.id),
            purpose: None,
            detail: "primarySubstanceGroup,treatmentStatus,criminalRecordStatus,benefitsStatus",
        },
    )
    .await?;
    txn.commit().await?;
    Ok(current)
}

fn next_version(latest: Option<i32>) -> i32 {
    latest.map_or(1, |v| v + 1)
}

/// The newest vocational profile.
pub async fn current_profile(
    db: &impl ConnectionTrait,
    client_id: Uuid,
) -> Result<Option<vocational_profile::Model>, ApiError> {
    Ok(vocational_profile::Entity::find()
        .filter(vocational_profile::Column::ClientId.eq(client_id))
        .order_by_desc(vocational_profile::Column::Version)
        .one(db)
        .await?)
}

/// The newest job preferences.
pub async fn current_preferences(
    db: &impl ConnectionTrait,
    client_id: Uuid,
) -> Result<Option<job_preference::Model>, ApiError> {
    Ok(job_preference::Entity::find()
        .filter(job_preference::Column::ClientId.eq(client_id))
        .order_by_desc(job_preference::Column::Version)
        .one(db)
        .await?)
}

fn checked_lines(checks: &mut Checks, field: &str, items: &[String]) -> String {
    let mut out = Vec::new();
    for item in items {
        if let Some(text) = checks.optional_text(field, Some(item), SHORT_TEXT) {
            out.push(text.replace('\n', " "));
        }
    }
    out.join("\n")
}

/// Records a new version of a client's vocational profile.
pub async fn record_profile(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: VocationalProfileRecordInput,
) -> Result<vocational_profile::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let work_goal = checks
        .optional_text("workGoal", Some(&input.work_goal), LONG_TEXT)
        .unwrap_or_default();
    let work_history = checks
        .optional_text("workHistory", Some(&input.work_history), LONG_TEXT)
        .unwrap_or_default();
    let barriers = checks
        .optional_text("barriers", Some(&input.barriers), LONG_TEXT)
        .unwrap_or_default();
    let skills = checked_lines(&mut checks, "skills", &input.skills);
    let qualifications = checked_lines(&mut checks, "qualifications", &input.qualifications);
    checks.finish()?;
    let version = next_version(current_profile(&txn, current.id).await?.map(|p| p.version));
    let saved = vocational_profile::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(current.id),
        version: Set(version),
        work_goal: Set(work_goal),
        work_history: Set(work_history),
        skills: Set(skills),
        qualifications: Set(qualifications),
        licences: Set(join(&input.licences, Licence::as_db)),
        barriers: Set(barriers),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

/// Records a new version of a client's job preferences.
pub async fn record_preferences(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: JobPreferencesRecordInput,
) -> Result<job_preference::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let soc_code =
        |code: &String| (1..=4).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit());
    if !input.occupations.iter().all(soc_code) {
        // Never repeats what was typed: client text stays out of errors.
        checks.fail(
            "occupations",
            UserErrorCode::Invalid,
            "each occupation is a SOC 2010 code of 1 to 4 digits",
        );
    }
    let titles = checked_lines(&mut checks, "occupationTitles", &input.occupation_titles);
    let keywords = checked_lines(&mut checks, "keywords", &input.keywords);
    // Matching searches with these words: the same bounds as a search text.
    for (field, text) in [("occupationTitles", &titles), ("keywords", &keywords)] {
        if text.len() > crate::limits::MAX_TEXT_BYTES
            || text.split_whitespace().count() > crate::limits::MAX_TEXT_WORDS
        {
            checks.fail(
                field,
                UserErrorCode::TooLong,
                format!(
                    "at most {} words and {} bytes in all",
                    crate::limits::MAX_TEXT_WORDS,
                    crate::limits::MAX_TEXT_BYTES
                ),
            );
        }
    }
    for (field, value) in [
        ("hoursPerWeekMin", input.hours_per_week_min),
        ("hoursPerWeekMax", input.hours_per_week_max),
    ] {
        if value.is_some_and(|h| !(0.0..=80.0).contains(&h)) {
            checks.fail(
                field,
                UserErrorCode::Invalid,
                "hours a week must be between 0 and 80",
            );
        }
    }
    if let (Some(min), Some(max)) = (input.hours_per_week_min, input.hours_per_week_max)
        && min > max
    {
        checks.fail(
            "hoursPerWeekMax",
            UserErrorCode::Invalid,
            "the most hours cannot be fewer than the fewest",
        );
    }
    if input
        .min_hourly_pay
        .is_some_and(|p| !(0.0..=500.0).contains(&p))
    {
        checks.fail(
            "minHourlyPay",
            UserErrorCode::Invalid,
            "pay an hour must be between 0 and 500",
        );
    }
    checks.coordinates("home", input.home_latitude, input.home_longitude);
    if let Some(km) = input.max_travel_km {
        if !(0.0..=500.0).contains(&km) {
            checks.fail(
                "maxTravelKm",
                UserErrorCode::Invalid,
                "travel distance must be between 0 and 500 km",
            );
        } else if input.home_latitude.is_none() {
            checks.fail(
                "maxTravelKm",
                UserErrorCode::Invalid,
                "a travel distance needs a home location",
            );
        }
    }
    for window in &input.free_windows {
        match (parse_time(&window.from), parse_time(&window.to)) {
            (Some(from), Some(to)) if from < to => {}
            _ => checks.fail(
                "freeWindows",
                UserErrorCode::Invalid,
                "each free window needs `from` before `to`, as HH:MM",
            ),
        }
        if window.days.is_empty() {
            checks.fail(
                "freeWindows",
                UserErrorCode::Required,
                "each free window needs at least one day",
            );
        }
    }
    let home_town = checks.optional_text("homeTown", input.home_town.as_deref(), SHORT_TEXT);
    let overlap = input
        .avoid_environments
        .iter()
        .find(|e| input.prefer_environments.contains(e));
    if let Some(both) = overlap {
        checks.fail(
            "preferEnvironments",
            UserErrorCode::Invalid,
            format!("{} cannot be both avoided and preferred", both.as_db()),
        );
    }
    checks.finish()?;
    let version = next_version(
        current_preferences(&txn, current.id)
            .await?
            .map(|p| p.version),
    );
    let saved = job_preference::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(current.id),
        version: Set(version),
        occupations: Set(input.occupations.join(",")),
        occupation_titles: Set(titles),
        keywords: Set(keywords),
        sectors: Set(join(&input.sectors, crate::employers::model::Sector::as_db)),
        hours_min: Set(input.hours_per_week_min),
        hours_max: Set(input.hours_per_week_max),
        shifts: Set(join(
            &input.shifts,
            crate::vacancies::model::ShiftPattern::as_db,
        )),
        free_windows: Set(serde_json::to_string(&input.free_windows).map_err(ApiError::internal)?),
        contract_types: Set(join(
            &input.contract_types,
            crate::vacancies::model::ContractType::as_db,
        )),
        min_hourly_pay: Set(input.min_hourly_pay),
        home_town: Set(home_town),
        home_latitude: Set(input.home_latitude),
        home_longitude: Set(input.home_longitude),
        max_travel_km: Set(input.max_travel_km),
        remote_ok: Set(input.remote_ok),
        avoid_environments: Set(join(
            &input.avoid_environments,
            crate::vacancies::model::WorkEnvironment::as_db,
        )),
        prefer_environments: Set(join(
            &input.prefer_environments,
            crate::vacancies::model::WorkEnvironment::as_db,
        )),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The viewer's reachable clients, by name.
pub async fn list_clients(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &ClientFilter,
    sort: ClientOrder,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<client::Model>, ApiError> {
    let mut select = ClientScope::of(viewer).apply(client::Entity::find());
    if let Some(text) = &filter.text {
        crate::limits::check_name_text("filter.text", text)?;
        for word in name_key(text).split(' ').filter(|w| !w.is_empty()) {
            select = select.filter(client::Column::NameKey.like(like_pattern(word)));
        }
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(client::Column::Status.is_in(statuses.iter().map(|s| s.as_db())));
    }
    if let Some(specialist) = &filter.specialist_id {
        let specialist = ids::decode_as(specialist, Kind::Staff).unwrap_or_else(Uuid::nil);
        select = select.filter(ClientScope::Caseload(specialist).condition());
    }
    let order = sort.direction.order();
    let keyset = match sort.field {
        ClientOrderField::Name => Keyset {
            sort: client::Column::NameKey,
            id: client::Column::Id,
            order,
            kind: KeyKind::Text,
            key_of: |r: &client::Model| (SortValue::Text(r.name_key.clone()), r.id),
        },
        ClientOrderField::ReferralDate => Keyset {
            sort: client::Column::ReferralDate,
            id: client::Column::Id,
            order,
            kind: KeyKind::Date,
            key_of: |r: &client::Model| (SortValue::Date(r.referral_date), r.id),
        },
        ClientOrderField::Status => Keyset {
            sort: client::Column::Status,
            id: client::Column::Id,
            order,
            kind: KeyKind::Text,
            key_of: |r: &client::Model| (SortValue::Text(r.status.clone()), r.id),
        },
        ClientOrderField::UpdatedAt => Keyset {
            sort: client::Column::UpdatedAt,
            id: client::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &client::Model| (SortValue::Time(r.updated_at), r.id),
        },
    };
    fetch_page(db, select, &keyset, args, want_total).await
}
