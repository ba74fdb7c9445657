//! What a client agreed their keyworker may be told: a consent of its own, naming one keyworker,
//! listing what may be shared (their progress — looking, in work, discharged, with dates — and
//! optionally the names of their employers), captured with the client's words, always expiring.
//! [`shared_progress`] is the one way a keyworker sees anything of a client: it checks the newest
//! versions in force, appends the sharing to the audit log in its own commit before answering, and
//! otherwise answers nothing.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use entities::{client, client_status_episode, job_start, keyworker_consent, referral, staff};

use super::model::{CaptureMethod, ConsentStatus};
use super::service::{check_term, join_stored};
use crate::access::{Role, Viewer};
use crate::audit::{self, AuditAction, AuditEntry};
use crate::clients::model::ClientStatus;
use crate::clients::service::reachable;
use crate::dates::Date;
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode};
use crate::ids::{self, GlobalId, Kind};
use crate::stored_enum;
use crate::validate::{Checks, LONG_TEXT, SHORT_TEXT};

/// The purpose the audit log records for a sharing.
pub const PURPOSE: &str = "KEYWORKER_PROGRESS";

stored_enum! {
    /// What a client lets their keyworker be told.
    pub enum KeyworkerShareItem {
        /// Whether they are looking for work, in work or discharged, and since when (dates only).
        Progress = "PROGRESS",
        /// The names of the employers they work for (only with `PROGRESS`).
        EmployerNames = "EMPLOYER_NAMES",
    }
}

stored_enum! {
    /// A referred client's progress as their keyworker may see it.
    pub enum ProgressStatus {
        /// Looking for work with the specialist's support.
        Looking = "LOOKING",
        /// In paid work.
        InWork = "IN_WORK",
        /// Left the IPS service.
        Discharged = "DISCHARGED",
    }
}

impl ProgressStatus {
    fn of(status: ClientStatus) -> Self {
        match status {
            // A pause is not the keyworker's to be told: it can say why support stopped.
            ClientStatus::Active | ClientStatus::Paused => ProgressStatus::Looking,
            ClientStatus::InWork => ProgressStatus::InWork,
            ClientStatus::Discharged => ProgressStatus::Discharged,
        }
    }
}

/// A keyworker consent to grant.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct KeyworkerConsentGrantInput {
    /// The client.
    pub client_id: GlobalId,
    /// The keyworker who may be told (a member of staff with the keyworker role).
    pub keyworker_id: GlobalId,
    /// What may be shared: `PROGRESS`, and `EMPLOYER_NAMES` beside it if the client agrees.
    pub items: Vec<KeyworkerShareItem>,
    /// The exact words the client agreed to.
    pub wording: String,
    /// How it was captured.
    pub captured_how: CaptureMethod,
    /// When it takes effect (default now).
    pub effective_from: Option<DateTime<Utc>>,
    /// When it lapses (required; after `effectiveFrom`, at most two years on).
    pub expires_at: DateTime<Utc>,
}

/// A keyworker consent to revoke.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct KeyworkerConsentRevokeInput {
    /// Any version of the consent.
    pub id: GlobalId,
    /// Why (for the record; not shown to the keyworker).
    pub note: Option<String>,
}

/// What a keyworker is told about a client they referred.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct SharedProgress {
    /// Looking, in work or discharged.
    pub status: ProgressStatus,
    /// Since when.
    pub since: Date,
    /// The day the client joined the IPS service.
    pub registered_on: Date,
    /// Employers they work for now, when the client agreed to share their names (otherwise
    /// empty).
    pub employer_names: Vec<String>,
    /// The consent version this rests on.
    pub consent_version: i32,
}

/// The items a stored version lists.
pub fn items_of(row: &keyworker_consent::Model) -> Vec<KeyworkerShareItem> {
    KeyworkerShareItem::ALL
        .iter()
        .copied()
        .filter(|i| row.items.split(',').any(|s| s == i.as_db()))
        .collect()
}

/// Whether a version is in force at `at`.
pub fn in_force(row: &keyworker_consent::Model, at: DateTime<Utc>) -> bool {
    row.status == ConsentStatus::Active.as_db() && row.effective_from <= at && at < row.expires_at
}

