//! What the work-with-clients measures share: the caseload's clients by name, their job starts,
//! the diary entries naming them and their outreach attempts, read once.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use entities::{client, diary_entry, job_start, outreach_attempt};

use crate::error::ApiError;

/// The clients on the scope's caseloads and their jobs, with those started in the range.
pub(super) struct Jobs {
    /// Each client's name, for the series.
    pub names: HashMap<Uuid, String>,
    /// Every job of those clients.
    pub all: Vec<job_start::Model>,
    /// The diary entries naming any of them, with the clients each names.
    pub diary: Vec<(diary_entry::Model, Vec<Uuid>)>,
    /// Their outreach attempts.
    pub outreach: Vec<outreach_attempt::Model>,
    /// The range measured.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
}

impl Jobs {
    /// Reads the names, jobs, diary entries and outreach attempts of `clients`.
    pub async fn read(
        db: &DatabaseConnection,
        clients: &HashSet<Uuid>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Self, ApiError> {
        let names: HashMap<Uuid, String> = client::Entity::find()
            .filter(client::Column::Id.is_in(clients.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let all = job_start::Entity::find()
            .filter(job_start::Column::ClientId.is_in(clients.iter().copied()))
            .all(db)
            .await?;
        let diary = crate::diary::service::entries_of_clients(db, clients.iter().copied()).await?;
        let outreach = outreach_attempt::Entity::find()
            .filter(outreach_attempt::Column::ClientId.is_in(clients.iter().copied()))
            .all(db)
            .await?;
        Ok(Jobs {
            names,
            all,
            diary,
            outreach,
            from,
            to,
        })
    }

    /// The jobs that started in the range.
    pub fn started(&self) -> Vec<&job_start::Model> {
        self.all
            .iter()
            .filter(|j| j.start_date >= self.from && j.start_date <= self.to)
            .collect()
    }

    /// A job's label in a series: the client's name and the job title.
    pub fn label(&self, j: &job_start::Model) -> String {
        format!(
            "{} — {}",
            self.names
                .get(&j.client_id)
                .map_or("client", String::as_str),
            j.title
        )
    }
}

/// `hits` as a percentage of `of`; none when there are no cases.
pub(super) fn share(hits: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| hits as f64 * 100.0 / of as f64)
}
