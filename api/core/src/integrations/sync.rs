//! Idempotent bulk sync from an integrator's source, keyed by (source, external id). Every item is
//! checked on its own: a bad item is reported by its index and nothing is written for it, while
//! the rest of the batch is applied in one transaction (so a call is never half-applied). An item
//! that would change nothing writes nothing, so a batch sent twice is a no-op the second time. An
//! idempotency key stores the call's result with the batch, and a retry gets that result back.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, Set, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use entities::{employer, sync_request, vacancy};

use super::access::Integrator;
use super::inputs::*;
use crate::change_log::{ChangeOp, record};
use crate::db::now;
use crate::employers::model::{EmployerSize, RelationshipStage, Sector};
use crate::error::{ApiError, ServiceError, UserError, UserErrorCode};
use crate::ids::{self, Kind};
use crate::vacancies::model::VacancyStatus;
use crate::vacancies::service::{ENTITY as VACANCY, check_row, new_row};
use crate::validate::{Checks, SHORT_TEXT, name_key};

/// Most items one sync call takes.
pub const MAX_BATCH: usize = 1_000;
const MAX_IDEMPOTENCY_KEY: usize = 200;

/// What one sync call did.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SyncResult {
    /// Counts.
    pub summary: SyncSummary,
    /// Each item's result, in the order sent.
    pub results: Vec<SyncItemResult>,
}

/// An item as read from the request: the item, or why it could not be read (JSON-LD).
pub type ReadItem<T> = Result<T, Vec<UserError>>;

/// Who is syncing, and the key that makes the call idempotent.
struct Replay {
    integrator_id: Uuid,
    operation: &'static str,
    key: String,
    hash: String,
}

/// The whole-call checks shared by both kinds of batch: the source is the integrator's, the batch
/// fits, the idempotency key is sane. Returns the replay key when one was given.
fn check_call(
    integrator: &Integrator,
    operation: &'static str,
    source: &str,
    count: usize,
    idempotency_key: Option<&str>,
    request: &impl std::fmt::Debug,
) -> Result<Option<Replay>, ServiceError> {
    let mut checks = Checks::new();
    if source != integrator.source_key() {
        checks.fail(
            "source",
            UserErrorCode::Invalid,
            "this integrator syncs only its own source key",
        );
    }
    if count > MAX_BATCH {
        checks.fail(
            "items",
            UserErrorCode::Invalid,
            format!("at most {MAX_BATCH} items a call"),
        );
    }
    let key = idempotency_key.map(str::trim);
    if let Some(key) = key
        && (key.is_empty() || key.chars().count() > MAX_IDEMPOTENCY_KEY)
    {
        checks.fail(
            "idempotencyKey",
            UserErrorCode::Invalid,
            format!("an idempotency key is 1 to {MAX_IDEMPOTENCY_KEY} characters"),
        );
    }
    checks.finish()?;
    Ok(key.map(|key| Replay {
        integrator_id: integrator.id(),
        operation,
        key: key.to_string(),
        hash: hex::encode(Sha256::digest(format!("{request:?}").as_bytes())),
    }))
}

/// The stored result of an earlier call with this key, or a refusal when the key was used for
/// something else. Run inside the batch's transaction, after the source lock.
async fn replayed(
    txn: &DatabaseTransaction,
    replay: Option<&Replay>,
) -> Result<Option<SyncResult>, ServiceError> {
    let Some(replay) = replay else {
        return Ok(None);
    };
    let Some(stored) = sync_request::Entity::find_by_id((replay.integrator_id, replay.key.clone()))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    if stored.operation != replay.operation || stored.request_hash != replay.hash {
        return Err(ServiceError::user(
            "idempotencyKey",
            UserErrorCode::Duplicate,
            "this idempotency key was used for a different request",
        ));
    }
    let mut result: SyncResult =
        serde_json::from_str(&stored.response).map_err(ApiError::internal)?;
    result.summary.replayed = true;
    Ok(Some(result))
}

