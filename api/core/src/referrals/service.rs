//! Referral rules: treatment teams and the specialists attached to them (at most two teams each,
//! as the fidelity scale asks), and a referral's way from receipt to registration — which creates
//! the client in the same commit — or to a coded "not taken up". Every query goes through
//! [`ReferralScope`].

use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Order,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use entities::{referral, staff, team, treatment_team, treatment_team_specialist};

use super::access::{ReferralScope, find_referral};
use super::inputs::*;
use super::model::{ReferralState, ReferralStep};
use crate::access::{Role, Viewer};
use crate::clients::inputs::ClientRegisterInput;
use crate::clients::model::ReferralSource;
use crate::dates::Date;
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, GlobalId, Kind};
use crate::pagination::{KeyKind, Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::validate::{Checks, SHORT_TEXT, name_key};

/// How many treatment teams one specialist may be attached to (the scale's "one or two").
pub const MAX_TEAMS_PER_SPECIALIST: u64 = 2;

/// Longest contact note.
const CONTACT_NOTES: usize = 1_000;

fn not_found(field: &str, what: &str) -> ServiceError {
    ServiceError::user(field, UserErrorCode::NotFound, format!("no such {what}"))
}

/// Only admins and team leads shape treatment teams.
fn manages_treatment_teams(viewer: &Viewer) -> Result<(), ServiceError> {
    match viewer.role {
        Role::Admin | Role::TeamLead => Ok(()),
        Role::Specialist | Role::Keyworker => Err(ServiceError::Api(ApiError::Forbidden)),
    }
}

/// Creates a treatment team served by a team of specialists (a team lead's own by default).
pub async fn create_treatment_team(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: TreatmentTeamCreateInput,
) -> Result<treatment_team::Model, ServiceError> {
    manages_treatment_teams(viewer)?;
    let mut checks = Checks::new();
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let site = checks.required_text("site", &input.site, SHORT_TEXT);
    let named = match &input.team_id {
        Some(id) => match ids::decode_as(id, Kind::Team) {
            Some(uuid) => team::Entity::find_by_id(uuid).one(db).await?.map(|t| t.id),
            None => None,
        },
        None => viewer.staff.team_id,
    };
    let team_id = match (viewer.role, named) {
        (Role::TeamLead, Some(t)) if Some(t) == viewer.staff.team_id => Some(t),
        (Role::Admin, Some(t)) => Some(t),
        (Role::Admin, None) if input.team_id.is_none() => {
            checks.fail(
                "teamId",
                UserErrorCode::Required,
                "name the team of specialists that serves it",
            );
            None
        }
        _ => {
            checks.fail("teamId", UserErrorCode::NotFound, "no such team of yours");
            None
        }
    };
    checks.finish()?;
    let Some(team_id) = team_id else {
        return Err(not_found("teamId", "team"));
    };
    treatment_team::ActiveModel {
        id: Set(Uuid::now_v7()),
        name_key: Set(name_key(&name)),
        name: Set(name),
        site: Set(site),
        team_id: Set(team_id),
        created_at: Set(now()),
    }
    .insert(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ServiceError::user(
                "name",
                UserErrorCode::Duplicate,
                "a treatment team has this name",
            )
        } else {
            e.into()
        }
    })
}

