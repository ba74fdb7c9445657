//! Per-request batch loaders, so a page of 100 employers costs a handful of queries, not hundreds.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use uuid::Uuid;

use entities::{employer, employer_contact, employer_location, staff, team, treatment_team};

use crate::error::ApiError;

/// Loads rows of one table by primary key.
pub struct RowsById<E: EntityTrait> {
    db: DatabaseConnection,
    id: E::Column,
    id_of: fn(&E::Model) -> Uuid,
}

impl<E> Loader<Uuid> for RowsById<E>
where
    E: EntityTrait + Send + Sync,
    E::Model: Clone + Send + Sync,
    E::Column: Send + Sync,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, Self::Error> {
        let rows = ipsmatch_core::db::rows_by_ids::<E>(&self.db, self.id, keys).await?;
        Ok(rows.into_iter().map(|r| ((self.id_of)(&r), r)).collect())
    }
}

/// Loads the rows of a child table grouped by their parent's id, in `order` order.
pub struct RowsByParent<E: EntityTrait> {
    db: DatabaseConnection,
    parent: E::Column,
    order: E::Column,
    parent_of: fn(&E::Model) -> Uuid,
}

impl<E> Loader<Uuid> for RowsByParent<E>
where
    E: EntityTrait + Send + Sync,
    E::Model: Clone + Send + Sync,
    E::Column: Send + Sync,
{
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<E::Model>>, Self::Error> {
        let rows =
            ipsmatch_core::db::rows_by_parent::<E>(&self.db, self.parent, self.order, keys).await?;
        let mut grouped: HashMap<Uuid, Vec<E::Model>> = HashMap::new();
        for row in rows {
            grouped.entry((self.parent_of)(&row)).or_default().push(row);
        }
        Ok(grouped)
    }
}

/// The loaders of one request.
pub struct Loaders {
    /// Staff by id.
    pub staff: DataLoader<RowsById<staff::Entity>>,
    /// Teams by id.
    pub teams: DataLoader<RowsById<team::Entity>>,
    /// Treatment teams by id.
    pub treatment_teams: DataLoader<RowsById<treatment_team::Entity>>,
    /// Employers by id.
    pub employers: DataLoader<RowsById<employer::Entity>>,
    /// Employer contacts by id.
    pub contacts: DataLoader<RowsById<employer_contact::Entity>>,
    /// Contacts of each employer.
    pub contacts_of_employer: DataLoader<RowsByParent<employer_contact::Entity>>,
    /// Locations of each employer.
    pub locations_of_employer: DataLoader<RowsByParent<employer_location::Entity>>,
}

impl Loaders {
    /// Fresh loaders (with empty caches) for one request.
    pub fn new(db: &DatabaseConnection) -> Self {
        fn by_id<E: EntityTrait + Send + Sync>(
            db: &DatabaseConnection,
            id: E::Column,
            id_of: fn(&E::Model) -> Uuid,
        ) -> DataLoader<RowsById<E>>
        where
            E::Model: Clone + Send + Sync,
            E::Column: Send + Sync,
        {
            DataLoader::new(
                RowsById {
                    db: db.clone(),
                    id,
                    id_of,
                },
                tokio::spawn,
            )
        }
        Self {
            staff: by_id(db, staff::Column::Id, |r: &staff::Model| r.id),
            teams: by_id(db, team::Column::Id, |r: &team::Model| r.id),
            treatment_teams: by_id(
                db,
                treatment_team::Column::Id,
                |r: &treatment_team::Model| r.id,
            ),
            employers: by_id(db, employer::Column::Id, |r: &employer::Model| r.id),
            contacts: by_id(
                db,
                employer_contact::Column::Id,
                |r: &employer_contact::Model| r.id,
            ),
            contacts_of_employer: DataLoader::new(
                RowsByParent {
                    db: db.clone(),
                    parent: employer_contact::Column::EmployerId,
                    order: employer_contact::Column::Name,
                    parent_of: |r: &employer_contact::Model| r.employer_id,
                },
                tokio::spawn,
            ),
            locations_of_employer: DataLoader::new(
                RowsByParent {
                    db: db.clone(),
                    parent: employer_location::Column::EmployerId,
                    order: employer_location::Column::Position,
                    parent_of: |r: &employer_location::Model| r.employer_id,
                },
                tokio::spawn,
            ),
        }
    }
}

/// The request's loaders.
pub fn loaders<'a>(ctx: &async_graphql::Context<'a>) -> Result<&'a Loaders, ApiError> {
    ctx.data::<Loaders>()
        .map_err(|_| ApiError::internal(anyhow::anyhow!("request has no loaders")))
}

/// A row that a NOT NULL key points at is gone (the database was edited by hand): an internal
/// error, logged, rather than a null the schema promises never to send.
pub fn missing_row(what: &str) -> async_graphql::Error {
    ApiError::internal(anyhow::anyhow!("{what} is missing")).into()
}

/// Turns a loader failure into an internal error.
pub fn load_failed(err: Arc<DbErr>) -> ApiError {
    ApiError::internal(anyhow::anyhow!("batch load failed: {err}"))
}
