//! A team of employment specialists, usually one per treatment service site.

use sea_orm::entity::prelude::*;

/// One row of `team`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "team")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// Lower-cased, whitespace-collapsed name: unique, and the sort key.
    pub name_key: String,
    /// The treatment service site the team works in.
    pub site: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
