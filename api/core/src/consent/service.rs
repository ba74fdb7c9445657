//! Consent rules. A consent names one employer, lists exactly what may be told, says who may tell
//! it, and expires. Every act that tells an employer about a client passes the gate
//! ([`super::gate::disclose`]) in the same transaction as its write and is appended to the
//! hash-chained disclosure log by [`log`]; a
//! revocation takes the same per-client-and-employer lock, so it either lands first (the act is
//! refused) or after (the act is logged under the version it relied on) — never an unlogged
//! disclosure.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, NotSet, QueryFilter, QueryOrder, Set, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use entities::{
    client, disclosure_consent, disclosure_discussion, disclosure_event, employer_contact,
};

use super::inputs::*;
use super::model::*;
use crate::access::Viewer;
use crate::audit::{self, AuditAction, AuditEntry};
use crate::clients::service::reachable;
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode};
use crate::ids::{self, Kind};
use crate::validate::{Checks, LONG_TEXT};

/// Longest a consent may run.
const MAX_TERM_DAYS: i64 = 730;

pub(super) fn join_items(items: &[DisclosureItem]) -> String {
    join_stored(items.iter().map(|i| i.as_db()))
}

/// Stored names as one comma-separated, sorted, de-duplicated text (how a consent keeps its
/// items).
pub(super) fn join_stored<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.into_iter().collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

/// A consent's term: it expires after it takes effect, and at most two years on.
pub(super) fn check_term(
    checks: &mut Checks,
    effective_from: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) {
    if expires_at <= effective_from {
        checks.fail(
            "expiresAt",
            UserErrorCode::Invalid,
            "a consent must expire after it takes effect",
        );
    } else if expires_at - effective_from > Duration::days(MAX_TERM_DAYS) {
        checks.fail(
            "expiresAt",
            UserErrorCode::Invalid,
            format!("a consent runs at most {MAX_TERM_DAYS} days; ask again then"),
        );
    }
}

fn check_terms(
    checks: &mut Checks,
    level: DisclosureLevel,
    items: &[DisclosureItem],
    wording: &str,
    effective_from: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> String {
    if level == DisclosureLevel::None && !items.is_empty() {
        checks.fail(
            "items",
            UserErrorCode::Invalid,
            "a consent at level NONE lists no items",
        );
    }
    if level != DisclosureLevel::None && !items.contains(&DisclosureItem::ServiceAffiliation) {
        checks.fail("items", UserErrorCode::Invalid, "any disclosure includes SERVICE_AFFILIATION: contacting an employer about a client reveals it");
    }
    for item in items {
        if !level.allows(*item) {
            checks.fail(
                "items",
                UserErrorCode::Invalid,
                format!("{} is beyond level {}", item.as_db(), level.as_db()),
            );
        }
    }
    check_term(checks, effective_from, expires_at);
    checks.required_text("wording", wording, LONG_TEXT)
}

/// Serialises consent changes and gated acts for one client and employer (PostgreSQL: an advisory
/// lock; SQLite: taking the write lock with a no-op write, so the reads that follow are current).
pub async fn lock_pair(
    conn: &impl ConnectionTrait,
    client_id: Uuid,
    employer_id: Uuid,
) -> Result<(), ApiError> {
    match conn.get_database_backend() {
        DatabaseBackend::Postgres => {
            let key = i64::from_le_bytes(
                Sha256::digest(format!("{client_id}:{employer_id}").as_bytes())[..8]
                    .try_into()
                    .unwrap_or([0; 8]),
            );
            conn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [key.into()],
            ))
            .await?;
        }
        _ => {
            client::Entity::update_many()
                .col_expr(
                    client::Column::Version,
                    sea_orm::sea_query::Expr::col(client::Column::Version),
                )
                .filter(client::Column::Id.eq(client_id))
                .exec(conn)
                .await?;
        }
    }
    Ok(())
}

pub(super) async fn employer_id(
    conn: &impl ConnectionTrait,
    checks: &mut Checks,
    field: &str,
    id: &str,
) -> Result<Option<Uuid>, ApiError> {
    let found = match ids::decode_as(id, Kind::Employer) {
        Some(uuid) => crate::employers::service::find_employer(conn, uuid).await?,
        None => None,
    };
    if found.is_none() {
        checks.fail(field, UserErrorCode::NotFound, "no such employer");
    }
    Ok(found.map(|e| e.id))
}

