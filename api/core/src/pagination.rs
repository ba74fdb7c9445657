//! Relay cursor connections over keyset queries: `first`/`after` and `last`/`before` (at most 100),
//! opaque cursors holding the sort key and id, and `totalCount` counted only when asked for.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
pub use crate::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// Where a page sits in the whole list.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct PageInfo {
    /// True when more items follow this page.
    pub has_next_page: bool,
    /// True when items precede this page.
    pub has_previous_page: bool,
    /// Cursor of the first item on this page; pass as `before` to go back.
    pub start_cursor: Option<String>,
    /// Cursor of the last item on this page; pass as `after` to go on.
    pub end_cursor: Option<String>,
}

/// The paging arguments of a connection field.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    /// Items after the cursor, forwards.
    pub first: Option<i32>,
    /// Start after this cursor.
    pub after: Option<String>,
    /// Items before the cursor, backwards.
    pub last: Option<i32>,
    /// End before this cursor.
    pub before: Option<String>,
}

impl PageArgs {
    /// Collects the four Relay arguments.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }
}

/// What a connection's rows are ordered by, after which the id breaks ties.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum SortValue {
    /// A text key (names are sorted by their lower-cased key).
    Text(String),
    /// A moment.
    Time(DateTime<Utc>),
    /// A calendar day.
    Date(chrono::NaiveDate),
}

/// What kind of value a list is sorted by (cursors carry it as text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// Text.
    Text,
    /// Moments.
    Time,
    /// Calendar days.
    Date,
}

/// Which way a list runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum OrderDirection {
    /// Smallest, earliest or A first.
    #[default]
    Asc,
    /// Largest, latest or Z first.
    Desc,
}

impl OrderDirection {
    /// The database's order.
    pub fn order(self) -> Order {
        match self {
            OrderDirection::Asc => Order::Asc,
            OrderDirection::Desc => Order::Desc,
        }
    }
}