async fn remember(
    txn: &DatabaseTransaction,
    replay: Option<&Replay>,
    result: &SyncResult,
) -> Result<(), ServiceError> {
    if let Some(replay) = replay {
        sync_request::ActiveModel {
            integrator_id: Set(replay.integrator_id),
            idempotency_key: Set(replay.key.clone()),
            operation: Set(replay.operation.into()),
            request_hash: Set(replay.hash.clone()),
            response: Set(serde_json::to_string(result).map_err(ApiError::internal)?),
            created_at: Set(now()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Begins the batch's write transaction. On PostgreSQL, batches of one source also wait for each
/// other, so two calls never race to create the same external id.
async fn begin_source(
    db: &DatabaseConnection,
    source: &str,
) -> Result<crate::db::WriteTxn, ApiError> {
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // The lookups by a thousand external ids must use the (source, external_id) index: a
        // cached generic plan, which cannot see the values, chose a full scan after five batches.
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext('sync:' || $1))",
            [source.into()],
        ))
        .await?;
    }
    Ok(txn)
}

/// Moves an item's user errors under `input.<list>.<index>`.
fn at_item(errors: Vec<UserError>, list: &str, index: usize) -> Vec<UserError> {
    errors
        .into_iter()
        .map(|mut e| {
            let rest: Vec<String> = e
                .field
                .take()
                .unwrap_or_default()
                .into_iter()
                .skip(1)
                .collect();
            let mut path = vec!["input".to_string(), list.to_string(), index.to_string()];
            path.extend(rest);
            e.field = Some(path);
            e
        })
        .collect()
}

fn rejected(index: usize, external_id: Option<String>, errors: Vec<UserError>) -> SyncItemResult {
    SyncItemResult {
        index: index as i32,
        external_id,
        outcome: SyncOutcome::Rejected,
        errors,
        id: None,
    }
}

fn tally(results: &[SyncItemResult], expired: u64) -> SyncSummary {
    let count = |o: SyncOutcome| results.iter().filter(|r| r.outcome == o).count() as i32;
    SyncSummary {
        created: count(SyncOutcome::Created),
        updated: count(SyncOutcome::Updated),
        unchanged: count(SyncOutcome::Unchanged),
        rejected: count(SyncOutcome::Rejected),
        expired: expired as i32,
        replayed: false,
    }
}

/// `vacanciesUpsert`: checks the call, then applies it (or replays its stored result).
pub async fn upsert_vacancies(
    db: &DatabaseConnection,
    integrator: &Integrator,
    input: VacanciesUpsertInput,
) -> Result<SyncResult, ServiceError> {
    let (list, items): (&str, Vec<ReadItem<VacancySyncItem>>) =
        match (&input.items, &input.job_postings) {
            (Some(items), None) => ("items", items.iter().cloned().map(Ok).collect()),
            (None, Some(postings)) => (
                "jobPostings",
                postings
                    .iter()
                    .map(super::job_posting::from_json_ld)
                    .collect(),
            ),
            _ => {
                return Err(ServiceError::user(
                    "items",
                    UserErrorCode::Required,
                    "send either items or jobPostings",
                ));
            }
        };
    let replay = check_call(
        integrator,
        "vacanciesUpsert",
        &input.source,
        items.len(),
        input.idempotency_key.as_deref(),
        &input,
    )?;
    apply_vacancies(
        db,
        &input.source,
        list,
        items,
        input.expire_missing,
        replay.as_ref(),
    )
    .await
}

/// Applies a batch of vacancies from `source` (the import command calls this directly). `list`
/// names the input list in error paths.
pub async fn import_vacancies(
    db: &DatabaseConnection,
    source: &str,
    items: Vec<ReadItem<VacancySyncItem>>,
) -> Result<SyncResult, ServiceError> {
    apply_vacancies(db, source, "items", items, false, None).await
}

