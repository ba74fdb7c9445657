//! Who may reach which client, decided here and applied to every query that touches clients: a
//! specialist reaches the clients on their current caseload, a team lead the clients of their team,
//! an admin or a keyworker none (admins manage staff, not people in treatment; keyworkers see only
//! what a client agreed to share with them). A client out of reach is treated
//! exactly like one that does not exist.

use std::collections::HashSet;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select,
};
use uuid::Uuid;

use entities::{caseload_assignment, client};

use crate::access::{Role, Viewer};
use crate::error::ApiError;

/// The clients one member of staff may reach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientScope {
    /// None at all.
    Nobody,
    /// Those currently assigned to this specialist.
    Caseload(Uuid),
    /// Those belonging to these teams.
    Teams(Vec<Uuid>),
}

impl ClientScope {
    /// The scope of `viewer`'s role and relationships, as the database holds them now.
    pub fn of(viewer: &Viewer) -> Self {
        match viewer.role {
            // Keyworkers reach no client: what they may see of the people they referred goes
            // through the keyworker consent (`consent::keyworker`), never a client object.
            Role::Admin | Role::Keyworker => ClientScope::Nobody,
            Role::Specialist => ClientScope::Caseload(viewer.id()),
            Role::TeamLead => ClientScope::Teams(viewer.staff.team_id.into_iter().collect()),
        }
    }

    /// A condition on `client` rows that holds for exactly the reachable ones.
    pub fn condition(&self) -> Condition {
        match self {
            ClientScope::Nobody => Condition::all().add(Expr::cust("1 = 0")),
            ClientScope::Caseload(specialist) => Condition::all().add(
                client::Column::Id.in_subquery(
                    Query::select()
                        .column(caseload_assignment::Column::ClientId)
                        .from(caseload_assignment::Entity)
                        .and_where(caseload_assignment::Column::SpecialistId.eq(*specialist))
                        .and_where(caseload_assignment::Column::AssignedTo.is_null())
                        .to_owned(),
                ),
            ),
            ClientScope::Teams(teams) => {
                Condition::all().add(client::Column::TeamId.is_in(teams.iter().copied()))
            }
        }
    }

    /// Narrows a client query to the reachable rows.
    pub fn apply(&self, select: Select<client::Entity>) -> Select<client::Entity> {
        select.filter(self.condition())
    }

    /// Of `ids`, the clients this scope reaches now. Work may be *counted* by assignment history
    /// (a measure, an outcome), but a client object, name or reference goes only to a caller who
    /// reaches the client now: every such path filters through here.
    pub async fn reached(
        &self,
        db: &impl ConnectionTrait,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<HashSet<Uuid>, ApiError> {
        let ids: HashSet<Uuid> = ids.into_iter().collect();
        if ids.is_empty() || *self == ClientScope::Nobody {
            return Ok(HashSet::new());
        }
        let mut reached = HashSet::new();
        let ids: Vec<Uuid> = ids.into_iter().collect();
        // Bounded IN lists: SQLite allows some thousands of parameters per statement.
        for chunk in ids.chunks(500) {
            let rows: Vec<Uuid> = self
                .apply(client::Entity::find())
                .filter(client::Column::Id.is_in(chunk.iter().copied()))
                .select_only()
                .column(client::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
            reached.extend(rows);
        }
        Ok(reached)
    }
}

/// One client, if `viewer` may reach them; `None` alike for missing and out of reach.
pub async fn find_client(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<client::Model>, ApiError> {
    Ok(ClientScope::of(viewer)
        .apply(client::Entity::find_by_id(id))
        .one(db)
        .await?)
}