/// A treatment team by id.
pub async fn find_treatment_team(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<treatment_team::Model>, ApiError> {
    Ok(treatment_team::Entity::find_by_id(id).one(db).await?)
}

/// One page of treatment teams by name; only those a team serves when `team` is given.
pub async fn list_treatment_teams(
    db: &DatabaseConnection,
    team: Option<Uuid>,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<treatment_team::Model>, ApiError> {
    let mut select = treatment_team::Entity::find();
    if let Some(team) = team {
        select = select.filter(treatment_team::Column::TeamId.eq(team));
    }
    let keyset = Keyset {
        sort: treatment_team::Column::NameKey,
        id: treatment_team::Column::Id,
        order: Order::Asc,
        kind: KeyKind::Text,
        key_of: |r: &treatment_team::Model| (SortValue::Text(r.name_key.clone()), r.id),
    };
    fetch_page(db, select, &keyset, args, want_total).await
}

/// The treatment teams of one team of specialists, by name.
pub async fn treatment_teams_served_by(
    db: &impl ConnectionTrait,
    team: Uuid,
) -> Result<Vec<treatment_team::Model>, ApiError> {
    Ok(treatment_team::Entity::find()
        .filter(treatment_team::Column::TeamId.eq(team))
        .order_by_asc(treatment_team::Column::NameKey)
        .all(db)
        .await?)
}

/// The specialists attached to a treatment team (active ones), by name.
pub async fn attached_specialists(
    db: &impl ConnectionTrait,
    treatment_team: Uuid,
) -> Result<Vec<staff::Model>, ApiError> {
    let attached = Query::select()
        .column(treatment_team_specialist::Column::SpecialistId)
        .from(treatment_team_specialist::Entity)
        .and_where(treatment_team_specialist::Column::TreatmentTeamId.eq(treatment_team))
        .to_owned();
    Ok(staff::Entity::find()
        .filter(staff::Column::Id.in_subquery(attached))
        .filter(staff::Column::Active.eq(true))
        .order_by_asc(staff::Column::Name)
        .all(db)
        .await?)
}

/// The treatment teams a specialist is attached to, by name.
pub async fn treatment_teams_of(
    db: &impl ConnectionTrait,
    specialist: Uuid,
) -> Result<Vec<treatment_team::Model>, ApiError> {
    let attached = Query::select()
        .column(treatment_team_specialist::Column::TreatmentTeamId)
        .from(treatment_team_specialist::Entity)
        .and_where(treatment_team_specialist::Column::SpecialistId.eq(specialist))
        .to_owned();
    Ok(treatment_team::Entity::find()
        .filter(treatment_team::Column::Id.in_subquery(attached))
        .order_by_asc(treatment_team::Column::NameKey)
        .all(db)
        .await?)
}

/// The attachments of these specialists to treatment teams (for the measures).
pub async fn attachments_of(
    db: &impl ConnectionTrait,
    specialists: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<treatment_team_specialist::Model>, ApiError> {
    Ok(treatment_team_specialist::Entity::find()
        .filter(treatment_team_specialist::Column::SpecialistId.is_in(specialists))
        .all(db)
        .await?)
}

/// The active keyworkers of a treatment team, by name.
pub async fn keyworkers_of(
    db: &impl ConnectionTrait,
    treatment_team: Uuid,
) -> Result<Vec<staff::Model>, ApiError> {
    Ok(staff::Entity::find()
        .filter(staff::Column::TreatmentTeamId.eq(treatment_team))
        .filter(staff::Column::Role.eq(Role::Keyworker.as_db()))
        .filter(staff::Column::Active.eq(true))
        .order_by_asc(staff::Column::Name)
        .all(db)
        .await?)
}

/// The treatment team `input` names and the specialist, both checked for an attach or detach by
/// `viewer` (an admin, or the lead of the specialist's team).
async fn pair(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    input: &TreatmentTeamSpecialistInput,
) -> Result<(treatment_team::Model, staff::Model), ServiceError> {
    manages_treatment_teams(viewer)?;
    let mut checks = Checks::new();
    let tt = match ids::decode_as(&input.treatment_team_id, Kind::TreatmentTeam) {
        Some(id) => find_treatment_team(db, id).await?,
        None => None,
    };
    let tt = tt.filter(|t| viewer.role == Role::Admin || Some(t.team_id) == viewer.staff.team_id);
    if tt.is_none() {
        checks.fail(
            "treatmentTeamId",
            UserErrorCode::NotFound,
            "no such treatment team served by your team",
        );
    }
    let specialist = match ids::decode_as(&input.specialist_id, Kind::Staff) {
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
    let specialist = specialist.filter(|s| {
        s.active
            && s.role == Role::Specialist.as_db()
            && tt.as_ref().is_some_and(|t| Some(t.team_id) == s.team_id)
    });
    if specialist.is_none() {
        checks.fail(
            "specialistId",
            UserErrorCode::NotFound,
            "no such active specialist in the team that serves this treatment team",
        );
    }
    checks.finish()?;
    match (tt, specialist) {
        (Some(t), Some(s)) => Ok((t, s)),
        _ => Err(not_found("specialistId", "specialist")),
    }
}

/// Attaches a specialist to a treatment team (at most [`MAX_TEAMS_PER_SPECIALIST`]); attaching
/// again changes nothing.
pub async fn attach_specialist(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: TreatmentTeamSpecialistInput,
) -> Result<treatment_team::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    // The specialist's row is locked by `pair`, so two attachments racing count one after the
    // other (SQLite's writers already queue).
    let (tt, specialist) = pair(&txn, viewer, &input).await?;
    let existing = treatment_team_specialist::Entity::find()
        .filter(treatment_team_specialist::Column::SpecialistId.eq(specialist.id))
        .all(&txn)
        .await?;
    if existing.iter().any(|a| a.treatment_team_id == tt.id) {
        return Ok(tt);
    }
    if existing.len() as u64 >= MAX_TEAMS_PER_SPECIALIST {
        return Err(ServiceError::user(
            "specialistId",
            UserErrorCode::Invalid,
            "a specialist is attached to at most two treatment teams: detach one first",
        ));
    }
    treatment_team_specialist::ActiveModel {
        id: Set(Uuid::now_v7()),
        treatment_team_id: Set(tt.id),
        specialist_id: Set(specialist.id),
        attached_at: Set(now()),
        attached_by_id: Set(viewer.id()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(tt)
}

/// Detaches a member of staff from every treatment team (their team or role changed).
pub async fn detach_all(conn: &impl ConnectionTrait, specialist: Uuid) -> Result<(), ApiError> {
    treatment_team_specialist::Entity::delete_many()
        .filter(treatment_team_specialist::Column::SpecialistId.eq(specialist))
        .exec(conn)
        .await?;
    Ok(())
}

/// Detaches a specialist from a treatment team; detaching one not attached changes nothing.
pub async fn detach_specialist(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: TreatmentTeamSpecialistInput,
) -> Result<treatment_team::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let (tt, specialist) = pair(&txn, viewer, &input).await?;
    treatment_team_specialist::Entity::delete_many()
        .filter(treatment_team_specialist::Column::SpecialistId.eq(specialist.id))
        .filter(treatment_team_specialist::Column::TreatmentTeamId.eq(tt.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(tt)
}

/// Checks a day against the referral's own and today: not in the future, not before `since`.
fn check_day(checks: &mut Checks, field: &str, on: Option<Date>, since: Option<Date>) -> Date {
    let today = crate::clock::today();
    let on = on.unwrap_or(Date(today));
    if on.0 > today {
        checks.fail(
            field,
            UserErrorCode::Invalid,
            "this cannot be in the future",
        );
    }
    if since.is_some_and(|since| on < since) {
        checks.fail(
            field,
            UserErrorCode::Invalid,
            "this cannot be before the referral (nor a first meeting before the first contact)",
        );
    }
    on
}

/// Records a referral: a keyworker's own (their treatment team, themselves as referrer), or one a
/// specialist or team lead records for a treatment team their team serves.
pub async fn create_referral(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ReferralCreateInput,
) -> Result<referral::Model, ServiceError> {
    let mut checks = Checks::new();
    let person_name = checks.required_text("personName", &input.person_name, SHORT_TEXT);
    let phone = checks.optional_text("phone", input.phone.as_deref(), SHORT_TEXT);
    let email = checks.optional_email("email", input.email.as_deref());
    let contact_notes = checks.optional_text(
        "contactNotes",
        input.contact_notes.as_deref(),
        CONTACT_NOTES,
    );
    let referred_on = check_day(&mut checks, "referredOn", input.referred_on, None);
    if referred_on.0 < crate::clock::today() - chrono::Duration::days(731) {
        checks.fail(
            "referredOn",
            UserErrorCode::Invalid,
            "a referral is recorded within two years of it",
        );
    }
    let named_team = match &input.treatment_team_id {
        Some(id) => match ids::decode_as(id, Kind::TreatmentTeam) {
            Some(uuid) => find_treatment_team(db, uuid).await?,
            None => None,
        },
        None => None,
    };
    let (treatment_team, keyworker) = match viewer.role {
        Role::Keyworker => {
            let own = viewer.staff.treatment_team_id;
            if input
                .treatment_team_id
                .as_ref()
                .is_some_and(|_| named_team.as_ref().map(|t| t.id) != own)
            {
                checks.fail(
                    "treatmentTeamId",
                    UserErrorCode::Invalid,
                    "a keyworker refers from their own treatment team",
                );
            }
            if input
                .keyworker_id
                .as_ref()
                .is_some_and(|id| ids::decode_as(id, Kind::Staff) != Some(viewer.id()))
            {
                checks.fail(
                    "keyworkerId",
                    UserErrorCode::Invalid,
                    "a keyworker refers as themselves",
                );
            }
            let own = match own {
                Some(id) => find_treatment_team(db, id).await?,
                None => None,
            };
            if own.is_none() {
                checks.fail(
                    "treatmentTeamId",
                    UserErrorCode::Invalid,
                    "you belong to no treatment team, so you cannot refer",
                );
            }
            (own, Some(viewer.id()))
        }
        Role::Specialist | Role::TeamLead => {
            let served = named_team.filter(|t| Some(t.team_id) == viewer.staff.team_id);
            if input.treatment_team_id.is_none() {
                checks.fail(
                    "treatmentTeamId",
                    UserErrorCode::Required,
                    "name the treatment team the referral came from",
                );
            } else if served.is_none() {
                checks.fail(
                    "treatmentTeamId",
                    UserErrorCode::NotFound,
                    "no such treatment team served by your team",
                );
            }
            let keyworker = match (&input.keyworker_id, &served) {
                (Some(id), Some(tt)) => {
                    let found = match ids::decode_as(id, Kind::Staff) {
                        Some(uuid) => staff::Entity::find_by_id(uuid).one(db).await?,
                        None => None,
                    };
                    match found {
                        Some(k)
                            if k.active
                                && k.role == Role::Keyworker.as_db()
                                && k.treatment_team_id == Some(tt.id) =>
                        {
                            Some(k.id)
                        }
                        _ => {
                            checks.fail(
                                "keyworkerId",
                                UserErrorCode::NotFound,
                                "no such keyworker in that treatment team",
                            );
                            None
                        }
                    }
                }
                _ => None,
            };
            (served, keyworker)
        }
        Role::Admin => return Err(ServiceError::Api(ApiError::Forbidden)),
    };
    checks.finish()?;
    let Some(treatment_team) = treatment_team else {
        return Err(not_found("treatmentTeamId", "treatment team"));
    };
    let at = now();
    Ok(referral::ActiveModel {
        id: Set(Uuid::now_v7()),
        treatment_team_id: Set(treatment_team.id),
        keyworker_id: Set(keyworker),
        recorded_by_id: Set(viewer.id()),
        referred_on: Set(referred_on.0),
        name_key: Set(name_key(&person_name)),
        person_name: Set(person_name),
        phone: Set(phone),
        email: Set(email),
        how_told: Set(input.how_told.as_db().into()),
        contact_preference: Set(input.contact_preference.as_db().into()),
        contact_notes: Set(contact_notes),
        state: Set(ReferralState::Received.as_db().into()),
        contacted_on: Set(None),
        first_meeting_on: Set(None),
        closed_on: Set(None),
        not_taken_up_reason: Set(None),
        client_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(db)
    .await?)
}

/// The open referral `id` names, for a specialist or team lead who sees it, checked against the
/// version they read.
async fn open_for_work(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: &GlobalId,
    version: i32,
) -> Result<referral::Model, ServiceError> {
    if !matches!(viewer.role, Role::Specialist | Role::TeamLead) {
        // Keyworkers refer; the IPS team takes a referral forward.
        return Err(ServiceError::Api(ApiError::Forbidden));
    }
    let found = match ids::decode_as(id, Kind::Referral) {
        Some(uuid) => find_referral(conn, viewer, uuid).await?,
        None => None,
    };
    let found = found.ok_or_else(|| not_found("id", "referral"))?;
    if found.version != version {
        return Err(ServiceError::stale_version());
    }
    if !ReferralState::from_db(&found.state)?.is_open() {
        return Err(ServiceError::user(
            "id",
            UserErrorCode::Invalid,
            "this referral is already closed",
        ));
    }
    Ok(found)
}

/// The day of the latest step a referral has taken (closing comes no earlier).
fn latest_step(r: &referral::Model) -> chrono::NaiveDate {
    [Some(r.referred_on), r.contacted_on, r.first_meeting_on]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(r.referred_on)
}

/// Writes `row` if the stored version is still `version`.
async fn save(
    conn: &impl ConnectionTrait,
    mut row: referral::ActiveModel,
    id: Uuid,
    version: i32,
) -> Result<referral::Model, ServiceError> {
    row.version = Set(version + 1);
    row.updated_at = Set(now());
    let result = referral::Entity::update_many()
        .set(row)
        .filter(referral::Column::Id.eq(id))
        .filter(referral::Column::Version.eq(version))
        .exec(conn)
        .await?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    referral::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("id", "referral"))
}

/// Moves an open referral forward to contacted or first meeting (a first meeting also dates the
/// contact, when none was recorded).
pub async fn advance_referral(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ReferralAdvanceInput,
) -> Result<referral::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = open_for_work(&txn, viewer, &input.id, input.version).await?;
    let state = ReferralState::from_db(&current.state)?;
    let mut checks = Checks::new();
    // A first meeting comes no earlier than the first contact, which comes no earlier than the
    // referral.
    let since = match input.step {
        ReferralStep::FirstMeeting => current.contacted_on.unwrap_or(current.referred_on),
        ReferralStep::Contacted => current.referred_on,
    };
    let on = check_day(&mut checks, "on", input.on, Some(Date(since)));
    let next = input.step.state();
    if !state.may_move_to(next) {
        checks.fail(
            "step",
            UserErrorCode::Invalid,
            "a referral only moves forward",
        );
    }
    checks.finish()?;
    let mut row: referral::ActiveModel = current.clone().into();
    row.state = Set(next.as_db().into());
    if current.contacted_on.is_none() {
        row.contacted_on = Set(Some(on.0));
    }
    if input.step == ReferralStep::FirstMeeting {
        row.first_meeting_on = Set(Some(on.0));
    }
    let saved = save(&txn, row, current.id, current.version).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Registers the referred person as a client (on the caller's caseload, or the specialist a team
/// lead names), links the referral to them and closes it, in one commit. The client is registered
/// as every client is (`clients::service::register_client`'s rules): nothing about readiness,
/// substance use or history is asked.
pub async fn register_referral(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ReferralRegisterInput,
) -> Result<(referral::Model, entities::client::Model), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = open_for_work(&txn, viewer, &input.id, input.version).await?;
    let mut checks = Checks::new();
    let on = check_day(
        &mut checks,
        "on",
        input.on,
        Some(Date(latest_step(&current))),
    );
    checks.finish()?;
    let keyworker = match current.keyworker_id {
        Some(id) => staff::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    };
    let client = crate::clients::service::register_within(
        &txn,
        viewer,
        ClientRegisterInput {
            name: current.person_name.clone(),
            phone: current.phone.clone(),
            email: current.email.clone(),
            town: input.town,
            postcode: input.postcode,
            referral_date: Date(current.referred_on),
            referral_source: ReferralSource::TreatmentKeyworker,
            employment_at_referral: input.employment_at_referral,
            keyworker_name: keyworker.as_ref().map(|k| k.name.clone()),
            keyworker_contact: keyworker.as_ref().map(|k| k.email.clone()),
            specialist_id: input.specialist_id,
        },
    )
    .await?;
    let mut row: referral::ActiveModel = current.clone().into();
    row.state = Set(ReferralState::Registered.as_db().into());
    row.contacted_on = Set(Some(current.contacted_on.unwrap_or(on.0)));
    row.first_meeting_on = Set(Some(current.first_meeting_on.unwrap_or(on.0)));
    row.closed_on = Set(Some(on.0));
    row.client_id = Set(Some(client.id));
    let saved = save(&txn, row, current.id, current.version).await?;
    txn.commit().await?;
    Ok((saved, client))
}

/// Closes an open referral that was not taken up, with its coded reason.
pub async fn close_not_taken_up(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ReferralNotTakenUpInput,
) -> Result<referral::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = open_for_work(&txn, viewer, &input.id, input.version).await?;
    let mut checks = Checks::new();
    let on = check_day(
        &mut checks,
        "on",
        input.on,
        Some(Date(latest_step(&current))),
    );
    checks.finish()?;
    let mut row: referral::ActiveModel = current.clone().into();
    row.state = Set(ReferralState::NotTakenUp.as_db().into());
    row.closed_on = Set(Some(on.0));
    row.not_taken_up_reason = Set(Some(input.reason.as_db().into()));
    let saved = save(&txn, row, current.id, current.version).await?;
    txn.commit().await?;
    Ok(saved)
}

/// One page of the referrals `viewer` sees, newest referral first.
pub async fn list_referrals(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &ReferralFilter,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<referral::Model>, ApiError> {
    let mut select = ReferralScope::of(viewer).apply(referral::Entity::find());
    if let Some(states) = &filter.states {
        select = select.filter(referral::Column::State.is_in(states.iter().map(|s| s.as_db())));
    }
    if let Some(tt) = &filter.treatment_team_id {
        let id = ids::decode_as(tt, Kind::TreatmentTeam).unwrap_or_else(Uuid::nil);
        select = select.filter(referral::Column::TreatmentTeamId.eq(id));
    }
    let keyset = Keyset {
        sort: referral::Column::ReferredOn,
        id: referral::Column::Id,
        order: Order::Desc,
        kind: KeyKind::Date,
        key_of: |r: &referral::Model| (SortValue::Date(r.referred_on), r.id),
    };
    let page = fetch_page(db, select, &keyset, args, want_total).await?;
    let (cursors, rows): (Vec<String>, Vec<referral::Model>) = page.items.into_iter().unzip();
    let rows = super::access::redact(db, viewer, rows).await?;
    Ok(Page {
        items: cursors.into_iter().zip(rows).collect(),
        info: page.info,
        total: page.total,
    })
}
