//! The change feed: every committed change to vacancies and employers, in commit-safe sequence
//! order, from a cursor that survives restarts (it is the change-log sequence). It serves only up
//! to the sequence this process's index follower has settled, so a row that commits late on
//! PostgreSQL is never skipped: the follower waits at a gap until it fills or can no longer fill.

pub use super::model::{ChangeEntity, ChangeKind};
use crate::ids::GlobalId;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use entities::change_log;

use crate::error::ApiError;
use crate::ids::{self, Kind};

/// Most changes one page returns.
pub const MAX_PAGE: u64 = 1_000;

/// What an integrator may see of vacancies, by any path (a query, `node`, the feed, a
/// subscription): everything but the service's drafts, which can hold a specialist's notes about
/// a client.
pub fn integrator_may_see(row: &entities::vacancy::Model) -> bool {
    row.status != crate::vacancies::model::VacancyStatus::Draft.as_db()
}

/// One change, with the record as it is now.
#[derive(Clone)]
pub struct Change {
    /// Resume the feed after this change by passing this as `after`.
    pub cursor: String,
    /// The change-log sequence number (increasing; may have gaps).
    pub sequence: i64,
    /// What kind of record.
    pub entity: ChangeEntity,
    /// What happened.
    pub kind: ChangeKind,
    /// The record's global id.
    pub record_id: GlobalId,
    /// When the change committed.
    pub changed_at: DateTime<Utc>,
    /// The record's key.
    pub entity_id: Uuid,
}

/// A page of the feed.
pub struct ChangePage {
    /// The changes, oldest first.
    pub changes: Vec<Change>,
    /// Pass as `after` for the next page (also when this page is empty: it may skip changes of
    /// types you did not ask for).
    pub end_cursor: String,
    /// More changes are already available after `endCursor`.
    pub has_more: bool,
}

/// The cursor of a sequence number.
pub fn cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("change:{seq}"))
}

/// The sequence number a cursor stands for.
pub fn read_cursor(cursor: &str) -> Result<i64, ApiError> {
    crate::limits::check_cursor("after", cursor)?;
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("change:")?.parse().ok())
        .filter(|seq: &i64| *seq >= 0)
        .ok_or_else(|| ApiError::BadUserInput("`after` is not a change-feed cursor".into()))
}

/// The change-log row as a feed entry (none for other entities).
pub fn change_of(row: &change_log::Model) -> Option<Change> {
    let entity = ChangeEntity::from_db(&row.entity)?;
    let kind = match entity {
        ChangeEntity::Vacancy => Kind::Vacancy,
        ChangeEntity::Employer => Kind::Employer,
    };
    Some(Change {
        cursor: cursor(row.seq),
        sequence: row.seq,
        entity,
        kind: ChangeKind::from_db(&row.op),
        record_id: ids::encode(kind, row.entity_id),
        changed_at: row.changed_at,
        entity_id: row.entity_id,
    })
}

/// Whether `vacancyChanged` with `filter` reports a change of `kind` to `v`, as it now is: what
/// an integrator may see, then the search's own filters read off the vacancy.
pub fn vacancy_change_wanted(
    filter: &super::inputs::VacancyChangeFilter,
    kind: ChangeKind,
    v: &entities::vacancy::Model,
) -> bool {
    let filters = search_index::Filters {
        statuses: crate::vacancies::search::names(
            &filter.statuses,
            crate::vacancies::model::VacancyStatus::as_db,
        ),
        sources: filter.source.iter().cloned().collect(),
        occupation_prefix: filter.occupation_prefix.clone(),
        ..search_index::Filters::default()
    };
    integrator_may_see(v)
        && filter.kinds.as_ref().is_none_or(|k| k.contains(&kind))
        && crate::vacancies::search::admits(&filters, v)
}

/// Reads up to `first` changes of `entities` after `after`, never past `settled`.
pub async fn read(
    db: &DatabaseConnection,
    settled: i64,
    after: i64,
    first: u64,
    entities: &[ChangeEntity],
) -> Result<ChangePage, ApiError> {
    let first = first.clamp(1, MAX_PAGE);
    if after >= settled {
        return Ok(ChangePage {
            changes: Vec::new(),
            end_cursor: cursor(after),
            has_more: false,
        });
    }
    let rows = change_log::Entity::find()
        .filter(change_log::Column::Seq.gt(after))
        .filter(change_log::Column::Seq.lte(settled))
        .filter(change_log::Column::Entity.is_in(entities.iter().map(|e| e.as_db())))
        .order_by(change_log::Column::Seq, Order::Asc)
        .limit(first)
        .all(db)
        .await?;
    let full = rows.len() as u64 == first;
    let end = match (full, rows.last()) {
        (true, Some(last)) => last.seq,
        _ => settled,
    };
    // Changes to vacancies an integrator may not see (drafts) are left out, cursor and all.
    let hidden: std::collections::HashSet<Uuid> = entities::vacancy::Entity::find()
        .filter(
            entities::vacancy::Column::Id.is_in(
                rows.iter()
                    .filter(|r| r.entity == ChangeEntity::Vacancy.as_db())
                    .map(|r| r.entity_id),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .filter(|v| !integrator_may_see(v))
        .map(|v| v.id)
        .collect();
    Ok(ChangePage {
        changes: rows
            .iter()
            .filter(|r| !hidden.contains(&r.entity_id))
            .filter_map(change_of)
            .collect(),
        end_cursor: cursor(end),
        has_more: full && end < settled,
    })
}
