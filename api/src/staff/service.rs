//! Rules and queries for teams and staff.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use entities::{staff, team};

use super::types::{
    StaffCreateInput, StaffDeactivateInput, StaffFilter, StaffUpdateInput, TeamCreateInput,
};
use crate::auth::Role;
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, Kind};
use crate::pagination::{Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::validate::{Checks, SHORT_TEXT, name_key};

/// Creates a team with a unique name.
pub async fn create_team(
    db: &DatabaseConnection,
    input: TeamCreateInput,
) -> Result<team::Model, ServiceError> {
    let mut checks = Checks::new();
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let site = checks.required_text("site", &input.site, SHORT_TEXT);
    checks.finish()?;
    let row = team::ActiveModel {
        id: Set(Uuid::now_v7()),
        name_key: Set(name_key(&name)),
        name: Set(name),
        site: Set(site),
        created_at: Set(now()),
    };
    row.insert(db).await.map_err(|e| {
        if is_unique_violation(&e) {
            ServiceError::user(
                "name",
                UserErrorCode::Duplicate,
                "a team with this name exists",
            )
        } else {
            e.into()
        }
    })
}

/// Active members of a team, by name.
pub async fn active_members(
    db: &DatabaseConnection,
    team_id: Uuid,
) -> Result<Vec<staff::Model>, ApiError> {
    Ok(staff::Entity::find()
        .filter(staff::Column::TeamId.eq(team_id))
        .filter(staff::Column::Active.eq(true))
        .order_by_asc(staff::Column::Name)
        .all(db)
        .await?)
}

/// One page of teams by name.
pub async fn list_teams(
    db: &DatabaseConnection,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<team::Model>, ApiError> {
    let keyset = Keyset {
        sort: team::Column::NameKey,
        id: team::Column::Id,
        order: Order::Asc,
        time_keyed: false,
        key_of: |r: &team::Model| (SortValue::Text(r.name_key.clone()), r.id),
    };
    fetch_page(db, team::Entity::find(), &keyset, args, want_total).await
}

/// One page of staff by e-mail (which is unique and, for most services, follows the name).
pub async fn list_staff(
    db: &DatabaseConnection,
    filter: &StaffFilter,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<staff::Model>, ApiError> {
    let mut select = staff::Entity::find();
    if let Some(team) = &filter.team_id {
        // An id that is not a team matches nothing, like a team with no members.
        let team_id = ids::decode_as(team, Kind::Team).unwrap_or_else(Uuid::nil);
        select = select.filter(staff::Column::TeamId.eq(team_id));
    }
    if let Some(roles) = &filter.roles {
        select = select.filter(staff::Column::Role.is_in(roles.iter().map(|r| r.as_db())));
    }
    if !filter.include_inactive {
        select = select.filter(staff::Column::Active.eq(true));
    }
    let keyset = Keyset {
        sort: staff::Column::Email,
        id: staff::Column::Id,
        order: Order::Asc,
        time_keyed: false,
        key_of: |r: &staff::Model| (SortValue::Text(r.email.clone()), r.id),
    };
    fetch_page(db, select, &keyset, args, want_total).await
}

fn check_fte(checks: &mut Checks, fte: f64) {
    if !(fte > 0.0 && fte <= 1.0) {
        checks.fail(
            "fte",
            UserErrorCode::Invalid,
            "fte must be greater than 0 and at most 1",
        );
    }
}

async fn resolve_team(
    db: &DatabaseConnection,
    checks: &mut Checks,
    team: Option<&async_graphql::ID>,
) -> Result<Option<Uuid>, ServiceError> {
    let Some(team) = team else {
        return Ok(None);
    };
    let found = match ids::decode_as(team, Kind::Team) {
        Some(id) => team::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    match found {
        Some(t) => Ok(Some(t.id)),
        None => {
            checks.fail("teamId", UserErrorCode::NotFound, "no such team");
            Ok(None)
        }
    }
}

fn duplicate_email(e: sea_orm::DbErr) -> ServiceError {
    if is_unique_violation(&e) {
        ServiceError::user(
            "email",
            UserErrorCode::Duplicate,
            "a member of staff has this e-mail address",
        )
    } else {
        e.into()
    }
}

/// Adds a member of staff; team leads and specialists belong to a team.
pub async fn create_staff(
    db: &DatabaseConnection,
    input: StaffCreateInput,
) -> Result<staff::Model, ServiceError> {
    let mut checks = Checks::new();
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let email = checks.required_email("email", &input.email);
    check_fte(&mut checks, input.fte);
    let team_id = resolve_team(db, &mut checks, input.team_id.as_ref()).await?;
    if input.role != Role::Admin && input.team_id.is_none() {
        checks.fail(
            "teamId",
            UserErrorCode::Required,
            "team leads and specialists need a team",
        );
    }
    checks.finish()?;
    let row = staff::ActiveModel {
        id: Set(Uuid::now_v7()),
        team_id: Set(team_id),
        name: Set(name),
        email: Set(email),
        role: Set(input.role.as_db().into()),
        fte: Set(input.fte),
        active: Set(true),
        created_at: Set(now()),
        deactivated_at: Set(None),
        version: Set(1),
    };
    row.insert(db).await.map_err(duplicate_email)
}

async fn find_staff(
    db: &DatabaseConnection,
    id: &async_graphql::ID,
) -> Result<staff::Model, ServiceError> {
    let found = match ids::decode_as(id, Kind::Staff) {
        Some(id) => staff::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    found
        .ok_or_else(|| ServiceError::user("id", UserErrorCode::NotFound, "no such member of staff"))
}

/// Changes name, role, team or FTE, refusing a stale version.
pub async fn update_staff(
    db: &DatabaseConnection,
    input: StaffUpdateInput,
) -> Result<staff::Model, ServiceError> {
    let current = find_staff(db, &input.id).await?;
    let mut checks = Checks::new();
    let mut row: staff::ActiveModel = current.clone().into();
    if let Some(name) = &input.name {
        row.name = Set(checks.required_text("name", name, SHORT_TEXT));
    }
    if let Some(fte) = input.fte {
        check_fte(&mut checks, fte);
        row.fte = Set(fte);
    }
    if let Some(role) = input.role {
        row.role = Set(role.as_db().into());
    }
    if input.team_id.is_some() {
        row.team_id = Set(resolve_team(db, &mut checks, input.team_id.as_ref()).await?);
    }
    let role = input.role.or_else(|| Role::from_db(&current.role));
    let team_after = input.team_id.is_some() || current.team_id.is_some();
    if role != Some(Role::Admin) && !team_after {
        checks.fail(
            "teamId",
            UserErrorCode::Required,
            "team leads and specialists need a team",
        );
    }
    checks.finish()?;
    if input.version != current.version {
        return Err(ServiceError::stale_version());
    }
    row.version = Set(current.version + 1);
    let result = staff::Entity::update_many()
        .set(row)
        .filter(staff::Column::Id.eq(current.id))
        .filter(staff::Column::Version.eq(current.version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    reload(db, current.id).await
}

async fn reload(db: &DatabaseConnection, id: Uuid) -> Result<staff::Model, ServiceError> {
    staff::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("staff {id} vanished")).into())
}

/// Deactivates a member of staff; their tokens are refused from the next request on.
pub async fn deactivate_staff(
    db: &DatabaseConnection,
    caller: Uuid,
    input: StaffDeactivateInput,
) -> Result<staff::Model, ServiceError> {
    let current = find_staff(db, &input.id).await?;
    if current.id == caller {
        return Err(ServiceError::user(
            "id",
            UserErrorCode::Invalid,
            "you cannot deactivate yourself",
        ));
    }
    if !current.active {
        return Ok(current);
    }
    let mut row: staff::ActiveModel = current.clone().into();
    row.active = Set(false);
    row.deactivated_at = Set(Some(now()));
    row.version = Set(current.version + 1);
    Ok(row.update(db).await?)
}
