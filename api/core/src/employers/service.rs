//! Rules and queries of the employer engagement CRM.

use crate::patch::Patch;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

use entities::{employer, employer_contact, employer_location, staff};

use super::inputs::*;
use crate::access::Role;
use crate::change_log::{self, ChangeOp};
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, Kind};
use crate::pagination::{KeyKind, Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::validate::{Checks, LONG_TEXT, SHORT_TEXT, like_pattern, name_key};

/// The change-log name of this entity.
pub const ENTITY: &str = "employer";

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

/// One page of employers by name.
pub async fn list_employers(
    db: &DatabaseConnection,
    filter: &EmployerFilter,
    sort: EmployerOrder,
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
    let order = sort.direction.order();
    let keyset = match sort.field {
        EmployerOrderField::Name => Keyset {
            sort: employer::Column::NameKey,
            id: employer::Column::Id,
            order,
            kind: KeyKind::Text,
            key_of: |r: &employer::Model| (SortValue::Text(r.name_key.clone()), r.id),
        },
        EmployerOrderField::CreatedAt => Keyset {
            sort: employer::Column::CreatedAt,
            id: employer::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &employer::Model| (SortValue::Time(r.created_at), r.id),
        },
        EmployerOrderField::UpdatedAt => Keyset {
            sort: employer::Column::UpdatedAt,
            id: employer::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &employer::Model| (SortValue::Time(r.updated_at), r.id),
        },
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
    id: &str,
) -> Result<Option<Uuid>, ApiError> {
    let found = match ids::decode_as(id, Kind::Staff) {
        Some(uuid) => staff::Entity::find_by_id(uuid).one(db).await?,
        None => None,
    };
    match found {
        Some(s)
            if s.active
                && (s.role == Role::Specialist.as_db() || s.role == Role::TeamLead.as_db()) =>
        {
            Ok(Some(s.id))
        }
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

pub(crate) fn not_found(field: &str, what: &str) -> ServiceError {
    ServiceError::user(field, UserErrorCode::NotFound, format!("no such {what}"))
}

pub(crate) async fn existing_employer(
    db: &DatabaseConnection,
    field: &str,
    id: &str,
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
        Patch::Keep => {}
        Patch::Clear => row.owner_id = Set(None),
        Patch::Set(owner) => row.owner_id = Set(resolve_owner(db, &mut checks, owner).await?),
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
    id: &str,
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
    id: &str,
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
        Patch::Keep => current.email.clone(),
        Patch::Clear => None,
        Patch::Set(v) => checks.optional_email("email", Some(v)),
    });
    if let Some(channel) = input.preferred_channel {
        row.preferred_channel = Set(channel.as_db().into());
    }
    // A consent limited to this contact names the person: the record cannot become someone else.
    let renamed = input
        .name
        .as_deref()
        .is_some_and(|n| n.trim() != current.name)
        || !matches!(input.email, Patch::Keep);
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
    id: &str,
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