pub(super) async fn contact_of(
    conn: &impl ConnectionTrait,
    checks: &mut Checks,
    field: &str,
    id: Option<&str>,
    employer: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    let Some(id) = id else {
        return Ok(None);
    };
    let found = match ids::decode_as(id, Kind::EmployerContact) {
        Some(uuid) => employer_contact::Entity::find_by_id(uuid).one(conn).await?,
        None => None,
    };
    match found {
        Some(c) if Some(c.employer_id) == employer => Ok(Some(c.id)),
        _ => {
            checks.fail(
                field,
                UserErrorCode::NotFound,
                "no such contact at this employer",
            );
            Ok(None)
        }
    }
}

/// Grants a consent (version 1).
pub async fn grant(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ConsentGrantInput,
) -> Result<disclosure_consent::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let employer = employer_id(&txn, &mut checks, "employerId", &input.employer_id).await?;
    let contact = contact_of(
        &txn,
        &mut checks,
        "contactId",
        input.contact_id.as_deref(),
        employer,
    )
    .await?;
    let at = now();
    let effective_from = input
        .effective_from
        .map_or(at, crate::db::truncate_to_micros);
    let wording = check_terms(
        &mut checks,
        input.level,
        &input.items,
        &input.wording,
        effective_from,
        input.expires_at,
    );
    checks.finish()?;
    let Some(employer) = employer else {
        return Err(ServiceError::user(
            "employerId",
            UserErrorCode::NotFound,
            "no such employer",
        ));
    };
    lock_pair(&txn, client.id, employer).await?;
    let employer_name = employer_name_now(&txn, employer).await?;
    let saved = disclosure_consent::ActiveModel {
        id: Set(Uuid::now_v7()),
        consent_id: Set(Uuid::now_v7()),
        version: Set(1),
        client_id: Set(client.id),
        employer_id: Set(employer),
        contact_id: Set(contact),
        purpose: Set(input.purpose.as_db().into()),
        level: Set(input.level.as_db().into()),
        items: Set(join_items(&input.items)),
        who_discloses: Set(input.who_discloses.as_db().into()),
        wording: Set(wording),
        captured_how: Set(input.captured_how.as_db().into()),
        captured_by_id: Set(viewer.id()),
        captured_at: Set(at),
        effective_from: Set(effective_from),
        expires_at: Set(crate::db::truncate_to_micros(input.expires_at)),
        status: Set(ConsentStatus::Active.as_db().into()),
        note: Set(None),
        employer_name: Set(Some(employer_name)),
    }
    .insert(&txn)
    .await?;
    audit_consent(&txn, viewer, &saved, "granted").await?;
    txn.commit().await?;
    Ok(saved)
}

/// The employer's name now: what a new consent version records as agreed to.
async fn employer_name_now(
    conn: &impl ConnectionTrait,
    employer_id: Uuid,
) -> Result<String, ApiError> {
    crate::employers::service::find_employer(conn, employer_id)
        .await?
        .map(|e| e.name)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("employer {employer_id} vanished")))
}

/// Every write of consent is audited in the writing transaction (no wording, only terms).
async fn audit_consent(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    row: &disclosure_consent::Model,
    what: &str,
) -> Result<(), ApiError> {
    let detail = format!(
        "consent {} v{} {what}: employer {}, purpose {}, level {}, items {}, status {}",
        row.consent_id, row.version, row.employer_id, row.purpose, row.level, row.items, row.status
    );
    audit::record(
        conn,
        AuditEntry {
            actor_id: viewer.id(),
            action: AuditAction::ConsentWrite,
            client_id: Some(row.client_id),
            purpose: None,
            detail: &detail,
        },
    )
    .await
}

/// The newest version of a consent whose client the viewer reaches.
async fn current_version(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: &str,
) -> Result<disclosure_consent::Model, ServiceError> {
    let missing = || ServiceError::user("id", UserErrorCode::NotFound, "no such consent");
    let consent_id = match ids::decode(id) {
        Some((Kind::ConsentSeries, series)) => series,
        // A version's id names its series. Ids issued before versions had their own named the
        // series with this tag; they still work.
        Some((Kind::Consent, version)) => find_consent_row(conn, version)
            .await?
            .map_or(version, |row| row.consent_id),
        _ => return Err(missing()),
    };
    let Some(row) = disclosure_consent::Entity::find()
        .filter(disclosure_consent::Column::ConsentId.eq(consent_id))
        .order_by_desc(disclosure_consent::Column::Version)
        .one(conn)
        .await?
    else {
        return Err(missing());
    };
    if crate::clients::access::find_client(conn, viewer, row.client_id)
        .await?
        .is_none()
    {
        return Err(missing());
    }
    Ok(row)
}