async fn apply_vacancies(
    db: &DatabaseConnection,
    source: &str,
    list: &str,
    items: Vec<ReadItem<VacancySyncItem>>,
    expire_missing: bool,
    replay: Option<&Replay>,
) -> Result<SyncResult, ServiceError> {
    let txn = begin_source(db, source).await?;
    if let Some(result) = replayed(&txn, replay).await? {
        return Ok(result);
    }
    let external_ids: Vec<String> = items
        .iter()
        .filter_map(|i| i.as_ref().ok().map(|i| i.external_id.trim().to_string()))
        .collect();
    let existing: HashMap<String, vacancy::Model> = vacancy::Entity::find()
        .filter(vacancy::Column::Source.eq(source))
        .filter(vacancy::Column::ExternalId.is_in(external_ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|v| Some((v.external_id.clone()?, v)))
        .collect();
    let employer_keys: Vec<String> = items
        .iter()
        .filter_map(|i| i.as_ref().ok()?.employer_external_id.clone())
        .collect();
    let employers: HashMap<String, Uuid> = employer::Entity::find()
        .filter(employer::Column::Source.eq(source))
        .filter(employer::Column::ExternalId.is_in(employer_keys))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|e| Some((e.external_id?, e.id)))
        .collect();

    let today = crate::clock::today();
    let mut seen: HashSet<String> = HashSet::new();
    let mut results = Vec::with_capacity(items.len());
    let mut created = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let item = match item {
            Ok(item) => item,
            Err(errors) => {
                results.push(rejected(index, None, at_item(errors, list, index)));
                continue;
            }
        };
        let external_id = item.external_id.trim().to_string();
        if !seen.insert(external_id.clone()) {
            results.push(rejected(
                index,
                Some(external_id),
                at_item(
                    vec![UserError::on(
                        "externalId",
                        UserErrorCode::Duplicate,
                        "this external id is already earlier in the batch",
                    )],
                    list,
                    index,
                ),
            ));
            continue;
        }
        let old = existing.get(&external_id);
        let (row, mut errors) = vacancy_row(source, &item, &employers, old, today);
        if let Some(old) = old
            && old.employer_id != row.employer_id
            && crate::vacancies::service::has_applications(&txn, old.id).await?
        {
            errors.push(UserError::on(
                "employerExternalId",
                UserErrorCode::Invalid,
                "clients have applied for this vacancy: its employer cannot change; send it as a new vacancy",
            ));
        }
        if !errors.is_empty() {
            results.push(rejected(
                index,
                Some(external_id),
                at_item(errors, list, index),
            ));
            continue;
        }
        let outcome = match old {
            // New rows are inserted together after the loop.
            None => {
                created.push(row.clone());
                SyncOutcome::Created
            }
            Some(old) => write_change(&txn, row.clone(), old).await?,
        };
        results.push(SyncItemResult {
            index: index as i32,
            external_id: Some(external_id),
            outcome,
            errors: Vec::new(),
            id: Some(ids::encode(Kind::Vacancy, row.id)),
        });
    }
    crate::vacancies::service::insert_new(&txn, &created)
        .await
        .map_err(ApiError::from)?;
    let expired = if expire_missing {
        expire_missing_vacancies(&txn, source, &seen).await?
    } else {
        0
    };
    let result = SyncResult {
        summary: tally(&results, expired),
        results,
    };
    remember(&txn, replay, &result).await?;
    txn.commit().await.map_err(ApiError::from)?;
    Ok(result)
}

