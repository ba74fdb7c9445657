//! Rules and queries of the employer engagement CRM.

use async_graphql::{ID, MaybeUndefined};
use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, Order, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use entities::{employer, employer_contact, employer_location, engagement, staff};

use super::inputs::*;
use super::model::*;
use crate::auth::{Role, Viewer};
use crate::change_log::{self, ChangeOp};
use crate::db::{now, truncate_to_micros};
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, Kind};
use crate::pagination::{Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::validate::{Checks, LONG_TEXT, SHORT_TEXT, like_pattern, name_key};

/// The change-log name of this entity.
pub const ENTITY: &str = "employer";
/// How far ahead of the server clock an engagement time may be (clocks on phones drift).
const FUTURE_TOLERANCE_MINUTES: i64 = 10;

/// An employer by id.
pub async fn find_employer(
    db: &impl sea_orm::ConnectionTrait,
    id: Uuid,
) -> Result<Option<employer::Model>, ApiError> {
    Ok(employer::Entity::find_by_id(id).one(db).await?)
}

/// An employer contact by id.
pub async fn find_contact(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<employer_contact::Model>, ApiError> {
    Ok(employer_contact::Entity::find_by_id(id).one(db).await?)
}

/// An engagement entry by id.
pub async fn find_engagement(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<engagement::Model>, ApiError> {
    Ok(engagement::Entity::find_by_id(id).one(db).await?)
}

/// The entry that supersedes `id`, if any.
pub async fn find_superseding(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<engagement::Model>, ApiError> {
    Ok(engagement::Entity::find()
        .filter(engagement::Column::SupersedesId.eq(id))
        .one(db)
        .await?)
}

/// One page of employers by name.
pub async fn list_employers(
    db: &DatabaseConnection,
    filter: &EmployerFilter,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<employer::Model>, ApiError> {
    let mut select = employer::Entity::find();
    if let Some(text) = &filter.text {
        crate::limits::check_name_text("filter.text", text)?;
        for word in name_key(text).split(' ').filter(|w| !w.is_empty()) {
            select = select.filter(employer::Column::NameKey.like(like_pattern(word)));
        }
    }
    if let Some(sectors) = &filter.sectors {
        select = select.filter(employer::Column::Sector.is_in(sectors.iter().map(|s| s.as_db())));
    }
    if let Some(stages) = &filter.stages {
        select = select.filter(employer::Column::Stage.is_in(stages.iter().map(|s| s.as_db())));
    }
    if let Some(owner) = &filter.owner_id {
        let owner = ids::decode_as(owner, Kind::Staff).unwrap_or_else(Uuid::nil);
        select = select.filter(employer::Column::OwnerId.eq(owner));
    }
    if !filter.include_archived {
        select = select.filter(employer::Column::ArchivedAt.is_null());
    }
    let keyset = Keyset {
        sort: employer::Column::NameKey,
        id: employer::Column::Id,
        order: Order::Asc,
        time_keyed: false,
        key_of: |r: &employer::Model| (SortValue::Text(r.name_key.clone()), r.id),
    };
    fetch_page(db, select, &keyset, args, want_total).await
}

fn check_locations(
    checks: &mut Checks,
    locations: &[EmployerLocationInput],
) -> Vec<employer_location::Model> {
    locations
        .iter()
        .enumerate()
        .map(|(i, loc)| {
            let field = |name: &str| format!("locations.{i}.{name}");
            let label = checks.required_text(&field("label"), &loc.label, SHORT_TEXT);
            checks.coordinates(&field(""), loc.latitude, loc.longitude);
            employer_location::Model {
                id: Uuid::now_v7(),
                employer_id: Uuid::nil(),
                label,
                address: checks.optional_text(
                    &field("address"),
                    loc.address.as_deref(),
                    SHORT_TEXT,
                ),
                town: checks.optional_text(&field("town"), loc.town.as_deref(), SHORT_TEXT),
                postcode: checks
                    .optional_text(&field("postcode"), loc.postcode.as_deref(), 16)
                    .map(|p| p.to_uppercase()),
                latitude: loc.latitude,
                longitude: loc.longitude,
                position: i as i32,
            }
        })
        .collect()
}

/// Checks that `id` names an active specialist or team lead who can own an employer relationship.
async fn resolve_owner(
    db: &DatabaseConnection,
    checks: &mut Checks,
    id: &ID,
) -> Result<Option<Uuid>, ApiError> {
    let found = match ids::decode_as(id, Kind::Staff) {
        Some(uuid) => staff::Entity::find_by_id(uuid).one(db).await?,
        None => None,
    };
    match found {
        Some(s) if s.active && s.role != Role::Admin.as_db() => Ok(Some(s.id)),
        _ => {
            checks.fail(
                "ownerId",
                UserErrorCode::NotFound,
                "no active specialist or team lead with this id",
            );
            Ok(None)
        }
    }
}

async fn replace_locations(
    txn: &DatabaseTransaction,
    employer_id: Uuid,
    locations: Vec<employer_location::Model>,
) -> Result<(), ApiError> {
    employer_location::Entity::delete_many()
        .filter(employer_location::Column::EmployerId.eq(employer_id))
        .exec(txn)
        .await?;
    let rows: Vec<employer_location::ActiveModel> = locations
        .into_iter()
        .map(|mut l| {
            l.employer_id = employer_id;
            employer_location::ActiveModel::from(l).reset_all()
        })
        .collect();
    if !rows.is_empty() {
        employer_location::Entity::insert_many(rows)
            .exec(txn)
            .await?;
    }
    Ok(())
}

fn duplicate_employer(e: sea_orm::DbErr) -> ServiceError {
    if is_unique_violation(&e) {
        ServiceError::user(
            "name",
            UserErrorCode::Duplicate,
            "an employer with this name exists",
        )
    } else {
        e.into()
    }
}

/// Records a new employer with its sites.
pub async fn create_employer(
    db: &DatabaseConnection,
    input: EmployerCreateInput,
) -> Result<employer::Model, ServiceError> {
    let mut checks = Checks::new();
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let openness_notes =
        checks.optional_text("opennessNotes", input.openness_notes.as_deref(), LONG_TEXT);
    let website = checks.optional_text("website", input.website.as_deref(), SHORT_TEXT);
    let locations = check_locations(&mut checks, &input.locations);
    let owner_id = match &input.owner_id {
        Some(owner) => resolve_owner(db, &mut checks, owner).await?,
        None => None,
    };
    checks.finish()?;

    let at = now();
    let row = employer::ActiveModel {
        id: Set(Uuid::now_v7()),
        name_key: Set(name_key(&name)),
        name: Set(name),
        sector: Set(input.sector.as_db().into()),
        size: Set(input.size.as_db().into()),
        stage: Set(input.stage.as_db().into()),
        openness_notes: Set(openness_notes),
        recovery_friendly: Set(input.recovery_friendly),
        disability_confident: Set(input.disability_confident),
        website: Set(website),
        owner_id: Set(owner_id),
        archived_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        source: Set(None),
        external_id: Set(None),
    };
    let txn = crate::db::begin_write(db).await?;
    let created = row.insert(&txn).await.map_err(duplicate_employer)?;
    replace_locations(&txn, created.id, locations).await?;
    change_log::record(&txn, ENTITY, created.id, ChangeOp::Create).await?;
    txn.commit().await?;
    Ok(created)
}

fn not_found(field: &str, what: &str) -> ServiceError {
    ServiceError::user(field, UserErrorCode::NotFound, format!("no such {what}"))
}

async fn existing_employer(
    db: &DatabaseConnection,
    field: &str,
    id: &ID,
) -> Result<employer::Model, ServiceError> {
    let found = match ids::decode_as(id, Kind::Employer) {
        Some(uuid) => find_employer(db, uuid).await?,
        None => None,
    };
    found.ok_or_else(|| not_found(field, "employer"))
}

/// Applies an optional-field change: undefined keeps, null clears, a value is checked and set.
/// Changes an employer, refusing a stale version. Its sites are replaced when given.
pub async fn update_employer(
    db: &DatabaseConnection,
    input: EmployerUpdateInput,
) -> Result<employer::Model, ServiceError> {
    let current = existing_employer(db, "id", &input.id).await?;
    let mut checks = Checks::new();
    let mut row: employer::ActiveModel = current.clone().into();
    if let Some(name) = &input.name {
        let name = checks.required_text("name", name, SHORT_TEXT);
        row.name_key = Set(name_key(&name));
        row.name = Set(name);
    }
    if let Some(sector) = input.sector {
        row.sector = Set(sector.as_db().into());
    }
    if let Some(size) = input.size {
        row.size = Set(size.as_db().into());
    }
    if let Some(stage) = input.stage {
        row.stage = Set(stage.as_db().into());
    }
    row.openness_notes = Set(checks.change_text(
        "opennessNotes",
        &input.openness_notes,
        LONG_TEXT,
        &current.openness_notes,
    ));
    row.website = Set(checks.change_text("website", &input.website, SHORT_TEXT, &current.website));
    if let Some(v) = input.recovery_friendly {
        row.recovery_friendly = Set(v);
    }
    if let Some(v) = input.disability_confident {
        row.disability_confident = Set(v);
    }
    match &input.owner_id {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => row.owner_id = Set(None),
        MaybeUndefined::Value(owner) => {
            row.owner_id = Set(resolve_owner(db, &mut checks, owner).await?)
        }
    }
    let locations = input
        .locations
        .as_ref()
        .map(|l| check_locations(&mut checks, l));
    checks.finish()?;
    if input.version != current.version {
        return Err(ServiceError::stale_version());
    }
    row.version = Set(current.version + 1);
    row.updated_at = Set(now());

    let txn = crate::db::begin_write(db).await?;
    let result = employer::Entity::update_many()
        .set(row)
        .filter(employer::Column::Id.eq(current.id))
        .filter(employer::Column::Version.eq(current.version))
        .exec(&txn)
        .await
        .map_err(duplicate_employer)?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    if let Some(locations) = locations {
        replace_locations(&txn, current.id, locations).await?;
    }
    change_log::record(&txn, ENTITY, current.id, ChangeOp::Update).await?;
    txn.commit().await?;
    Ok(find_employer(db, current.id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("employer vanished")))?)
}

/// Archives (or, with `archived = false`, restores) an employer. Idempotent.
pub async fn set_employer_archived(
    db: &DatabaseConnection,
    id: &ID,
    archived: bool,
) -> Result<employer::Model, ServiceError> {
    let current = existing_employer(db, "id", id).await?;
    if current.archived_at.is_some() == archived {
        return Ok(current);
    }
    let at = now();
    let mut row: employer::ActiveModel = current.clone().into();
    row.archived_at = Set(archived.then_some(at));
    row.updated_at = Set(at);
    row.version = Set(current.version + 1);
    let txn = crate::db::begin_write(db).await?;
    let changed = row.update(&txn).await?;
    change_log::record(&txn, ENTITY, changed.id, ChangeOp::Update).await?;
    txn.commit().await?;
    Ok(changed)
}

fn duplicate_contact(e: sea_orm::DbErr) -> ServiceError {
    if is_unique_violation(&e) {
        ServiceError::user(
            "email",
            UserErrorCode::Duplicate,
            "a contact at this employer has this e-mail address",
        )
    } else {
        e.into()
    }
}

/// Adds a contact person to an employer that is not archived.
pub async fn create_contact(
    db: &DatabaseConnection,
    input: EmployerContactCreateInput,
) -> Result<employer_contact::Model, ServiceError> {
    let employer = existing_employer(db, "employerId", &input.employer_id).await?;
    let mut checks = Checks::new();
    if employer.archived_at.is_some() {
        checks.fail(
            "employerId",
            UserErrorCode::Archived,
            "this employer is archived",
        );
    }
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let job_title = checks.optional_text("jobTitle", input.job_title.as_deref(), SHORT_TEXT);
    let phone = checks.optional_text("phone", input.phone.as_deref(), 40);
    let email = checks.optional_email("email", input.email.as_deref());
    let notes = checks.optional_text("notes", input.notes.as_deref(), LONG_TEXT);
    checks.finish()?;
    let at = now();
    let row = employer_contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        employer_id: Set(employer.id),
        name: Set(name),
        job_title: Set(job_title),
        phone: Set(phone),
        email: Set(email),
        preferred_channel: Set(input.preferred_channel.as_db().into()),
        notes: Set(notes),
        archived_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    };
    row.insert(db).await.map_err(duplicate_contact)
}

async fn existing_contact(
    db: &DatabaseConnection,
    field: &str,
    id: &ID,
) -> Result<employer_contact::Model, ServiceError> {
    let found = match ids::decode_as(id, Kind::EmployerContact) {
        Some(uuid) => find_contact(db, uuid).await?,
        None => None,
    };
    found.ok_or_else(|| not_found(field, "contact"))
}

/// Changes a contact, refusing a stale version.
pub async fn update_contact(
    db: &DatabaseConnection,
    input: EmployerContactUpdateInput,
) -> Result<employer_contact::Model, ServiceError> {
    let current = existing_contact(db, "id", &input.id).await?;
    let mut checks = Checks::new();
    let mut row: employer_contact::ActiveModel = current.clone().into();
    if let Some(name) = &input.name {
        row.name = Set(checks.required_text("name", name, SHORT_TEXT));
    }
    row.job_title =
        Set(checks.change_text("jobTitle", &input.job_title, SHORT_TEXT, &current.job_title));
    row.phone = Set(checks.change_text("phone", &input.phone, 40, &current.phone));
    row.notes = Set(checks.change_text("notes", &input.notes, LONG_TEXT, &current.notes));
    row.email = Set(match &input.email {
        MaybeUndefined::Undefined => current.email.clone(),
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(v) => checks.optional_email("email", Some(v)),
    });
    if let Some(channel) = input.preferred_channel {
        row.preferred_channel = Set(channel.as_db().into());
    }
    // A consent limited to this contact names the person: the record cannot become someone else.
    let renamed = input
        .name
        .as_deref()
        .is_some_and(|n| n.trim() != current.name)
        || !matches!(input.email, MaybeUndefined::Undefined);
    if renamed && cited_by_consent(db, current.id).await? {
        checks.fail(
            "name",
            UserErrorCode::Invalid,
            "a client's consent names this contact: record the new person as a new contact",
        );
    }
    checks.finish()?;
    if input.version != current.version {
        return Err(ServiceError::stale_version());
    }
    row.version = Set(current.version + 1);
    row.updated_at = Set(now());
    let result = employer_contact::Entity::update_many()
        .set(row)
        .filter(employer_contact::Column::Id.eq(current.id))
        .filter(employer_contact::Column::Version.eq(current.version))
        .exec(db)
        .await
        .map_err(duplicate_contact)?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    Ok(find_contact(db, current.id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("contact vanished")))?)
}

/// Whether any consent version limits a client's consent to this contact.
async fn cited_by_consent(db: &DatabaseConnection, contact_id: Uuid) -> Result<bool, ApiError> {
    use sea_orm::PaginatorTrait;
    Ok(entities::disclosure_consent::Entity::find()
        .filter(entities::disclosure_consent::Column::ContactId.eq(contact_id))
        .count(db)
        .await?
        > 0)
}

/// Archives a contact (they left, or are no longer a contact). Idempotent.
pub async fn archive_contact(
    db: &DatabaseConnection,
    id: &ID,
) -> Result<employer_contact::Model, ServiceError> {
    let current = existing_contact(db, "id", id).await?;
    if current.archived_at.is_some() {
        return Ok(current);
    }
    let at = now();
    let mut row: employer_contact::ActiveModel = current.clone().into();
    row.archived_at = Set(Some(at));
    row.updated_at = Set(at);
    row.version = Set(current.version + 1);
    let txn = crate::db::begin_write(db).await?;
    let changed = row.update(&txn).await?;
    change_log::record(&txn, ENTITY, changed.id, ChangeOp::Update).await?;
    txn.commit().await?;
    Ok(changed)
}

/// SQL condition: no later entry supersedes this one, and it is not itself a retraction.
fn is_current() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(engagement::Column::RetractionReason.is_null())
        .add(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM engagement s WHERE s.supersedes_id = engagement.id)",
        ))
}