/// Grants a keyworker consent (version 1) for a client within the viewer's reach.
pub async fn grant(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: KeyworkerConsentGrantInput,
) -> Result<keyworker_consent::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let keyworker = match ids::decode_as(&input.keyworker_id, Kind::Staff) {
        Some(id) => staff::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    }
    .filter(|k| k.active && k.role == Role::Keyworker.as_db());
    if keyworker.is_none() {
        checks.fail("keyworkerId", UserErrorCode::NotFound, "no such keyworker");
    }
    if !input.items.contains(&KeyworkerShareItem::Progress) {
        checks.fail(
            "items",
            UserErrorCode::Invalid,
            "a keyworker consent shares PROGRESS (employer names come only beside it)",
        );
    }
    let at = now();
    let effective_from = input
        .effective_from
        .map_or(at, crate::db::truncate_to_micros);
    check_term(&mut checks, effective_from, input.expires_at);
    let wording = checks.required_text("wording", &input.wording, LONG_TEXT);
    checks.finish()?;
    let Some(keyworker) = keyworker else {
        return Err(ServiceError::user(
            "keyworkerId",
            UserErrorCode::NotFound,
            "no such keyworker",
        ));
    };
    // A new consent to the same keyworker replaces the one before (the client may be narrowing
    // it): the earlier ones in force are revoked in the same commit.
    for earlier in newest_of(&txn, client.id, keyworker.id).await? {
        if !in_force(&earlier, at) {
            continue;
        }
        let mut row: keyworker_consent::ActiveModel = earlier.clone().into();
        row.id = Set(Uuid::now_v7());
        row.version = Set(earlier.version + 1);
        row.status = Set(ConsentStatus::Revoked.as_db().into());
        row.note = Set(Some("replaced by a later consent".into()));
        row.captured_by_id = Set(viewer.id());
        row.captured_at = Set(at);
        let revoked = row.insert(&txn).await?;
        audit_write(&txn, viewer, &revoked, "replaced").await?;
    }
    let saved = keyworker_consent::ActiveModel {
        id: Set(Uuid::now_v7()),
        consent_id: Set(Uuid::now_v7()),
        version: Set(1),
        client_id: Set(client.id),
        keyworker_id: Set(keyworker.id),
        items: Set(join_stored(input.items.iter().map(|i| i.as_db()))),
        wording: Set(wording),
        captured_how: Set(input.captured_how.as_db().into()),
        captured_by_id: Set(viewer.id()),
        captured_at: Set(at),
        effective_from: Set(effective_from),
        expires_at: Set(crate::db::truncate_to_micros(input.expires_at)),
        status: Set(ConsentStatus::Active.as_db().into()),
        note: Set(None),
    }
    .insert(&txn)
    .await?;
    audit_write(&txn, viewer, &saved, "granted").await?;
    txn.commit().await?;
    Ok(saved)
}

/// Revokes a keyworker consent: a new version, at once.
pub async fn revoke(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: KeyworkerConsentRevokeInput,
) -> Result<keyworker_consent::Model, ServiceError> {
    let missing = || ServiceError::user("id", UserErrorCode::NotFound, "no such consent");
    let txn = crate::db::begin_write(db).await?;
    let named = match ids::decode_as(&input.id, Kind::KeyworkerConsent) {
        Some(id) => keyworker_consent::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    }
    .ok_or_else(missing)?;
    if crate::clients::access::find_client(&txn, viewer, named.client_id)
        .await?
        .is_none()
    {
        return Err(missing());
    }
    let current = keyworker_consent::Entity::find()
        .filter(keyworker_consent::Column::ConsentId.eq(named.consent_id))
        .order_by_desc(keyworker_consent::Column::Version)
        .one(&txn)
        .await?
        .ok_or_else(missing)?;
    let mut checks = Checks::new();
    let note = checks.optional_text("note", input.note.as_deref(), SHORT_TEXT);
    if current.status == ConsentStatus::Revoked.as_db() {
        checks.fail(
            "id",
            UserErrorCode::Invalid,
            "this consent is already revoked",
        );
    }
    checks.finish()?;
    let mut row: keyworker_consent::ActiveModel = current.clone().into();
    row.id = Set(Uuid::now_v7());
    row.version = Set(current.version + 1);
    row.status = Set(ConsentStatus::Revoked.as_db().into());
    row.note = Set(note);
    row.captured_by_id = Set(viewer.id());
    row.captured_at = Set(now());
    let saved = row.insert(&txn).await?;
    audit_write(&txn, viewer, &saved, "revoked").await?;
    txn.commit().await?;
    Ok(saved)
}