/// The row an item describes: a new one, or the existing one with the item's facts. Returns the
/// item's problems (paths relative to the item) alongside.
fn vacancy_row(
    source: &str,
    item: &VacancySyncItem,
    employers: &HashMap<String, Uuid>,
    old: Option<&vacancy::Model>,
    today: chrono::NaiveDate,
) -> (vacancy::Model, Vec<UserError>) {
    let mut checks = Checks::new();
    let external_id = checks.required_text("externalId", &item.external_id, SHORT_TEXT);
    let employer_id = match item.employer_external_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(key) => match employers.get(key) {
            Some(id) => Some(*id),
            None => {
                checks.fail(
                    "employerExternalId",
                    UserErrorCode::NotFound,
                    "no employer from this source has this id; send it with employersUpsert first",
                );
                None
            }
        },
    };
    let mut status = item.status;
    if matches!(status, VacancyStatus::Draft | VacancyStatus::Expired) {
        checks.fail(
            "status",
            UserErrorCode::Invalid,
            "a synced vacancy is OPEN, FILLED or CLOSED",
        );
        status = VacancyStatus::Open;
    }
    if status == VacancyStatus::Open && item.facts.closing_date.is_some_and(|d| d.0 < today) {
        // Feeds carry stale items; one past its closing date is recorded as expired.
        status = VacancyStatus::Expired;
    }
    let at = now();
    let mut row = new_row(&mut checks, &item.facts, source.to_string(), at);
    // Feeds often send HTML.
    row.description = super::job_posting::plain_text(&item.facts.description);
    row.employer_id = employer_id;
    row.contract_type = item.contract_type.as_db().into();
    row.status = status.as_db().into();
    row.external_id = Some(external_id);
    if let Some(old) = old {
        (row.id, row.created_at, row.updated_at, row.version) =
            (old.id, old.created_at, old.updated_at, old.version);
        row.posted_at = old.posted_at;
    }
    if row.posted_at.is_none() && status == VacancyStatus::Open {
        row.posted_at = Some(at);
    }
    check_row(&mut checks, &mut row);
    let errors = match checks.finish() {
        Ok(()) => Vec::new(),
        Err(ServiceError::User(errors)) => errors,
        Err(ServiceError::Api(_)) => Vec::new(),
    };
    (row, errors)
}

/// Writes a changed vacancy row unless it already holds exactly this, with its change-log row.
async fn write_change(
    txn: &DatabaseTransaction,
    mut row: vacancy::Model,
    old: &vacancy::Model,
) -> Result<SyncOutcome, ServiceError> {
    if row == *old {
        return Ok(SyncOutcome::Unchanged);
    }
    let op = if row.status == VacancyStatus::Expired.as_db() && old.status != row.status {
        ChangeOp::Expire
    } else {
        ChangeOp::Update
    };
    row.version = old.version + 1;
    row.updated_at = now();
    let id = row.id;
    vacancy::ActiveModel::from(row)
        .reset_all()
        .update(txn)
        .await?;
    record(txn, VACANCY, id, op).await?;
    Ok(SyncOutcome::Updated)
}

/// Expires the source's open vacancies that a full snapshot left out.
async fn expire_missing_vacancies(
    txn: &DatabaseTransaction,
    source: &str,
    present: &HashSet<String>,
) -> Result<u64, ServiceError> {
    let missing: Vec<Uuid> = vacancy::Entity::find()
        .filter(vacancy::Column::Source.eq(source))
        .filter(vacancy::Column::Status.eq(VacancyStatus::Open.as_db()))
        .all(txn)
        .await?
        .into_iter()
        .filter(|v| v.external_id.as_ref().is_none_or(|e| !present.contains(e)))
        .map(|v| v.id)
        .collect();
    Ok(crate::vacancies::service::expire(
        txn,
        &missing,
        Condition::all().add(vacancy::Column::Status.eq(VacancyStatus::Open.as_db())),
    )
    .await?)
}