/// One page of engagements, newest first.
pub async fn list_engagements(
    db: &DatabaseConnection,
    filter: &EngagementFilter,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<engagement::Model>, ApiError> {
    let mut select = engagement::Entity::find();
    if let Some(employer) = &filter.employer_id {
        let id = ids::decode_as(employer, Kind::Employer).unwrap_or_else(Uuid::nil);
        select = select.filter(engagement::Column::EmployerId.eq(id));
    }
    if let Some(specialist) = &filter.specialist_id {
        let id = ids::decode_as(specialist, Kind::Staff).unwrap_or_else(Uuid::nil);
        select = select.filter(engagement::Column::SpecialistId.eq(id));
    }
    if let Some(modes) = &filter.modes {
        select = select.filter(engagement::Column::Mode.is_in(modes.iter().map(|m| m.as_db())));
    }
    if let Some(purposes) = &filter.purposes {
        select =
            select.filter(engagement::Column::Purpose.is_in(purposes.iter().map(|p| p.as_db())));
    }
    if let Some(from) = filter.from {
        select = select.filter(engagement::Column::OccurredAt.gte(truncate_to_micros(from)));
    }
    if let Some(to) = filter.to {
        select = select.filter(engagement::Column::OccurredAt.lt(truncate_to_micros(to)));
    }
    if !filter.include_superseded {
        select = select.filter(is_current());
    }
    let keyset = Keyset {
        sort: engagement::Column::OccurredAt,
        id: engagement::Column::Id,
        order: Order::Desc,
        time_keyed: true,
        key_of: |r: &engagement::Model| (SortValue::Time(r.occurred_at), r.id),
    };
    fetch_page(db, select, &keyset, args, want_total).await
}

/// The caller's open follow-ups due on or before `due_by`: current entries with a next step for
/// which nobody has contacted the employer since. Soonest first.
pub async fn follow_ups_due(
    db: &DatabaseConnection,
    specialist: Uuid,
    due_by: NaiveDate,
) -> Result<Vec<engagement::Model>, ApiError> {
    Ok(engagement::Entity::find()
        .filter(engagement::Column::SpecialistId.eq(specialist))
        .filter(engagement::Column::NextStepDue.lte(due_by))
        .filter(is_current())
        .filter(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM engagement l WHERE l.employer_id = engagement.employer_id \
             AND l.occurred_at > engagement.occurred_at AND l.retraction_reason IS NULL \
             AND NOT EXISTS (SELECT 1 FROM engagement s WHERE s.supersedes_id = l.id))",
        ))
        .order_by_asc(engagement::Column::NextStepDue)
        .order_by_asc(engagement::Column::Id)
        .all(db)
        .await?)
}

