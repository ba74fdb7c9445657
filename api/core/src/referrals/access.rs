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

/// One referral, if `viewer` may see it; `None` alike for missing and out of reach. Its person's
/// details as [`redact`] leaves them.
pub async fn find_referral(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<referral::Model>, ApiError> {
    let found = ReferralScope::of(viewer)
        .apply(referral::Entity::find_by_id(id))
        .one(db)
        .await?;
    Ok(redact(db, viewer, found.into_iter().collect()).await?.pop())
}

/// What a referral says of the person once they are a client that the reader no longer reaches:
/// nothing but this. A referral stays in its team's sight after registration, but the person's
/// name and contact details then go only where the client does (`ClientScope`), as every
/// client name does; the keyworker who made it keeps what they wrote.
pub const OUT_OF_REACH_NAME: &str = "a client outside your reach";

/// Blanks the person's name, contact details and notes on registered referrals whose client
/// `viewer` does not reach now (the referring keyworker excepted). Every path that hands out
/// referrals passes through here.
pub async fn redact(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    mut rows: Vec<referral::Model>,
) -> Result<Vec<referral::Model>, ApiError> {
    let clients: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.keyworker_id != Some(viewer.id()))
        .filter_map(|r| r.client_id)
        .collect();
    let reached = crate::clients::access::ClientScope::of(viewer)
        .reached(db, clients)
        .await?;
    for r in &mut rows {
        if r.keyworker_id == Some(viewer.id()) {
            continue;
        }
        if let Some(client) = r.client_id
            && !reached.contains(&client)
        {
            r.person_name = OUT_OF_REACH_NAME.into();
            r.name_key = String::new();
            r.phone = None;
            r.email = None;
            r.contact_notes = None;
        }
    }
    Ok(rows)
}
