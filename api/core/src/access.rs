//! Who is calling: a member of staff as the database knows them now ([`Viewer`]) and what their
//! [`Role`] lets them do. Tokens are the HTTP edge's business; every rule starts from a `Viewer`.

use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use crate::error::ApiError;

/// What a member of staff may do. Read from the database, never trusted from the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum Role {
    /// Manages teams, staff and configuration; sees no client data.
    Admin,
    /// Leads one team of specialists and sees their work.
    TeamLead,
    /// An employment specialist working a caseload and employer relationships.
    Specialist,
    /// A treatment team's keyworker: refers clients and sees their referrals, and a referred
    /// client's progress where the client agreed; nothing else (`keyworker_fence`).
    Keyworker,
}

impl Role {
    /// The value stored in the database.
    pub fn as_db(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::TeamLead => "TEAM_LEAD",
            Role::Specialist => "SPECIALIST",
            Role::Keyworker => "KEYWORKER",
        }
    }

    /// Reads a stored value.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "ADMIN" => Some(Role::Admin),
            "TEAM_LEAD" => Some(Role::TeamLead),
            "SPECIALIST" => Some(Role::Specialist),
            "KEYWORKER" => Some(Role::Keyworker),
            _ => None,
        }
    }

    /// The command-line spelling: `admin`, `team-lead`, `specialist`, `keyworker`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::TeamLead => "team-lead",
            Role::Specialist => "specialist",
            Role::Keyworker => "keyworker",
        }
    }

    /// Parses a command-line spelling: `admin`, `team-lead`/`team_lead`, `specialist`, `keyworker`.
    pub fn parse_cli(value: &str) -> Option<Self> {
        Self::from_db(&value.trim().replace('-', "_").to_ascii_uppercase())
    }
}

/// The authenticated caller of one request, as the database knows them now.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// Their staff record.
    pub staff: entities::staff::Model,
    /// Their role.
    pub role: Role,
}

impl Viewer {
    /// The caller's staff id.
    pub fn id(&self) -> Uuid {
        self.staff.id
    }
}

/// The member of staff `staff_id` names, if active, as the database holds them now.
pub async fn active_staff(db: &DatabaseConnection, staff_id: Uuid) -> Result<Viewer, ApiError> {
    let staff = entities::staff::Entity::find_by_id(staff_id)
        .one(db)
        .await?
        .filter(|s| s.active)
        .ok_or_else(|| {
            tracing::info!(%staff_id, "refused a token for an unknown or deactivated staff member");
            ApiError::Unauthenticated
        })?;
    let role = Role::from_db(&staff.role).ok_or_else(|| {
        ApiError::internal(anyhow::anyhow!("staff {} has unknown role", staff.id))
    })?;
    Ok(Viewer { staff, role })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_role_spellings() {
        assert_eq!(Role::parse_cli("team-lead"), Some(Role::TeamLead));
        assert_eq!(Role::parse_cli("Specialist"), Some(Role::Specialist));
        assert_eq!(Role::parse_cli("boss"), None);
        for role in [
            Role::Admin,
            Role::TeamLead,
            Role::Specialist,
            Role::Keyworker,
        ] {
            assert_eq!(Role::parse_cli(role.cli_name()), Some(role));
        }
    }
}