/// Only specialists and team leads record engagements.
fn require_recorder(viewer: &Viewer) -> Result<(), ApiError> {
    match viewer.role {
        Role::Specialist | Role::TeamLead => Ok(()),
        Role::Admin => Err(ApiError::Forbidden),
    }
}

/// An engagement's fields as given, before checking.
struct EngagementDraft<'a> {
    contact: Option<&'a ID>,
    occurred_at: chrono::DateTime<chrono::Utc>,
    outcome: &'a str,
    next_step: Option<&'a str>,
    next_step_due: Option<NaiveDate>,
}

/// An engagement's fields once checked.
struct EngagementFields {
    contact_id: Option<Uuid>,
    occurred_at: chrono::DateTime<chrono::Utc>,
    outcome: String,
    next_step: Option<String>,
    next_step_due: Option<NaiveDate>,
}

async fn check_engagement_fields(
    db: &DatabaseConnection,
    checks: &mut Checks,
    employer_id: Uuid,
    draft: EngagementDraft<'_>,
) -> Result<EngagementFields, ApiError> {
    let EngagementDraft {
        contact,
        occurred_at,
        outcome,
        next_step,
        next_step_due,
    } = draft;
    let contact_id = match contact {
        None => None,
        Some(id) => {
            let found = match ids::decode_as(id, Kind::EmployerContact) {
                Some(uuid) => find_contact(db, uuid).await?,
                None => None,
            };
            match found {
                Some(c) if c.employer_id == employer_id => Some(c.id),
                _ => {
                    checks.fail(
                        "contactId",
                        UserErrorCode::NotFound,
                        "no such contact at this employer",
                    );
                    None
                }
            }
        }
    };
    if occurred_at > now() + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        checks.fail(
            "occurredAt",
            UserErrorCode::Invalid,
            "an engagement cannot be in the future",
        );
    }
    let outcome = checks.required_text("outcome", outcome, LONG_TEXT);
    let next_step = checks.optional_text("nextStep", next_step, LONG_TEXT);
    if next_step_due.is_some() && next_step.is_none() {
        checks.fail(
            "nextStep",
            UserErrorCode::Required,
            "say what the next step is when giving a due date",
        );
    }
    Ok(EngagementFields {
        contact_id,
        occurred_at: truncate_to_micros(occurred_at),
        outcome,
        next_step,
        next_step_due,
    })
}

