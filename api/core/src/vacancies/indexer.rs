//! Keeps the search index true to the database. The follower applies the change log in sequence
//! order (re-reading each changed vacancy, so applying a change twice is harmless) and commits the
//! index with the last applied sequence as its payload; on start it catches up from there. A missing
//! or unreadable index is moved aside and rebuilt while search answers `SEARCH_INDEX_REBUILDING`.
//!
//! PostgreSQL can commit a lower sequence number after a higher one. When the follower meets a gap it
//! notes the next transaction id at that moment; every transaction that could hold the missing number
//! had its id by then (a vacancy row is written before its change-log row), so once the oldest running
//! transaction — observed *before* a read of the log — is past that id, that read shows the missing
//! row if it committed; if it does not, the gap is settled (rolled back) and the follower moves on.
//! Until then it waits at the gap. SQLite has one writer, so its log has no gaps that can still fill.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use search_index::{VacancyDoc, VacancyIndex};
use tokio::sync::{Notify, broadcast, watch};
use uuid::Uuid;

use entities::{change_log, employer, vacancy};

use super::service::ENTITY;
use crate::error::ApiError;

/// Change-log rows applied per index commit.
const BATCH: u64 = 1_000;
/// How often the follower looks for changes written by other processes (replicas).
const POLL: Duration = Duration::from_millis(200);

/// The index and the follower's progress, shared by the whole process.
pub struct SearchIndex {
    index: RwLock<Option<Arc<VacancyIndex>>>,
    applied: watch::Sender<i64>,
    changes: broadcast::Sender<Arc<change_log::Model>>,
    wake: Notify,
    stop: watch::Sender<bool>,
}

impl SearchIndex {
    /// The index, or `SEARCH_INDEX_REBUILDING` while it is being built.
    pub fn ready(&self) -> Result<Arc<VacancyIndex>, ApiError> {
        self.index
            .read()
            .ok()
            .and_then(|guard| guard.clone())
            .ok_or(ApiError::SearchIndexRebuilding)
    }

    /// True once the index is open and built.
    pub fn is_ready(&self) -> bool {
        self.ready().is_ok()
    }

    /// The last change-log sequence the index reflects.
    pub fn applied_seq(&self) -> i64 {
        *self.applied.borrow()
    }