impl From<SortValue> for sea_orm::Value {
    fn from(value: SortValue) -> Self {
        match value {
            SortValue::Text(text) => text.into(),
            SortValue::Time(time) => time.into(),
            SortValue::Date(day) => day.into(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    k: SortValue,
    i: Uuid,
    /// The order the cursor was made in. Cursors made before lists could be ordered have none,
    /// and are refused: a client then starts the list again.
    #[serde(default)]
    o: String,
}

fn encode_cursor(key: SortValue, id: Uuid, order: &str) -> String {
    let json = serde_json::to_vec(&Cursor {
        k: key,
        i: id,
        o: order.to_string(),
    })
    .unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// Reads the cursor given as `argument`; a bad one (or one from this list in another order) is
/// refused by the argument's name, never by repeating it.
fn decode_cursor(
    argument: &str,
    text: &str,
    kind: KeyKind,
    order: &str,
) -> Result<Cursor, ApiError> {
    let bad = || {
        ApiError::BadUserInput(format!(
            "`{argument}` is not a cursor from this list in this order"
        ))
    };
    crate::limits::check_cursor(argument, text)?;
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if cursor.o != order {
        return Err(bad());
    }
    // Untagged JSON reads every key back as text; restore the time or day this list sorts by.
    let k = match (cursor.k, kind) {
        (SortValue::Text(text), KeyKind::Time) => SortValue::Time(
            DateTime::parse_from_rfc3339(&text)
                .map_err(|_| bad())?
                .with_timezone(&Utc),
        ),
        (SortValue::Text(text), KeyKind::Date) => SortValue::Date(
            chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| bad())?,
        ),
        (key, _) => key,
    };
    Ok(Cursor {
        k,
        i: cursor.i,
        o: cursor.o,
    })
}

/// How one list is ordered: a sort column, then the id, both in `order`.
pub struct Keyset<E: EntityTrait> {
    /// The sort column.
    pub sort: E::Column,
    /// The id column (tie-breaker).
    pub id: E::Column,
    /// Ascending or descending.
    pub order: Order,
    /// What the sort column holds.
    pub kind: KeyKind,
    /// Reads a row's sort key and id.
    pub key_of: fn(&E::Model) -> (SortValue, Uuid),
}

/// One page of rows with what the connection needs around them.
pub struct Page<T> {
    /// Rows with their cursors, in list order.
    pub items: Vec<(String, T)>,
    /// Paging facts.
    pub info: PageInfo,
    /// Rows matching the filter on all pages (when asked for).
    pub total: u64,
}

impl<T> Page<T> {
    /// The same page with each row converted.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            info: self.info,
            total: self.total,
        }
    }
}

impl<E: EntityTrait> Keyset<E> {
    /// The order's name inside cursors: the sort column and the direction.
    fn tag(&self) -> String {
        use sea_orm::IdenStatic as _;
        let direction = if matches!(self.order, Order::Asc) {
            "asc"
        } else {
            "desc"
        };
        format!("{}.{direction}", self.sort.as_str())
    }
}

fn beyond<E: EntityTrait>(keyset: &Keyset<E>, cursor: Cursor, forwards: bool) -> Condition {
    let ascending = matches!(keyset.order, Order::Asc) == forwards;
    let key: sea_orm::Value = cursor.k.into();
    let (sort_cmp, id_cmp) = if ascending {
        (keyset.sort.gt(key.clone()), keyset.id.gt(cursor.i))
    } else {
        (keyset.sort.lt(key.clone()), keyset.id.lt(cursor.i))
    };
    Condition::any()
        .add(sort_cmp)
        .add(Condition::all().add(keyset.sort.eq(key)).add(id_cmp))
}

fn reversed(order: &Order) -> Order {
    match order {
        Order::Asc => Order::Desc,
        _ => Order::Asc,
    }
}

/// Fetches one page of `select` in keyset order.
pub async fn fetch_page<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    keyset: &Keyset<E>,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<E::Model>, ApiError>
where
    E: EntityTrait,
    E::Model: Sync,
{
    for (name, value) in [("first", args.first), ("last", args.last)] {
        if let Some(n) = value
            && !(0..=MAX_PAGE_SIZE).contains(&n)
        {
            return Err(ApiError::BadUserInput(format!(
                "`{name}` must be between 0 and {MAX_PAGE_SIZE}"
            )));
        }
    }
    if args.first.is_some() && args.last.is_some() {
        return Err(ApiError::BadUserInput(
            "give `first` or `last`, not both".into(),
        ));
    }
    let total = if want_total {
        select.clone().count(db).await?
    } else {
        0
    };
    let forwards = args.last.is_none();
    let tag = keyset.tag();
    let size = args.first.or(args.last).unwrap_or(DEFAULT_PAGE_SIZE) as u64;

    let mut query = select;
    if let Some(after) = &args.after {
        query = query.filter(beyond(
            keyset,
            decode_cursor("after", after, keyset.kind, &tag)?,
            true,
        ));
    }
    if let Some(before) = &args.before {
        query = query.filter(beyond(
            keyset,
            decode_cursor("before", before, keyset.kind, &tag)?,
            false,
        ));
    }
    let order = if forwards {
        keyset.order.clone()
    } else {
        reversed(&keyset.order)
    };
    let mut rows = query
        .order_by(keyset.sort, order.clone())
        .order_by(keyset.id, order)
        .limit(size + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > size;
    rows.truncate(size as usize);
    if !forwards {
        rows.reverse();
    }
    let items: Vec<(String, E::Model)> = rows
        .into_iter()
        .map(|row| {
            let (key, id) = (keyset.key_of)(&row);
            (encode_cursor(key, id, &tag), row)
        })
        .collect();
    let info = PageInfo {
        has_next_page: if forwards {
            more
        } else {
            args.before.is_some()
        },
        has_previous_page: if forwards { args.after.is_some() } else { more },
        start_cursor: items.first().map(|(c, _)| c.clone()),
        end_cursor: items.last().map(|(c, _)| c.clone()),
    };
    Ok(Page { items, info, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_text_time_and_day_keys() {
        let id = Uuid::now_v7();
        let text = encode_cursor(SortValue::Text("acme ltd".into()), id, "name_key.asc");
        let back = decode_cursor("after", &text, KeyKind::Text, "name_key.asc").expect("text");
        assert_eq!((back.k, back.i), (SortValue::Text("acme ltd".into()), id));

        let when = crate::clock::now();
        let time = encode_cursor(SortValue::Time(when), id, "created_at.desc");
        let back = decode_cursor("after", &time, KeyKind::Time, "created_at.desc").expect("time");
        assert_eq!(back.k, SortValue::Time(when));

        let day = crate::clock::today();
        let date = encode_cursor(SortValue::Date(day), id, "referral_date.asc");
        let back = decode_cursor("after", &date, KeyKind::Date, "referral_date.asc").expect("day");
        assert_eq!(back.k, SortValue::Date(day));
    }

    #[test]
    fn a_cursor_from_another_order_is_refused() {
        let id = Uuid::now_v7();
        let text = encode_cursor(SortValue::Text("acme ltd".into()), id, "name_key.asc");
        assert!(matches!(
            decode_cursor("after", &text, KeyKind::Text, "name_key.desc"),
            Err(ApiError::BadUserInput(_))
        ));
    }

    #[test]
    fn a_cursor_without_its_order_is_refused() {
        let id = Uuid::now_v7();
        let json = serde_json::json!({ "k": "acme ltd", "i": id }).to_string();
        let old = URL_SAFE_NO_PAD.encode(json);
        assert!(matches!(
            decode_cursor("after", &old, KeyKind::Text, "name_key.asc"),
            Err(ApiError::BadUserInput(_))
        ));
    }

    #[test]
    fn garbage_cursors_are_a_user_error() {
        assert!(matches!(
            decode_cursor("after", "%%%", KeyKind::Text, "name_key.asc"),
            Err(ApiError::BadUserInput(_))
        ));
    }
}
