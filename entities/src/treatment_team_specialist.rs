//! A specialist attached to a treatment team (integrated with it: its meetings, its referrals).

use sea_orm::entity::prelude::*;

/// One row of `treatment_team_specialist`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "treatment_team_specialist")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub treatment_team_id: Uuid,
    pub specialist_id: Uuid,
    pub attached_at: DateTimeUtc,
    pub attached_by_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