/// Changes a consent's terms: a new version.
pub async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ConsentChangeInput,
) -> Result<disclosure_consent::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = current_version(&txn, viewer, &input.id).await?;
    lock_pair(&txn, current.client_id, current.employer_id).await?;
    let current = current_version(&txn, viewer, &input.id).await?;
    let mut checks = Checks::new();
    let at = now();
    let wording = check_terms(
        &mut checks,
        input.level,
        &input.items,
        &input.wording,
        current.effective_from.max(at),
        input.expires_at,
    );
    let note = checks.optional_text("note", input.note.as_deref(), LONG_TEXT);
    if current.status == ConsentStatus::Revoked.as_db() {
        checks.fail(
            "id",
            UserErrorCode::Invalid,
            "a revoked consent cannot change; grant a new one",
        );
    }
    // A renamed employer is confirmed by the client in so many words, never by any change.
    let name_now = employer_name_now(&txn, current.employer_id).await?;
    let renamed = current
        .employer_name
        .as_deref()
        .is_some_and(|agreed| agreed != name_now);
    let confirmed = input.confirm_employer_name.as_deref().map(str::trim) == Some(&name_now);
    if input.confirm_employer_name.is_some() && !confirmed {
        checks.fail(
            "confirmEmployerName",
            UserErrorCode::Invalid,
            "this is not the employer's name now",
        );
    } else if renamed && !confirmed {
        checks.fail(
            "confirmEmployerName",
            UserErrorCode::Required,
            format!(
                "the employer is now called \"{name_now}\": confirm the new name with the client"
            ),
        );
    }
    checks.finish()?;
    if current.version != input.version {
        return Err(ServiceError::stale_version());
    }
    let mut row = next_version(&current, viewer, at);
    row.level = Set(input.level.as_db().into());
    row.items = Set(join_items(&input.items));
    row.who_discloses = Set(input.who_discloses.as_db().into());
    row.wording = Set(wording);
    row.captured_how = Set(input.captured_how.as_db().into());
    row.expires_at = Set(crate::db::truncate_to_micros(input.expires_at));
    row.note = Set(note);
    // The client confirmed the terms for the employer as it is now called.
    row.employer_name = Set(Some(name_now));
    let saved = row.insert(&txn).await?;
    audit_consent(&txn, viewer, &saved, "changed").await?;
    txn.commit().await?;
    Ok(saved)
}

/// Revokes a consent at once: a new version with status REVOKED.
pub async fn revoke(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ConsentRevokeInput,
) -> Result<disclosure_consent::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = current_version(&txn, viewer, &input.id).await?;
    lock_pair(&txn, current.client_id, current.employer_id).await?;
    let current = current_version(&txn, viewer, &input.id).await?;
    let mut checks = Checks::new();
    let note = checks.optional_text("note", input.note.as_deref(), LONG_TEXT);
    if current.status == ConsentStatus::Revoked.as_db() {
        checks.fail(
            "id",
            UserErrorCode::Invalid,
            "this consent is already revoked",
        );
    }
    checks.finish()?;
    let mut row = next_version(&current, viewer, now());
    row.status = Set(ConsentStatus::Revoked.as_db().into());
    row.captured_how = Set(input.captured_how.as_db().into());
    row.note = Set(note);
    let saved = row.insert(&txn).await?;
    audit_consent(&txn, viewer, &saved, "revoked").await?;
    txn.commit().await?;
    Ok(saved)
}

fn next_version(
    current: &disclosure_consent::Model,
    viewer: &Viewer,
    at: DateTime<Utc>,
) -> disclosure_consent::ActiveModel {
    let mut row: disclosure_consent::ActiveModel = current.clone().into();
    row.id = Set(Uuid::now_v7());
    row.version = Set(current.version + 1);
    row.captured_by_id = Set(viewer.id());
    row.captured_at = Set(at);
    row.note = Set(None);
    row.reset_all()
}

/// The newest version of each of the client's consents (in force or not), newest first.
pub async fn client_consents(
    db: &impl ConnectionTrait,
    client: &entities::client::Model,
) -> Result<Vec<disclosure_consent::Model>, ApiError> {
    let rows = disclosure_consent::Entity::find()
        .filter(disclosure_consent::Column::ClientId.eq(client.id))
        .order_by_desc(disclosure_consent::Column::CapturedAt)
        .all(db)
        .await?;
    Ok(newest_versions(rows))
}

/// Every version of every consent, oldest first.
pub async fn client_consent_history(
    db: &impl ConnectionTrait,
    client: &entities::client::Model,
) -> Result<Vec<disclosure_consent::Model>, ApiError> {
    Ok(disclosure_consent::Entity::find()
        .filter(disclosure_consent::Column::ClientId.eq(client.id))
        .order_by_asc(disclosure_consent::Column::CapturedAt)
        .order_by_asc(disclosure_consent::Column::Version)
        .all(db)
        .await?)
}

