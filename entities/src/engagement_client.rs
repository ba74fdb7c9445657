//! The clients an engagement was on behalf of (naming a client to an employer needs consent).

use sea_orm::entity::prelude::*;

/// One row of `engagement_client`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "engagement_client")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub engagement_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
