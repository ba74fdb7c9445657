//! Rules and queries for teams and staff.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Order,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use entities::{staff, team};

use super::inputs::{
    StaffCreateInput, StaffDeactivateInput, StaffFilter, StaffUpdateInput, TeamCreateInput,
};
use crate::access::Role;
use crate::audit::{self, AuditAction, AuditEntry};
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, Kind};
use crate::pagination::{KeyKind, Keyset, Page, PageArgs, SortValue, fetch_page};
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

/// A team by id.
pub async fn find_team(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<team::Model>, ApiError> {
    Ok(team::Entity::find_by_id(id).one(db).await?)
}

/// A member of staff by id (active or not).
pub async fn find_staff(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<staff::Model>, ApiError> {
    Ok(staff::Entity::find_by_id(id).one(db).await?)
}

/// Members of staff by id (active or not).
pub async fn staff_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<staff::Model>, ApiError> {
    Ok(staff::Entity::find()
        .filter(staff::Column::Id.is_in(ids))
        .all(db)
        .await?)
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
        kind: KeyKind::Text,
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
        kind: KeyKind::Text,
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
    db: &impl ConnectionTrait,
    checks: &mut Checks,
    team: Option<&str>,
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

/// Adds a member of staff; team leads and specialists belong to a team, keyworkers to a treatment
/// team.
pub async fn create_staff(
    db: &DatabaseConnection,
    input: StaffCreateInput,
) -> Result<staff::Model, ServiceError> {
    let mut checks = Checks::new();
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let email = checks.required_email("email", &input.email);
    check_fte(&mut checks, input.fte);
    let team_id = resolve_team(db, &mut checks, input.team_id.as_deref()).await?;
    let works_in_a_team = matches!(input.role, Role::TeamLead | Role::Specialist);
    if works_in_a_team && input.team_id.is_none() {
        checks.fail(
            "teamId",
            UserErrorCode::Required,
            "team leads and specialists need a team",
        );
    }
    if input.role == Role::Keyworker && input.team_id.is_some() {
        checks.fail(
            "teamId",
            UserErrorCode::Invalid,
            "a keyworker belongs to a treatment team, not a team of specialists",
        );
    }
    let treatment_team_id = match (&input.treatment_team_id, input.role) {
        (Some(id), Role::Keyworker) => {
            let found = match ids::decode_as(id, Kind::TreatmentTeam) {
                Some(uuid) => crate::referrals::service::find_treatment_team(db, uuid).await?,
                None => None,
            };
            if found.is_none() {
                checks.fail(
                    "treatmentTeamId",
                    UserErrorCode::NotFound,
                    "no such treatment team",
                );
            }
            found.map(|t| t.id)
        }
        (None, Role::Keyworker) => {
            checks.fail(
                "treatmentTeamId",
                UserErrorCode::Required,
                "a keyworker needs a treatment team",
            );
            None
        }
        (Some(_), _) => {
            checks.fail(
                "treatmentTeamId",
                UserErrorCode::Invalid,
                "only keyworkers belong to a treatment team",
            );
            None
        }
        (None, _) => None,
    };
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
        treatment_team_id: Set(treatment_team_id),
    };
    row.insert(db).await.map_err(duplicate_email)
}

async fn locked_member(db: &impl ConnectionTrait, id: &str) -> Result<staff::Model, ServiceError> {
    // Locked for the change (PostgreSQL): a client put on their caseload at the same moment waits,
    // or is refused once this lands (see `clients::service::still_holds_caseloads`).
    let found = match ids::decode_as(id, Kind::Staff) {
        Some(id) => {
            crate::db::locked(
                staff::Entity::find_by_id(id),
                db.get_database_backend(),
                true,
            )
            .one(db)
            .await?
        }
        None => None,
    };
    found
        .ok_or_else(|| ServiceError::user("id", UserErrorCode::NotFound, "no such member of staff"))
}

/// Changes name, role, team or FTE, refusing a stale version. No one changes their own role or
/// team; every role or team change is audited (who, from, to). Someone who holds clients keeps
/// their role and team until their caseload is reassigned — or handed over here (`handOverTo`),
/// recorded as reassignments — since a caseload is what reaches clients.
pub async fn update_staff(
    db: &DatabaseConnection,
    caller: Uuid,
    input: StaffUpdateInput,
) -> Result<staff::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = locked_member(&txn, &input.id).await?;
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
    let mut team_after = current.team_id;
    if input.team_id.is_some() {
        team_after = resolve_team(&txn, &mut checks, input.team_id.as_deref()).await?;
        row.team_id = Set(team_after);
    }
    let role_before = Role::from_db(&current.role);
    let role = input.role.or(role_before);
    if role != role_before
        && (role == Some(Role::Keyworker) || role_before == Some(Role::Keyworker))
    {
        checks.fail(
            "role",
            UserErrorCode::Invalid,
            "a keyworker's account is of another kind: create one rather than change a role",
        );
    }
    if role == Some(Role::Keyworker) && input.team_id.is_some() {
        checks.fail(
            "teamId",
            UserErrorCode::Invalid,
            "a keyworker belongs to a treatment team, not a team of specialists",
        );
    }
    if matches!(role, Some(Role::TeamLead | Role::Specialist)) && team_after.is_none() {
        checks.fail(
            "teamId",
            UserErrorCode::Required,
            "team leads and specialists need a team",
        );
    }
    let role_changes = role != role_before;
    let team_changes = input.team_id.is_some() && team_after != current.team_id;
    if current.id == caller && role_changes {
        checks.fail(
            "role",
            UserErrorCode::Invalid,
            "you cannot change your own role",
        );
    }
    if current.id == caller && team_changes {
        checks.fail(
            "teamId",
            UserErrorCode::Invalid,
            "you cannot change your own team",
        );
    }
    let hand_over_to = match &input.hand_over_to {
        Some(id) => find_successor(&txn, &mut checks, id, current.id).await?,
        None => None,
    };
    checks.finish()?;
    if input.version != current.version {
        return Err(ServiceError::stale_version());
    }
    if role_changes || team_changes {
        let why = if team_changes {
            "moved to another team"
        } else {
            "changed role"
        };
        release_caseload(&txn, &current, hand_over_to.as_ref(), caller, why).await?;
        // Attachments to treatment teams belong to the team and role left behind.
        crate::referrals::service::detach_all(&txn, current.id).await?;
    }
    row.version = Set(current.version + 1);
    let result = staff::Entity::update_many()
        .set(row)
        .filter(staff::Column::Id.eq(current.id))
        .filter(staff::Column::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    if role_changes || team_changes {
        let detail = format!(
            "staff {}: role {} -> {}; team {} -> {}",
            current.id,
            current.role,
            role.map_or("?", Role::as_db),
            current
                .team_id
                .map_or_else(|| "none".to_string(), |t| t.to_string()),
            team_after.map_or_else(|| "none".to_string(), |t| t.to_string()),
        );
        audit_change(&txn, caller, &detail).await?;
    }
    let saved = reload(&txn, current.id).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Audits a change of someone's role, team or standing (`detail`: who, from, to).
async fn audit_change(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    detail: &str,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        AuditEntry {
            actor_id: actor,
            action: AuditAction::StaffChange,
            client_id: None,
            purpose: None,
            detail,
        },
    )
    .await
}

/// The specialist named to take over a caseload: active, a specialist, not the one leaving.
async fn find_successor(
    conn: &impl ConnectionTrait,
    checks: &mut Checks,
    id: &str,
    leaving: Uuid,
) -> Result<Option<staff::Model>, ServiceError> {
    let found = match ids::decode_as(id, Kind::Staff) {
        Some(uuid) => staff::Entity::find_by_id(uuid).one(conn).await?,
        None => None,
    };
    match found {
        Some(s) if s.active && s.role == Role::Specialist.as_db() && s.id != leaving => Ok(Some(s)),
        Some(_) => {
            checks.fail(
                "handOverTo",
                UserErrorCode::Invalid,
                "hand the caseload to another active specialist",
            );
            Ok(None)
        }
        None => {
            checks.fail(
                "handOverTo",
                UserErrorCode::NotFound,
                "no such member of staff",
            );
            Ok(None)
        }
    }
}

/// Before `member` loses the standing their caseload rests on: hands it to `successor`, or refuses
/// saying how many clients they hold.
async fn release_caseload(
    conn: &impl ConnectionTrait,
    member: &staff::Model,
    successor: Option<&staff::Model>,
    actor: Uuid,
    why: &str,
) -> Result<(), ServiceError> {
    let held = crate::clients::service::open_caseload(conn, member.id).await?;
    if held.is_empty() {
        return Ok(());
    }
    match successor {
        Some(to) => {
            let reason = format!("caseload handed over: {} {why}", member.name);
            crate::clients::service::hand_over_caseload(
                conn,
                member.id,
                to,
                actor,
                &reason,
                "handOverTo",
            )
            .await?;
            Ok(())
        }
        None => Err(ServiceError::user(
            "handOverTo",
            UserErrorCode::Invalid,
            format!(
                "{} holds {} client(s): reassign their caseload first, or name a specialist in handOverTo",
                member.name,
                held.len()
            ),
        )),
    }
}

async fn reload(conn: &impl ConnectionTrait, id: Uuid) -> Result<staff::Model, ServiceError> {
    staff::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("staff {id} vanished")).into())
}

/// Deactivates a member of staff; their tokens are refused from the next request on, and open
/// WebSockets close. Someone who holds clients is deactivated only once their caseload is
/// reassigned or handed over here (`handOverTo`). Audited.
pub async fn deactivate_staff(
    db: &DatabaseConnection,
    caller: Uuid,
    input: StaffDeactivateInput,
) -> Result<staff::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = locked_member(&txn, &input.id).await?;
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
    let mut checks = Checks::new();
    let hand_over_to = match &input.hand_over_to {
        Some(id) => find_successor(&txn, &mut checks, id, current.id).await?,
        None => None,
    };
    checks.finish()?;
    release_caseload(
        &txn,
        &current,
        hand_over_to.as_ref(),
        caller,
        "was deactivated",
    )
    .await?;
    let mut row: staff::ActiveModel = current.clone().into();
    row.active = Set(false);
    row.deactivated_at = Set(Some(now()));
    row.version = Set(current.version + 1);
    let saved = row.update(&txn).await?;
    audit_change(
        &txn,
        caller,
        &format!("staff {}: active -> deactivated", current.id),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
