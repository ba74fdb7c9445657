//! `workQueue`: what is due for whom, most urgent first, over
//! [`ipsmatch_core::fidelity::work_queue`].

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use crate::auth::viewer;
use crate::clients::types::Client;
use crate::dates::Date;
use crate::error::ApiError;
use crate::ids::{self, Kind};
use crate::staff::types::{Staff, staff_by_id};
use ipsmatch_core::fidelity::thresholds::Thresholds;
pub use ipsmatch_core::fidelity::work_queue::{DueItem, DueKind, work_queue};

/// One thing due for one client.
pub struct WorkItem {
    item: DueItem,
    client: entities::client::Model,
    today: chrono::NaiveDate,
}

/// One thing due for one client, with why and what resolves it.
#[Object]
impl WorkItem {
    /// A stable id for the item (its kind, client and subject), for caches and lists.
    async fn id(&self) -> ID {
        let subject = self
            .item
            .subject
            .map_or_else(String::new, |(kind, id)| ids::encode(kind, id).0);
        ID(format!(
            "{}:{}:{}",
            self.item.kind.as_db(),
            ids::encode(Kind::Client, self.item.client_id).0,
            subject
        ))
    }

    /// What is due.
    async fn kind(&self) -> DueKind {
        self.item.kind
    }

    /// For whom.
    async fn client(&self) -> Client {
        Client(self.client.clone())
    }

    /// Their specialist now.
    async fn specialist(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        match self.item.specialist_id {
            Some(id) => staff_by_id(ctx, id).await,
            None => Ok(None),
        }
    }

    /// When it falls due.
    async fn due_on(&self) -> Date {
        Date(self.item.due_on)
    }

    /// Days past due (0 when not yet due).
    async fn days_overdue(&self) -> i32 {
        i32::try_from(self.item.days_overdue(self.today)).unwrap_or(i32::MAX)
    }

    /// Why, in words (dates only).
    async fn why(&self) -> &str {
        &self.item.why
    }

    /// The mutation that resolves it (recording it removes the item).
    async fn resolved_by(&self) -> &str {
        self.item.resolved_by
    }

    /// The id of the record it is about: the job start, the consent, the missed appointment (a
    /// diary entry) or the application; null when it is about the client as a whole.
    async fn subject_id(&self) -> Option<ID> {
        self.item.subject.map(|(kind, id)| ids::encode(kind, id))
    }
}

/// `workQueue`.
#[derive(Default)]
pub struct WorkQueueQuery;

#[Object]
impl WorkQueueQuery {
    /// Your work queue: for each client you reach (a specialist: your caseload; a team lead: your
    /// team's, or one specialist's), what is due and why, most urgent first. Computed from the
    /// records each time, so recording what resolves an item removes it.
    #[graphql(complexity = "crate::limits::FIDELITY_COST.saturating_add(child_complexity)")]
    async fn work_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this specialist's clients (team leads).")] specialist_id: Option<ID>,
    ) -> Result<Vec<WorkItem>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let thresholds = ctx.data::<Thresholds>()?;
        let today = ipsmatch_core::clock::today();
        let specialist = match specialist_id.as_deref() {
            Some(id) => Some(ids::decode_as(id, Kind::Staff).ok_or_else(|| {
                ApiError::BadUserInput("`specialistId` is not a member of staff".into())
            })?),
            None => None,
        };
        let (items, clients) =
            ipsmatch_core::fidelity::work_queue::work_queue(db, thresholds, me, specialist, today)
                .await?;
        Ok(items
            .into_iter()
            .filter_map(|item| {
                let client = clients.get(&item.client_id)?.clone();
                Some(WorkItem {
                    item,
                    client,
                    today,
                })
            })
            .collect())
    }
}