/// One stored consent version by its row id.
pub async fn find_consent_row(
    db: &impl ConnectionTrait,
    row_id: Uuid,
) -> Result<Option<disclosure_consent::Model>, ApiError> {
    Ok(disclosure_consent::Entity::find_by_id(row_id)
        .one(db)
        .await?)
}

/// One version of a consent, by its own id, when the viewer reaches its client (`node(id:)`).
pub async fn find_version(
    db: &DatabaseConnection,
    viewer: &Viewer,
    row_id: Uuid,
) -> Result<Option<disclosure_consent::Model>, ApiError> {
    let Some(row) = find_consent_row(db, row_id).await? else {
        return Ok(None);
    };
    let reached = crate::clients::access::find_client(db, viewer, row.client_id)
        .await?
        .is_some();
    Ok(reached.then_some(row))
}

/// The newest version of each consent among `rows`, in the order each consent first appears.
pub fn newest_versions(rows: Vec<disclosure_consent::Model>) -> Vec<disclosure_consent::Model> {
    let mut newest: Vec<disclosure_consent::Model> = Vec::new();
    for row in rows {
        match newest.iter_mut().find(|n| n.consent_id == row.consent_id) {
            Some(kept) if kept.version < row.version => *kept = row,
            Some(_) => {}
            None => newest.push(row),
        }
    }
    newest
}

/// One gated act to append to the disclosure log.
pub struct Act<'a> {
    /// The consent version relied on.
    pub consent: &'a disclosure_consent::Model,
    /// What kind.
    pub act: DisclosureAct,
    /// The channel.
    pub channel: &'a str,
    /// The items told.
    pub items: &'a [DisclosureItem],
    /// The person told.
    pub contact_id: Option<Uuid>,
    /// The vacancy it was about.
    pub vacancy_id: Option<Uuid>,
    /// Who told.
    pub actor_id: Uuid,
}

/// Appends a disclosure to the hash-chained log, in the caller's transaction. The gate
/// ([`super::gate::disclose`]) is its one caller on any API path; the demo's history writer also
/// appends past disclosures here (history cannot pass a gate that checks consent in force now).
pub(super) async fn log(conn: &impl ConnectionTrait, act: Act<'_>) -> Result<(), ApiError> {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7247132)",
        ))
        .await?;
    }
    let prev = disclosure_event::Entity::find()
        .order_by_desc(disclosure_event::Column::Seq)
        .one(conn)
        .await?
        .map_or_else(|| audit::GENESIS.to_string(), |r| r.hash);
    let key = crate::log_chain::signing_key(conn).await?;
    let mut row = disclosure_event::Model {
        seq: 0,
        at: now(),
        client_id: act.consent.client_id,
        employer_id: act.consent.employer_id,
        contact_id: act.contact_id,
        vacancy_id: act.vacancy_id,
        act: act.act.as_db().into(),
        channel: act.channel.into(),
        items: join_items(act.items),
        consent_row_id: act.consent.id,
        consent_version: act.consent.version,
        actor_id: act.actor_id,
        prev_hash: prev.clone(),
        hash: String::new(),
        key_id: Some(key.id().to_string()),
    };
    let content = crate::log_chain::disclosure_parts(&row);
    let content: Vec<&str> = content.iter().map(String::as_str).collect();
    row.hash = crate::log_chain::link(Some(&key), &prev, &content);
    let mut active: disclosure_event::ActiveModel = row.into();
    active.seq = NotSet;
    active.insert(conn).await?;
    Ok(())
}

/// Records a conversation about disclosure.
pub async fn record_discussion(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: DisclosureDiscussionRecordInput,
) -> Result<disclosure_discussion::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let notes = checks
        .optional_text("notes", Some(&input.notes), LONG_TEXT)
        .unwrap_or_default();
    let when = checks.optional_text(
        "whenToDisclose",
        input.when_to_disclose.as_deref(),
        LONG_TEXT,
    );
    let on = input.discussed_on.map_or_else(crate::clock::today, |d| d.0);
    if on > crate::clock::today() {
        checks.fail(
            "discussedOn",
            UserErrorCode::Invalid,
            "this cannot be in the future",
        );
    }
    checks.finish()?;
    let saved = disclosure_discussion::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client.id),
        discussed_on: Set(on),
        preferred_level: Set(input.preferred_level.as_db().into()),
        who_speaks: Set(input.who_speaks.as_db().into()),
        when_to_disclose: Set(when),
        notes: Set(notes),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}