    /// Every change-log row from now on, announced once the index reflects it (so a subscriber that
    /// searches on hearing of a change finds it). A receiver that falls far behind skips ahead.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<change_log::Model>> {
        self.changes.subscribe()
    }

    /// Tells the follower to finish; it releases the index (and its writer lock) as it ends.
    pub fn stop(&self) {
        self.stop.send_replace(true);
        if let Ok(mut slot) = self.index.write() {
            *slot = None;
        }
    }

    /// Asks the follower to look for changes now (after a local write).
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// Waits until the index reflects change-log sequence `seq`, or `timeout` passes. True when it does.
    pub async fn wait_for(&self, seq: i64, timeout: Duration) -> bool {
        self.nudge();
        let mut applied = self.applied.subscribe();
        tokio::time::timeout(timeout, applied.wait_for(|a| *a >= seq))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// Opens (or rebuilds) the index in `dir` and starts the follower. Returns at once; search becomes
/// ready when the index is open and caught up enough to serve. The task ends after `stop`.
pub fn start(
    db: DatabaseConnection,
    dir: PathBuf,
) -> (Arc<SearchIndex>, tokio::task::JoinHandle<()>) {
    let (applied, _) = watch::channel(0);
    let (stop, _) = watch::channel(false);
    let (changes, _) = broadcast::channel(4_096);
    let state = Arc::new(SearchIndex {
        index: RwLock::new(None),
        applied,
        changes,
        wake: Notify::new(),
        stop,
    });
    if db.get_database_backend() == DatabaseBackend::Postgres {
        tokio::spawn(listen(db.clone(), state.clone()));
    }
    let task = tokio::spawn(follow(db, dir, state.clone()));
    (state, task)
}

/// PostgreSQL: wakes the follower whenever any process commits a change-log row (a trigger
/// notifies `ipsmatch_change_log`), so replicas apply each other's writes at once; the poll stays
/// as the fallback. Ends when the follower is stopped.
async fn listen(db: DatabaseConnection, state: Arc<SearchIndex>) {
    use sea_orm::sqlx::postgres::PgListener;
    let mut stop = state.stop.subscribe();
    while !*stop.borrow() {
        let listener = async {
            let mut listener = PgListener::connect_with(db.get_postgres_connection_pool()).await?;
            listener.listen("ipsmatch_change_log").await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        let mut listener = match listener.await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for change-log notifications; polling");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        loop {
            tokio::select! {
                received = listener.recv() => match received {
                    Ok(_) => state.nudge(),
                    Err(err) => {
                        tracing::warn!(error = %err, "change-log notifications interrupted");
                        break;
                    }
                },
                _ = stop.changed() => return,
            }
        }
    }
}

async fn follow(db: DatabaseConnection, dir: PathBuf, state: Arc<SearchIndex>) {
    let mut stop = state.stop.subscribe();
    let index = loop {
        if *stop.borrow() {
            return;
        }
        match open_or_rebuild(&db, &dir).await {
            Ok(index) => break Arc::new(index),
            Err(err) => {
                tracing::error!(
                    error = format!("{err:#}"),
                    "search index could not be opened; retrying"
                );
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    };
    let mut watermark = index.last_applied_seq().ok().flatten().unwrap_or(0);
    state.applied.send_replace(watermark);
    let mut gaps: HashMap<i64, i64> = HashMap::new();
    let mut serving = false;
    loop {
        if *stop.borrow() {
            return;
        }
        let started = std::time::Instant::now();
        match apply_batch(&db, &index, watermark, &mut gaps).await {
            Ok(Some((next, applied))) => {
                tracing::debug!(
                    from = watermark + 1,
                    to = next,
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    "applied the change log to the search index"
                );
                watermark = next;
                state.applied.send_replace(watermark);
                if serving {
                    for row in applied {
                        // No receivers is fine: nobody is subscribed.
                        let _ = state.changes.send(Arc::new(row));
                    }
                }
                continue;
            }
            // Caught up with what was committed while no index followed: serve search now. Not
            // while waiting at a gap that may still fill: rows after it are not applied yet, and
            // a search would miss them (on PostgreSQL, under load, right after a restart).
            Ok(None) if !serving && gaps.is_empty() => {
                if let Ok(mut slot) = state.index.write() {
                    *slot = Some(index.clone());
                }
                serving = true;
            }
            Ok(None) => {}
            Err(err) => tracing::warn!(
                error = format!("{err:#}"),
                "applying the change log failed; retrying"
            ),
        }
        tokio::select! {
            _ = state.wake.notified() => {}
            _ = stop.changed() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Opens the index; if it is unreadable, moves it aside. A new index is filled from the database.
async fn open_or_rebuild(db: &DatabaseConnection, dir: &Path) -> anyhow::Result<VacancyIndex> {
    let index = match VacancyIndex::open_or_create(dir) {
        Ok(index) => index,
        Err(err) => {
            let aside = dir.with_extension(format!(
                "broken-{}",
                crate::clock::now().format("%Y%m%dT%H%M%S")
            ));
            tracing::warn!(error = %err, aside = %aside.display(), "search index unreadable; moving it aside and rebuilding");
            std::fs::rename(dir, &aside)?;
            VacancyIndex::open_or_create(dir)?
        }
    };
    if index.last_applied_seq()?.is_none() {
        rebuild(db, &index, &mut |_, _| {}).await?;
    }
    Ok(index)
}

/// Fills an empty index with every vacancy, true to the change log as of its start. `progress` hears
/// (done, total) after each batch.
pub async fn rebuild(
    db: &DatabaseConnection,
    index: &VacancyIndex,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> anyhow::Result<u64> {
    // Rows changed after this point are applied again by the follower, which is harmless.
    let upto = crate::change_log::max_seq(db)
        .await
        .map_err(|err| anyhow::anyhow!("reading the change log: {err:?}"))?;
    // Every change up to `upto` must be committed (or rolled back) before the vacancies are read.
    wait_for_older_transactions(db).await?;
    let employers = employer_names(db).await?;
    let total = vacancy::Entity::find().count(db).await?;
    // Whatever the index held goes; every row is then added once, with no per-row delete.
    index.start_rebuild()?;
    let mut after: Option<Uuid> = None;
    let mut count = 0u64;
    loop {
        let mut select = vacancy::Entity::find()
            .order_by(vacancy::Column::Id, Order::Asc)
            .limit(BATCH);
        if let Some(last) = after {
            select = select.filter(vacancy::Column::Id.gt(last));
        }
        let rows = select.all(db).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        for row in &rows {
            index.add_new(&document(row, &employers))?;
        }
        count += rows.len() as u64;
        progress(count, total);
        after = Some(last);
    }
    index.commit(upto)?;
    tracing::info!(vacancies = count, upto, "search index rebuilt");
    Ok(count)
}

async fn employer_names(db: &DatabaseConnection) -> anyhow::Result<HashMap<Uuid, String>> {
    Ok(employer::Entity::find()
        .select_only()
        .column(employer::Column::Id)
        .column(employer::Column::Name)
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Applies the next run of the change log after `watermark`. Returns the new watermark and the rows
/// applied, or `None` when there was nothing (yet) to apply.
async fn apply_batch(
    db: &DatabaseConnection,
    index: &VacancyIndex,
    watermark: i64,
    gaps: &mut HashMap<i64, i64>,
) -> anyhow::Result<Option<(i64, Vec<change_log::Model>)>> {
    // Taken before the rows: every transaction finished by now has its committed rows in the
    // read below. (Judging a gap by a horizon taken after the read would skip a row whose
    // transaction committed in between — the crash test caught exactly that.)
    let before = transaction_horizon(db).await?;
    let rows = change_log::Entity::find()
        .filter(change_log::Column::Seq.gt(watermark))
        .order_by(change_log::Column::Seq, Order::Asc)
        .limit(BATCH)
        .all(db)
        .await?;
    // Taken after the rows: any transaction holding a missing number had its id before this.
    let after = transaction_horizon(db).await?;
    let mut next = watermark;
    let mut changed: Vec<Uuid> = Vec::new();
    let mut renamed: Vec<Uuid> = Vec::new();
    let mut applied = Vec::new();
    for row in &rows {
        while row.seq > next + 1 {
            // A gap: wait for it unless it can no longer fill.
            let missing = next + 1;
            if let (Some((oldest_running_before, _)), Some((_, next_xid_after))) = (before, after) {
                let settled_after = *gaps.entry(missing).or_insert(next_xid_after);
                if oldest_running_before < settled_after {
                    break;
                }
            }
            gaps.remove(&missing);
            next = missing;
        }
        if row.seq != next + 1 {
            break;
        }
        match row.entity.as_str() {
            ENTITY => changed.push(row.entity_id),
            crate::employers::service::ENTITY => renamed.push(row.entity_id),
            _ => {}
        }
        applied.push(row.clone());
        next = row.seq;
    }
    if next == watermark {
        return Ok(None);
    }
    if !renamed.is_empty() {
        // Vacancies carry their employer's name in the index.
        changed.extend(
            vacancy::Entity::find()
                .select_only()
                .column(vacancy::Column::Id)
                .filter(vacancy::Column::EmployerId.is_in(renamed))
                .into_tuple::<Uuid>()
                .all(db)
                .await?,
        );
    }
    changed.sort_unstable();
    changed.dedup();
    let current: HashMap<Uuid, vacancy::Model> = vacancy::Entity::find()
        .filter(vacancy::Column::Id.is_in(changed.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let employer_ids: Vec<Uuid> = current.values().filter_map(|v| v.employer_id).collect();
    let employers: HashMap<Uuid, String> = employer::Entity::find()
        .filter(employer::Column::Id.is_in(employer_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    for id in &changed {
        match current.get(id) {
            Some(row) => index.upsert(&document(row, &employers))?,
            None => index.delete(&id.to_string())?,
        }
    }
    index.commit(next)?;
    Ok(Some((next, applied)))
}

/// PostgreSQL: (oldest running transaction id, next transaction id to be given out). SQLite: none.
async fn transaction_horizon(db: &DatabaseConnection) -> anyhow::Result<Option<(i64, i64)>> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(None);
    }
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, \
             pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no snapshot row"))?;
    Ok(Some((row.try_get("", "xmin")?, row.try_get("", "xmax")?)))
}

/// PostgreSQL: waits until every transaction that had started by now has ended.
async fn wait_for_older_transactions(db: &DatabaseConnection) -> anyhow::Result<()> {
    let Some((_, target)) = transaction_horizon(db).await? else {
        return Ok(());
    };
    loop {
        match transaction_horizon(db).await? {
            Some((oldest_running, _)) if oldest_running < target => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            _ => return Ok(()),
        }
    }
}

fn days_since_epoch(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
        - i64::from(NaiveDate::from_ymd_opt(1970, 1, 1).map_or(719_163, |d| d.num_days_from_ce()))
}

/// The index document for a vacancy row.
pub fn document(row: &vacancy::Model, employers: &HashMap<Uuid, String>) -> VacancyDoc {
    let list = |text: &str| {
        text.split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    VacancyDoc {
        id: row.id.to_string(),
        title: row.title.clone(),
        description: row.description.clone(),
        skills: row.skills.clone(),
        employer_name: row
            .employer_id
            .and_then(|id| employers.get(&id).cloned())
            .or_else(|| row.employer_name.clone())
            .unwrap_or_default(),
        employer_id: row.employer_id.map(|id| id.to_string()),
        status: row.status.clone(),
        contract_type: row.contract_type.clone(),
        shifts: list(&row.shifts),
        sector: row.sector.clone(),
        source: row.source.clone(),
        soc_code: row.soc_code.clone(),
        environments: list(&row.environments),
        pay_min_hourly: row.pay_min_hourly,
        pay_max_hourly: row.pay_max_hourly,
        hours_min: row.hours_min,
        hours_max: row.hours_max,
        posted_at: row.posted_at.map(|t| t.timestamp()),
        closing_day: row.closing_date.map(days_since_epoch),
        latitude: row.latitude,
        longitude: row.longitude,
    }
}

/// Day number of a date as the index stores it.
pub fn index_day(date: NaiveDate) -> i64 {
    days_since_epoch(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_unix_epoch() {
        assert_eq!(
            index_day(NaiveDate::from_ymd_opt(1970, 1, 2).expect("date")),
            1
        );
        assert_eq!(
            index_day(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")),
            20_783
        );
    }
}