/// Records a contact the caller made with an employer.
pub async fn create_engagement(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: EngagementCreateInput,
) -> Result<engagement::Model, ServiceError> {
    require_recorder(viewer)?;
    let employer = existing_employer(db, "employerId", &input.employer_id).await?;
    let mut checks = Checks::new();
    if employer.archived_at.is_some() {
        checks.fail(
            "employerId",
            UserErrorCode::Archived,
            "this employer is archived; restore it first",
        );
    }
    let fields = check_engagement_fields(
        db,
        &mut checks,
        employer.id,
        EngagementDraft {
            contact: input.contact_id.as_ref(),
            occurred_at: input.occurred_at,
            outcome: &input.outcome,
            next_step: input.next_step.as_deref(),
            next_step_due: input.next_step_due.map(|d| d.0),
        },
    )
    .await?;
    checks.finish()?;
    let row = engagement::ActiveModel {
        id: Set(Uuid::now_v7()),
        employer_id: Set(employer.id),
        specialist_id: Set(viewer.id()),
        contact_id: Set(fields.contact_id),
        occurred_at: Set(fields.occurred_at),
        mode: Set(input.mode.as_db().into()),
        purpose: Set(input.purpose.as_db().into()),
        outcome: Set(fields.outcome),
        next_step: Set(fields.next_step),
        next_step_due: Set(fields.next_step_due),
        supersedes_id: Set(None),
        retraction_reason: Set(None),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    };
    let txn = crate::db::begin_write(db).await?;
    let saved = row.insert(&txn).await?;
    // Naming a client to an employer is a disclosure: each passes the gate, which logs it.
    for (n, id) in input.client_ids.iter().enumerate() {
        let field = format!("clientIds.{n}");
        let client = crate::clients::service::reachable(&txn, viewer, &field, id).await?;
        let disclosed = tell_about(&txn, viewer, &saved, client.id, &field).await?;
        link_client(&txn, saved.id, &disclosed).await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// Passes an engagement's naming of `client_id` through the consent gate (the act follows the
/// engagement's purpose: in-work support, or presenting the client).
async fn tell_about(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    entry: &engagement::Model,
    client_id: Uuid,
    field: &str,
) -> Result<crate::consent::gate::Disclosed, ServiceError> {
    let act = if entry.purpose == EngagementPurpose::InWorkSupport.as_db() {
        crate::consent::model::DisclosureAct::InWorkSupport
    } else {
        crate::consent::model::DisclosureAct::Engagement
    };
    let mode = EngagementMode::from_db(&entry.mode)?;
    crate::consent::gate::disclose(
        conn,
        crate::consent::gate::Telling {
            client_id,
            employer_id: entry.employer_id,
            contact_id: entry.contact_id,
            vacancy_id: None,
            act,
            items: &[crate::consent::model::DisclosureItem::ServiceAffiliation],
            channel: engagement_channel(mode),
            actor_id: viewer.id(),
            field,
        },
    )
    .await
}

/// Records that an engagement named a client: only with the gate's proof for that client and
/// employer.
async fn link_client(
    conn: &impl ConnectionTrait,
    engagement_id: Uuid,
    disclosed: &crate::consent::gate::Disclosed,
) -> Result<(), ApiError> {
    entities::engagement_client::ActiveModel {
        engagement_id: Set(engagement_id),
        client_id: Set(disclosed.client_id()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The disclosure-log channel of an engagement mode (an event is told face to face).
fn engagement_channel(mode: EngagementMode) -> &'static str {
    match mode {
        EngagementMode::FaceToFace | EngagementMode::Event => ContactChannel::FaceToFace.as_db(),
        EngagementMode::Phone => ContactChannel::Phone.as_db(),
        EngagementMode::Email => ContactChannel::Email.as_db(),
    }
}

/// The entry to supersede, if the caller may: its specialist, or a team lead of their team.
async fn supersedable(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: &ID,
) -> Result<engagement::Model, ServiceError> {
    require_recorder(viewer)?;
    let found = match ids::decode_as(id, Kind::Engagement) {
        Some(uuid) => find_engagement(db, uuid).await?,
        None => None,
    };
    let entry = found.ok_or_else(|| not_found("id", "engagement"))?;
    if entry.specialist_id != viewer.id() {
        let author_team = staff::Entity::find_by_id(entry.specialist_id)
            .one(db)
            .await?
            .and_then(|s| s.team_id);
        let leads_their_team = viewer.role == Role::TeamLead
            && author_team.is_some()
            && author_team == viewer.staff.team_id;
        if !leads_their_team {
            return Err(ApiError::Forbidden.into());
        }
    }
    if entry.retraction_reason.is_some() {
        return Err(ServiceError::user(
            "id",
            UserErrorCode::Invalid,
            "a retraction cannot be corrected",
        ));
    }
    if find_superseding(db, entry.id).await?.is_some() {
        return Err(already_superseded());
    }
    Ok(entry)
}

fn already_superseded() -> ServiceError {
    ServiceError::user(
        "id",
        UserErrorCode::AlreadySuperseded,
        "this entry has already been corrected or retracted; work from the newest entry",
    )
}

async fn insert_superseding(
    db: &DatabaseConnection,
    viewer: &Viewer,
    row: engagement::ActiveModel,
    retells: bool,
) -> Result<engagement::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    // The unique index on supersedes_id settles a race between two corrections of one entry.
    let saved = row.insert(&txn).await.map_err(|e| {
        if is_unique_violation(&e) {
            already_superseded()
        } else {
            ServiceError::from(e)
        }
    })?;
    // The clients it was on behalf of stay with the corrected entry. A correction that changes
    // who was told, when, or why tells the employer anew: each client passes the gate again (and
    // is logged), or the correction is refused. One that changes nothing of that tells no one
    // anything new.
    if let Some(old) = saved.supersedes_id {
        let named = entities::engagement_client::Entity::find()
            .filter(entities::engagement_client::Column::EngagementId.eq(old))
            .all(&txn)
            .await?;
        for (n, link) in named.iter().enumerate() {
            if retells {
                let field = format!("clientIds.{n}");
                // Telling anew is an act of the corrector's: only for clients they reach now.
                if crate::clients::access::find_client(&txn, viewer, link.client_id)
                    .await?
                    .is_none()
                {
                    return Err(ServiceError::user(
                        "id",
                        UserErrorCode::NotFound,
                        "this entry names a client you no longer support: it cannot be corrected to tell anyone anew",
                    ));
                }
                let disclosed = tell_about(&txn, viewer, &saved, link.client_id, &field).await?;
                link_client(&txn, saved.id, &disclosed).await?;
            } else {
                entities::engagement_client::ActiveModel {
                    engagement_id: Set(saved.id),
                    client_id: Set(link.client_id),
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(saved)
}

/// Records a corrected version of an entry; the old one stays readable, marked superseded.
pub async fn correct_engagement(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: EngagementCorrectInput,
) -> Result<engagement::Model, ServiceError> {
    let old = supersedable(db, viewer, &input.id).await?;
    let mut checks = Checks::new();
    let contact = match &input.contact_id {
        MaybeUndefined::Undefined => old
            .contact_id
            .map(|c| ids::encode(Kind::EmployerContact, c)),
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(id) => Some(id.clone()),
    };
    let next_step = match &input.next_step {
        MaybeUndefined::Undefined => old.next_step.clone(),
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(v) => Some(v.clone()),
    };
    let next_step_due = match &input.next_step_due {
        MaybeUndefined::Undefined => old.next_step_due,
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(v) => Some(v.0),
    };
    let fields = check_engagement_fields(
        db,
        &mut checks,
        old.employer_id,
        EngagementDraft {
            contact: contact.as_ref(),
            occurred_at: input.occurred_at.unwrap_or(old.occurred_at),
            outcome: input.outcome.as_deref().unwrap_or(&old.outcome),
            next_step: next_step.as_deref(),
            next_step_due,
        },
    )
    .await?;
    checks.finish()?;
    let row = engagement::ActiveModel {
        id: Set(Uuid::now_v7()),
        employer_id: Set(old.employer_id),
        specialist_id: Set(old.specialist_id),
        contact_id: Set(fields.contact_id),
        occurred_at: Set(fields.occurred_at),
        mode: Set(input
            .mode
            .map(|m| m.as_db().to_string())
            .unwrap_or_else(|| old.mode.clone())),
        purpose: Set(input
            .purpose
            .map(|p| p.as_db().to_string())
            .unwrap_or_else(|| old.purpose.clone())),
        outcome: Set(fields.outcome),
        next_step: Set(fields.next_step),
        next_step_due: Set(fields.next_step_due),
        supersedes_id: Set(Some(old.id)),
        retraction_reason: Set(None),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    };
    let retells = row.contact_id.as_ref() != &old.contact_id
        || row.occurred_at.as_ref() != &old.occurred_at
        || row.purpose.as_ref() != &old.purpose
        || row.mode.as_ref() != &old.mode;
    insert_superseding(db, viewer, row, retells).await
}

/// Withdraws an entry recorded in error: a new entry, carrying the reason, supersedes it.
pub async fn retract_engagement(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: EngagementRetractInput,
) -> Result<engagement::Model, ServiceError> {
    let old = supersedable(db, viewer, &input.id).await?;
    let mut checks = Checks::new();
    let reason = checks.required_text("reason", &input.reason, LONG_TEXT);
    checks.finish()?;
    let row = engagement::ActiveModel::from(engagement::Model {
        id: Uuid::now_v7(),
        supersedes_id: Some(old.id),
        retraction_reason: Some(reason),
        recorded_by_id: viewer.id(),
        recorded_at: now(),
        ..old
    })
    // A model converts to "unchanged" values; mark every column to be written.
    .reset_all();
    insert_superseding(db, viewer, row, false).await
}