/// `employersUpsert`: checks the call, then applies it (or replays its stored result).
pub async fn upsert_employers(
    db: &DatabaseConnection,
    integrator: &Integrator,
    input: EmployersUpsertInput,
) -> Result<SyncResult, ServiceError> {
    let replay = check_call(
        integrator,
        "employersUpsert",
        &input.source,
        input.items.len(),
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let source = input.source.as_str();
    let txn = begin_source(db, source).await?;
    if let Some(result) = replayed(&txn, replay.as_ref()).await? {
        return Ok(result);
    }
    let keys: Vec<String> = input
        .items
        .iter()
        .map(|i| i.external_id.trim().to_string())
        .collect();
    let mut existing: HashMap<String, employer::Model> = employer::Entity::find()
        .filter(employer::Column::Source.eq(source))
        .filter(employer::Column::ExternalId.is_in(keys))
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|e| Some((e.external_id.clone()?, e)))
        .collect();
    let mut seen_ids: HashSet<String> = HashSet::new();
    let mut seen_names: HashSet<String> = HashSet::new();
    let mut results = Vec::with_capacity(input.items.len());
    for (index, item) in input.items.iter().enumerate() {
        let external_id = item.external_id.trim().to_string();
        let mut checks = Checks::new();
        checks.required_text("externalId", &external_id, SHORT_TEXT);
        let name = checks.required_text("name", &item.name, SHORT_TEXT);
        let website = checks.optional_text("website", item.website.as_deref(), SHORT_TEXT);
        let key = name_key(&name);
        if !seen_ids.insert(external_id.clone()) {
            checks.fail(
                "externalId",
                UserErrorCode::Duplicate,
                "this external id is already earlier in the batch",
            );
        } else if !seen_names.insert(key.clone()) {
            checks.fail(
                "name",
                UserErrorCode::Duplicate,
                "another item of the batch has this name",
            );
        }
        let current = existing.get(&external_id).cloned();
        // The employer holding this name, if it is another record. A sync never adopts or renames
        // an employer kept by staff (clients' consents name it): linking one to a source is a
        // staff act.
        let holder = employer::Entity::find()
            .filter(employer::Column::NameKey.eq(key.as_str()))
            .one(&txn)
            .await?
            .filter(|h| current.as_ref().is_none_or(|c| c.id != h.id));
        if let Some(holder) = holder {
            let message = if holder.source.is_none() {
                "an employer kept by staff has this name; a feed never takes over a staff record"
            } else {
                "another employer has this name"
            };
            checks.fail("name", UserErrorCode::Duplicate, message);
        }
        if let Err(ServiceError::User(errors)) = checks.finish() {
            results.push(rejected(
                index,
                Some(external_id),
                at_item(errors, "items", index),
            ));
            continue;
        }
        let at = now();
        let base = current.clone().unwrap_or(employer::Model {
            id: Uuid::now_v7(),
            name: String::new(),
            name_key: String::new(),
            sector: Sector::OtherServices.as_db().into(),
            size: EmployerSize::Small.as_db().into(),
            stage: RelationshipStage::Prospect.as_db().into(),
            openness_notes: None,
            recovery_friendly: false,
            disability_confident: false,
            website: None,
            owner_id: None,
            archived_at: None,
            created_at: at,
            updated_at: at,
            version: 1,
            source: None,
            external_id: None,
        });
        let mut row = base.clone();
        row.name = name;
        row.name_key = key;
        row.sector = item.sector.map_or(row.sector, |s| s.as_db().into());
        row.size = item.size.map_or(row.size, |s| s.as_db().into());
        row.website = website.or(row.website);
        row.disability_confident = item
            .disability_confident
            .unwrap_or(row.disability_confident);
        row.source = Some(source.to_string());
        row.external_id = Some(external_id.clone());
        let outcome = match &current {
            None => {
                employer::ActiveModel::from(row.clone())
                    .reset_all()
                    .insert(&txn)
                    .await?;
                record(
                    &txn,
                    crate::employers::service::ENTITY,
                    row.id,
                    ChangeOp::Create,
                )
                .await?;
                SyncOutcome::Created
            }
            Some(old) if *old == row => SyncOutcome::Unchanged,
            Some(old) => {
                row.version = old.version + 1;
                row.updated_at = at;
                employer::ActiveModel::from(row.clone())
                    .reset_all()
                    .update(&txn)
                    .await?;
                record(
                    &txn,
                    crate::employers::service::ENTITY,
                    row.id,
                    ChangeOp::Update,
                )
                .await?;
                SyncOutcome::Updated
            }
        };
        existing.insert(external_id.clone(), row.clone());
        results.push(SyncItemResult {
            index: index as i32,
            external_id: Some(external_id),
            outcome,
            errors: Vec::new(),
            id: Some(ids::encode(Kind::Employer, row.id)),
        });
    }
    let result = SyncResult {
        summary: tally(&results, 0),
        results,
    };
    remember(&txn, replay.as_ref(), &result).await?;
    txn.commit().await.map_err(ApiError::from)?;
    Ok(result)
}
