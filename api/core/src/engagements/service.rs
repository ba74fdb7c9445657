//! Engagement rules: recording, correcting and retracting dated entries of contact with an
//! employer. An entry that names a client tells the employer something about them, so it passes
//! the consent gate in the same transaction as its write.

use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use entities::{engagement, staff};

use super::inputs::*;
use crate::access::{Role, Viewer};
use crate::db::{now, truncate_to_micros};
use crate::employers::model::*;
use crate::employers::service::{existing_employer, find_contact, not_found};
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, Kind};
use crate::pagination::{KeyKind, Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::patch::Patch;
use crate::validate::{Checks, LONG_TEXT};

/// How far ahead of the server clock an engagement time may be (clocks on phones drift).
const FUTURE_TOLERANCE_MINUTES: i64 = 10;

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
    sort: EngagementOrder,
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
    let order = sort.direction.order();
    let keyset = match sort.field {
        EngagementOrderField::OccurredAt => Keyset {
            sort: engagement::Column::OccurredAt,
            id: engagement::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &engagement::Model| (SortValue::Time(r.occurred_at), r.id),
        },
        EngagementOrderField::RecordedAt => Keyset {
            sort: engagement::Column::RecordedAt,
            id: engagement::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &engagement::Model| (SortValue::Time(r.recorded_at), r.id),
        },
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
        Role::Admin | Role::Keyworker => Err(ApiError::Forbidden),
    }
}

/// An engagement's fields as given, before checking.
struct EngagementDraft<'a> {
    contact: Option<&'a str>,
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
            contact: input.contact_id.as_deref(),
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
    id: &str,
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
        Patch::Keep => old
            .contact_id
            .map(|c| ids::encode(Kind::EmployerContact, c)),
        Patch::Clear => None,
        Patch::Set(id) => Some(id.clone()),
    };
    let next_step = match &input.next_step {
        Patch::Keep => old.next_step.clone(),
        Patch::Clear => None,
        Patch::Set(v) => Some(v.clone()),
    };
    let next_step_due = match &input.next_step_due {
        Patch::Keep => old.next_step_due,
        Patch::Clear => None,
        Patch::Set(v) => Some(v.0),
    };
    let fields = check_engagement_fields(
        db,
        &mut checks,
        old.employer_id,
        EngagementDraft {
            contact: contact.as_deref(),
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

/// The clients an engagement was on behalf of that `me` reaches (one out of reach is neither shown
/// nor counted).
pub async fn clients_named(
    db: &DatabaseConnection,
    me: &Viewer,
    engagement_id: Uuid,
) -> Result<Vec<entities::client::Model>, ApiError> {
    let named: Vec<Uuid> = entities::engagement_client::Entity::find()
        .filter(entities::engagement_client::Column::EngagementId.eq(engagement_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.client_id)
        .collect();
    if named.is_empty() {
        return Ok(vec![]);
    }
    Ok(crate::clients::access::ClientScope::of(me)
        .apply(entities::client::Entity::find())
        .filter(entities::client::Column::Id.is_in(named))
        .all(db)
        .await?)
}
