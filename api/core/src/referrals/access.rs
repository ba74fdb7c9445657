//! Who sees which referral, decided here for every query and mutation that touches one: a
//! keyworker the referrals they made; a specialist or team lead those from the treatment teams
//! their team serves; an admin none (a referral names a person in treatment). A referral out of
//! reach answers exactly like one that does not exist. Reaching a referral never reaches its
//! client: that goes through `clients::access`.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use entities::{referral, treatment_team};

use crate::access::{Role, Viewer};
use crate::error::ApiError;

/// The referrals one member of staff may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferralScope {
    /// None.
    Nobody,
    /// Those this keyworker made.
    MadeBy(Uuid),
    /// Those from the treatment teams this team of specialists serves.
    ServedBy(Uuid),
}

impl ReferralScope {
    /// The scope of `viewer`'s role and team, as the database holds them now.
    pub fn of(viewer: &Viewer) -> Self {
        match (viewer.role, viewer.staff.team_id) {
            (Role::Keyworker, _) => ReferralScope::MadeBy(viewer.id()),
            (Role::Specialist | Role::TeamLead, Some(team)) => ReferralScope::ServedBy(team),
            (Role::Specialist | Role::TeamLead, None) | (Role::Admin, _) => ReferralScope::Nobody,
        }
    }

    /// A condition on `referral` rows that holds for exactly the ones in scope.
    pub fn condition(&self) -> Condition {
        match self {
            ReferralScope::Nobody => Condition::all().add(Expr::cust("1 = 0")),
            ReferralScope::MadeBy(keyworker) => {
                Condition::all().add(referral::Column::KeyworkerId.eq(*keyworker))
            }
            ReferralScope::ServedBy(team) => Condition::all().add(
                referral::Column::TreatmentTeamId.in_subquery(
                    Query::select()
                        .column(treatment_team::Column::Id)
                        .from(treatment_team::Entity)
                        .and_where(treatment_team::Column::TeamId.eq(*team))
                        .to_owned(),
                ),
            ),
        }
    }

    /// Narrows a referral query to the rows in scope.
    pub fn apply(&self, select: Select<referral::Entity>) -> Select<referral::Entity> {
        select.filter(self.condition())
    }
}

/// One referral, if `viewer` may see it; `None` alike for missing and out of reach.
pub async fn find_referral(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<referral::Model>, ApiError> {
    Ok(ReferralScope::of(viewer)
        .apply(referral::Entity::find_by_id(id))
        .one(db)
        .await?)
}
