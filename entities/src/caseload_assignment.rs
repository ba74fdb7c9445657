//! Which specialist supports a client, and when. The open assignment (no end) is the current one;
//! reassigning closes it and opens another, so the history stays.

use sea_orm::entity::prelude::*;

/// One row of `caseload_assignment`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "caseload_assignment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub specialist_id: Uuid,
    pub assigned_from: DateTimeUtc,
    pub assigned_to: Option<DateTimeUtc>,
    pub reason: Option<String>,
    pub assigned_by_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
