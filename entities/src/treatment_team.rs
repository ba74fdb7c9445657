//! A team in the treatment service (a keyworkers' team at a site), served by one team of
//! employment specialists; specialists are attached to at most two.

use sea_orm::entity::prelude::*;

/// One row of `treatment_team`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "treatment_team")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// Lower-cased, whitespace-collapsed name: unique, and the sort key.
    pub name_key: String,
    /// The treatment service site.
    pub site: String,
    /// The team of employment specialists that serves it.
    pub team_id: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