/// Every write of a keyworker consent is audited in the writing transaction (terms, no wording).
async fn audit_write(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    row: &keyworker_consent::Model,
    what: &str,
) -> Result<(), ApiError> {
    let detail = format!(
        "keyworker consent {} v{} {what}: keyworker {}, items {}, status {}",
        row.consent_id, row.version, row.keyworker_id, row.items, row.status
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

/// The newest version of each of a client's keyworker consents, newest first (the client must be
/// within the caller's reach: callers pass a reached client's row).
pub async fn for_client(
    db: &impl ConnectionTrait,
    client: &client::Model,
) -> Result<Vec<keyworker_consent::Model>, ApiError> {
    let rows = keyworker_consent::Entity::find()
        .filter(keyworker_consent::Column::ClientId.eq(client.id))
        .all(db)
        .await?;
    let mut out = newest_versions(rows);
    out.sort_by(|a, b| b.captured_at.cmp(&a.captured_at).then(b.id.cmp(&a.id)));
    Ok(out)
}

/// Of `rows`, the newest version of each consent (a series is all the versions of one grant).
pub fn newest_versions(rows: Vec<keyworker_consent::Model>) -> Vec<keyworker_consent::Model> {
    let mut newest: HashMap<Uuid, keyworker_consent::Model> = HashMap::new();
    for row in rows {
        match newest.get(&row.consent_id) {
            Some(kept) if kept.version >= row.version => {}
            _ => {
                newest.insert(row.consent_id, row);
            }
        }
    }
    newest.into_values().collect()
}

/// The newest version of each consent from `client` naming `keyworker`.
async fn newest_of(
    db: &impl ConnectionTrait,
    client: Uuid,
    keyworker: Uuid,
) -> Result<Vec<keyworker_consent::Model>, ApiError> {
    let rows = keyworker_consent::Entity::find()
        .filter(keyworker_consent::Column::ClientId.eq(client))
        .filter(keyworker_consent::Column::KeyworkerId.eq(keyworker))
        .all(db)
        .await?;
    Ok(newest_versions(rows))
}

/// The consent from `client` naming `keyworker` that holds now: of those in force, the one granted
/// last (a later grant replaces an earlier one, so a client can narrow what is shared).
async fn in_force_for(
    db: &impl ConnectionTrait,
    client: Uuid,
    keyworker: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<keyworker_consent::Model>, ApiError> {
    Ok(newest_of(db, client, keyworker)
        .await?
        .into_iter()
        .filter(|row| in_force(row, at))
        .filter(|row| items_of(row).contains(&KeyworkerShareItem::Progress))
        .max_by_key(|row| (row.effective_from, row.captured_at)))
}

/// The progress of the client `referral` registered, as its keyworker may see it: only to the
/// keyworker the referral names, only under a consent in force from the client naming them, and
/// only once the sharing is in the audit log. `None` in every other case, alike.
pub async fn shared_progress(
    db: &DatabaseConnection,
    viewer: &Viewer,
    referral: &referral::Model,
) -> Result<Option<SharedProgress>, ApiError> {
    let (Role::Keyworker, Some(client_id), Some(registered_on)) =
        (viewer.role, referral.client_id, referral.closed_on)
    else {
        return Ok(None);
    };
    if referral.keyworker_id != Some(viewer.id()) {
        return Ok(None);
    }
    let at = now();
    let Some(consent) = in_force_for(db, client_id, viewer.id(), at).await? else {
        return Ok(None);
    };
    let Some(client) = client::Entity::find_by_id(client_id).one(db).await? else {
        return Ok(None);
    };
    let status = ProgressStatus::of(ClientStatus::from_db(&client.status)?);
    let episodes = client_status_episode::Entity::find()
        .filter(client_status_episode::Column::ClientId.eq(client_id))
        .order_by_desc(client_status_episode::Column::StartedOn)
        .all(db)
        .await?;
    let since = since_of(status, &episodes, registered_on);
    let share_names = items_of(&consent).contains(&KeyworkerShareItem::EmployerNames);
    let employer_names = if share_names && status == ProgressStatus::InWork {
        let today = crate::clock::today();
        let mut names: Vec<String> = job_start::Entity::find()
            .filter(job_start::Column::ClientId.eq(client_id))
            .all(db)
            .await?
            .into_iter()
            .filter(|j| j.start_date <= today && j.end_date.is_none_or(|end| end >= today))
            .map(|j| j.employer_name)
            .collect();
        names.sort();
        names.dedup();
        names
    } else {
        Vec::new()
    };
    let detail = format!(
        "keyworker consent {} v{}: status{}",
        consent.consent_id,
        consent.version,
        if share_names { ", employer names" } else { "" }
    );
    let txn = crate::db::begin_write(db).await?;
    audit::record(
        &txn,
        AuditEntry {
            actor_id: viewer.id(),
            action: AuditAction::SharedWithKeyworker,
            client_id: Some(client_id),
            purpose: Some(PURPOSE),
            detail: &detail,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Some(SharedProgress {
        status,
        since: Date(since),
        registered_on: Date(registered_on),
        employer_names,
        consent_version: consent.version,
    }))
}

/// The first day of the run of episodes (newest first) that read as `status` now.
fn since_of(
    status: ProgressStatus,
    newest_first: &[client_status_episode::Model],
    registered_on: NaiveDate,
) -> NaiveDate {
    let mut since = None;
    for episode in newest_first {
        let Ok(was) = ClientStatus::from_db(&episode.status) else {
            break;
        };
        if ProgressStatus::of(was) != status {
            break;
        }
        since = Some(episode.started_on);
    }
    since.unwrap_or(registered_on).max(registered_on)
}
