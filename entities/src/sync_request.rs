//! A sync call made with an idempotency key: its answer is kept so a retried call gets the first
//! call's result instead of being applied again.

use sea_orm::entity::prelude::*;

/// One row of `sync_request`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub integrator_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub idempotency_key: String,
    /// `vacanciesUpsert` or `employersUpsert`.
    pub operation: String,
    /// SHA-256 of the call's arguments: the same key with other arguments is refused.
    pub request_hash: String,
    /// The first call's result, as JSON.
    pub response: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
