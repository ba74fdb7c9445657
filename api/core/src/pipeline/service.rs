//! Pipeline rules: an application per client and vacancy, moving forward only (or ending as not
//! progressed, with a reason), each step dated; job starts with raw hours and pay; job ends; and
//! support contacts. An application sent by the specialist and a support contact with the employer
//! each tell the employer about the client: they pass the consent gate and are logged.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use uuid::Uuid;

use entities::{application, application_stage, job_start, support_contact};

use super::inputs::*;
use super::model::*;
use crate::access::Viewer;
use crate::clients::access::{ClientScope, find_client};
use crate::clients::service::reachable;
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, Kind};
use crate::pagination::{KeyKind, Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::validate::{Checks, LONG_TEXT, SHORT_TEXT};

fn today() -> NaiveDate {
    crate::clock::today()
}

fn not_in_future(checks: &mut Checks, field: &str, day: NaiveDate) {
    if day > today() {
        checks.fail(
            field,
            UserErrorCode::Invalid,
            "this cannot be in the future",
        );
    }
}

async fn step(
    conn: &impl ConnectionTrait,
    application_id: Uuid,
    stage: ApplicationStageKind,
    on: NaiveDate,
    reason: Option<String>,
    viewer: &Viewer,
) -> Result<(), ApiError> {
    application_stage::ActiveModel {
        id: Set(Uuid::now_v7()),
        application_id: Set(application_id),
        stage: Set(stage.as_db().into()),
        on_date: Set(on),
        reason: Set(reason),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// An application the specialist sends names the client to the employer, and so does every later
/// step they take with the employer on it (arranging the interview, taking the offer, confirming
/// the start): each passes the consent gate for the vacancy's employer and is logged.
async fn disclose_application(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    client_id: Uuid,
    vacancy_id: Uuid,
    field: &str,
) -> Result<crate::consent::gate::Disclosed, ServiceError> {
    use crate::consent::model::{DisclosureAct, DisclosureItem};
    let vacancy = crate::vacancies::service::find_vacancy(conn, vacancy_id).await?;
    let Some(employer_id) = vacancy.and_then(|v| v.employer_id) else {
        return Err(ServiceError::user(
            field,
            UserErrorCode::DisclosureNotConsented,
            "this vacancy's employer has no record to hold the client's consent: the client applies alone, or link the vacancy to an employer first",
        ));
    };
    crate::consent::gate::disclose(
        conn,
        crate::consent::gate::Telling {
            client_id,
            employer_id,
            contact_id: None,
            vacancy_id: Some(vacancy_id),
            act: DisclosureAct::Application,
            items: &[DisclosureItem::ServiceAffiliation],
            channel: crate::employers::model::ContactChannel::Email.as_db(),
            actor_id: viewer.id(),
            field,
        },
    )
    .await
}

/// The stages at which the specialist (for an application they send) tells the employer
/// something about the client.
fn tells_employer(stage: ApplicationStageKind) -> bool {
    matches!(
        stage,
        ApplicationStageKind::Applied
            | ApplicationStageKind::Interview
            | ApplicationStageKind::Offer
            | ApplicationStageKind::Started
    )
}

fn sent_by_specialist(submitted_by: &str) -> bool {
    submitted_by != SubmittedBy::Client.as_db()
}

/// Starts an application (one per client and vacancy).
pub async fn create_application(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ApplicationCreateInput,
) -> Result<application::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let vacancy = match ids::decode_as(&input.vacancy_id, Kind::Vacancy) {
        Some(id) => crate::vacancies::service::find_vacancy(&txn, id).await?,
        None => None,
    };
    if vacancy.is_none() {
        checks.fail("vacancyId", UserErrorCode::NotFound, "no such vacancy");
    }
    if input.stage.is_final() {
        checks.fail("stage", UserErrorCode::Invalid, "an application starts before STARTED or NOT_PROGRESSED; record the job start or advance it");
    }
    let on = input.on.map_or_else(today, |d| d.0);
    not_in_future(&mut checks, "on", on);
    checks.finish()?;
    let Some(vacancy) = vacancy else {
        return Err(ServiceError::user(
            "vacancyId",
            UserErrorCode::NotFound,
            "no such vacancy",
        ));
    };
    let at = now();
    let created = application::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client.id),
        vacancy_id: Set(vacancy.id),
        stage: Set(input.stage.as_db().into()),
        submitted_by: Set(input.submitted_by.as_db().into()),
        created_by_id: Set(viewer.id()),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            ServiceError::user(
                "vacancyId",
                UserErrorCode::Duplicate,
                "the client already has an application for this vacancy",
            )
        } else {
            err.into()
        }
    })?;
    step(&txn, created.id, input.stage, on, None, viewer).await?;
    if tells_employer(input.stage) && sent_by_specialist(&created.submitted_by) {
        disclose_application(&txn, viewer, client.id, vacancy.id, "submittedBy").await?;
    }
    txn.commit().await?;
    Ok(created)
}

/// An application, if the viewer reaches its client.
pub async fn find_application(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<application::Model>, ApiError> {
    let Some(row) = application::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let visible = find_client(conn, viewer, row.client_id).await?.is_some();
    Ok(visible.then_some(row))
}

/// One page of the applications of the clients the viewer reaches now, in the order asked.
pub async fn list_applications(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &ApplicationFilter,
    sort: ApplicationOrder,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<application::Model>, ApiError> {
    let reached = sea_orm::sea_query::Query::select()
        .column(entities::client::Column::Id)
        .from(entities::client::Entity)
        .cond_where(ClientScope::of(viewer).condition())
        .to_owned();
    let mut select =
        application::Entity::find().filter(application::Column::ClientId.in_subquery(reached));
    if let Some(stages) = &filter.stages {
        select = select.filter(application::Column::Stage.is_in(stages.iter().map(|s| s.as_db())));
    }
    if let Some(client) = &filter.client_id {
        let id = ids::decode_as(client, Kind::Client).unwrap_or_else(Uuid::nil);
        select = select.filter(application::Column::ClientId.eq(id));
    }
    if let Some(vacancy) = &filter.vacancy_id {
        let id = ids::decode_as(vacancy, Kind::Vacancy).unwrap_or_else(Uuid::nil);
        select = select.filter(application::Column::VacancyId.eq(id));
    }
    let order = sort.direction.order();
    let keyset = match sort.field {
        ApplicationOrderField::CreatedAt => Keyset {
            sort: application::Column::CreatedAt,
            id: application::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &application::Model| (SortValue::Time(r.created_at), r.id),
        },
        ApplicationOrderField::UpdatedAt => Keyset {
            sort: application::Column::UpdatedAt,
            id: application::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &application::Model| (SortValue::Time(r.updated_at), r.id),
        },
    };
    fetch_page(db, select, &keyset, args, want_total).await
}

/// A job start, if the viewer reaches its client.
pub async fn find_job_start(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<job_start::Model>, ApiError> {
    let Some(row) = job_start::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let visible = find_client(conn, viewer, row.client_id).await?.is_some();
    Ok(visible.then_some(row))
}

/// The application `id` names, if the viewer reaches it; otherwise `NOT_FOUND` on `field`.
async fn reachable_application(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    field: &str,
    id: &str,
) -> Result<application::Model, ServiceError> {
    let found = match ids::decode_as(id, Kind::Application) {
        Some(uuid) => find_application(conn, viewer, uuid).await?,
        None => None,
    };
    found.ok_or_else(|| ServiceError::user(field, UserErrorCode::NotFound, "no such application"))
}

/// Moves an application to a later stage, or ends it as not progressed.
pub async fn advance_application(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ApplicationAdvanceInput,
) -> Result<application::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable_application(&txn, viewer, "id", &input.id).await?;
    let from = ApplicationStageKind::from_db(&current.stage)?;
    let mut checks = Checks::new();
    let reason = checks.optional_text("reason", input.reason.as_deref(), LONG_TEXT);
    if from.is_final() {
        checks.fail(
            "stage",
            UserErrorCode::Invalid,
            format!("the application is {} and goes no further", from.as_db()),
        );
    } else if input.stage.rank() <= from.rank() {
        checks.fail(
            "stage",
            UserErrorCode::Invalid,
            format!("an application moves forward: it is at {}", from.as_db()),
        );
    }
    if input.stage == ApplicationStageKind::NotProgressed && reason.is_none() {
        checks.fail(
            "reason",
            UserErrorCode::Required,
            "say why it went no further",
        );
    }
    if input.stage == ApplicationStageKind::Started {
        checks.fail(
            "stage",
            UserErrorCode::Invalid,
            "record the job with jobStartRecord, which moves the application to STARTED",
        );
    }
    let on = input.on.map_or_else(today, |d| d.0);
    not_in_future(&mut checks, "on", on);
    checks.finish()?;
    let updated = set_stage(&txn, &current, input.version, input.stage).await?;
    step(&txn, current.id, input.stage, on, reason, viewer).await?;
    if tells_employer(input.stage) && sent_by_specialist(&current.submitted_by) {
        disclose_application(&txn, viewer, current.client_id, current.vacancy_id, "stage").await?;
    }
    txn.commit().await?;
    Ok(updated)
}

async fn set_stage(
    conn: &impl ConnectionTrait,
    current: &application::Model,
    version: i32,
    stage: ApplicationStageKind,
) -> Result<application::Model, ServiceError> {
    let claimed = application::Entity::update_many()
        .col_expr(
            application::Column::Version,
            // A version from the input may be any Int: at the top it is simply stale.
            sea_orm::sea_query::Expr::val(
                version
                    .checked_add(1)
                    .ok_or_else(ServiceError::stale_version)?,
            ),
        )
        .col_expr(
            application::Column::Stage,
            sea_orm::sea_query::Expr::val(stage.as_db()),
        )
        .col_expr(
            application::Column::UpdatedAt,
            sea_orm::sea_query::Expr::val(now()),
        )
        .filter(application::Column::Id.eq(current.id))
        .filter(application::Column::Version.eq(version))
        .exec(conn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(ServiceError::stale_version());
    }
    Ok(application::Entity::find_by_id(current.id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application vanished")))?)
}

/// Records a job start (moving its application, if any, to STARTED).
pub async fn record_job_start(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: JobStartRecordInput,
) -> Result<job_start::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let title = checks.required_text("title", &input.title, SHORT_TEXT);
    if let Some(code) = &input.soc_code
        && !(code.len() == 4 && code.chars().all(|c| c.is_ascii_digit()))
    {
        checks.fail(
            "socCode",
            UserErrorCode::Invalid,
            "a SOC 2010 unit group is 4 digits",
        );
    }
    if !(0.0..=80.0).contains(&input.hours_per_week) {
        checks.fail(
            "hoursPerWeek",
            UserErrorCode::Invalid,
            "hours a week must be between 0 and 80",
        );
    }
    if !(0.0..=500.0).contains(&input.hourly_pay) {
        checks.fail(
            "hourlyPay",
            UserErrorCode::Invalid,
            "pay an hour must be between 0 and 500",
        );
    }
    not_in_future(&mut checks, "startDate", input.start_date.0);
    let employer = match &input.employer_id {
        Some(id) => {
            let found = match ids::decode_as(id, Kind::Employer) {
                Some(uuid) => crate::employers::service::find_employer(&txn, uuid).await?,
                None => None,
            };
            if found.is_none() {
                checks.fail("employerId", UserErrorCode::NotFound, "no such employer");
            }
            found
        }
        None => None,
    };
    let employer_name = match (&input.employer_name, &employer) {
        (Some(name), _) => checks.required_text("employerName", name, SHORT_TEXT),
        (None, Some(e)) => e.name.clone(),
        (None, None) => {
            checks.fail("employerName", UserErrorCode::Required, "name the employer");
            String::new()
        }
    };
    let application = match &input.application_id {
        Some(id) => match reachable_application(&txn, viewer, "applicationId", id).await {
            Ok(a) if a.client_id == client.id => Some(a),
            Ok(_) => {
                checks.fail(
                    "applicationId",
                    UserErrorCode::Invalid,
                    "the application is another client's",
                );
                None
            }
            Err(_) => {
                checks.fail(
                    "applicationId",
                    UserErrorCode::NotFound,
                    "no such application",
                );
                None
            }
        },
        None => None,
    };
    if let Some(a) = &application
        && ApplicationStageKind::from_db(&a.stage)?.is_final()
    {
        checks.fail(
            "applicationId",
            UserErrorCode::Invalid,
            format!("the application is already {}", a.stage),
        );
    }
    checks.finish()?;
    if let Some(a) = &application {
        if sent_by_specialist(&a.submitted_by) {
            // Confirming the start with the employer on an application the specialist sent.
            disclose_application(&txn, viewer, a.client_id, a.vacancy_id, "applicationId").await?;
        }
        set_stage(&txn, a, a.version, ApplicationStageKind::Started).await?;
        step(
            &txn,
            a.id,
            ApplicationStageKind::Started,
            input.start_date.0,
            None,
            viewer,
        )
        .await?;
    }
    let saved = job_start::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client.id),
        application_id: Set(application.map(|a| a.id)),
        employer_id: Set(employer.map(|e| e.id)),
        employer_name: Set(employer_name),
        title: Set(title),
        soc_code: Set(input.soc_code),
        start_date: Set(input.start_date.0),
        hours_per_week: Set(input.hours_per_week),
        hourly_pay: Set(input.hourly_pay),
        contract_type: Set(input.contract_type.as_db().into()),
        competitive: Set(input.competitive),
        end_date: Set(None),
        end_reason: Set(None),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The job start `id` names, if the viewer reaches it; otherwise `NOT_FOUND` on `field`.
async fn reachable_job(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    field: &str,
    id: &str,
) -> Result<job_start::Model, ServiceError> {
    let found = match ids::decode_as(id, Kind::JobStart) {
        Some(uuid) => find_job_start(conn, viewer, uuid).await?,
        None => None,
    };
    found.ok_or_else(|| ServiceError::user(field, UserErrorCode::NotFound, "no such job start"))
}

/// Records the end of a job.
pub async fn record_job_end(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: JobEndRecordInput,
) -> Result<job_start::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let current = reachable_job(&txn, viewer, "id", &input.id).await?;
    let mut checks = Checks::new();
    let reason = checks.required_text("reason", &input.reason, LONG_TEXT);
    if input.end_date.0 < current.start_date {
        checks.fail(
            "endDate",
            UserErrorCode::Invalid,
            "a job cannot end before it starts",
        );
    }
    not_in_future(&mut checks, "endDate", input.end_date.0);
    if current.end_date.is_some() {
        checks.fail("id", UserErrorCode::Invalid, "this job has already ended");
    }
    checks.finish()?;
    let claimed = job_start::Entity::update_many()
        .col_expr(
            job_start::Column::EndDate,
            sea_orm::sea_query::Expr::val(input.end_date.0),
        )
        .col_expr(
            job_start::Column::EndReason,
            sea_orm::sea_query::Expr::val(reason),
        )
        .col_expr(
            job_start::Column::Version,
            sea_orm::sea_query::Expr::val(
                input
                    .version
                    .checked_add(1)
                    .ok_or_else(ServiceError::stale_version)?,
            ),
        )
        .filter(job_start::Column::Id.eq(current.id))
        .filter(job_start::Column::Version.eq(input.version))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(ServiceError::stale_version());
    }
    let saved = job_start::Entity::find_by_id(current.id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("job start vanished")))?;
    txn.commit().await?;
    Ok(saved)
}

/// Records an in-work support contact. A contact with the employer names the job (at an employer on
/// record) and needs the client's consent for that employer; it is logged as a disclosure.
pub async fn record_support_contact(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: SupportContactRecordInput,
) -> Result<support_contact::Model, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let client = reachable(&txn, viewer, "clientId", &input.client_id).await?;
    let mut checks = Checks::new();
    let notes = checks
        .optional_text("notes", Some(&input.notes), LONG_TEXT)
        .unwrap_or_default();
    if input.occurred_at > crate::clock::now() + chrono::Duration::minutes(5) {
        checks.fail(
            "occurredAt",
            UserErrorCode::Invalid,
            "this cannot be in the future",
        );
    }
    let job = match &input.job_start_id {
        Some(id) => match reachable_job(&txn, viewer, "jobStartId", id).await {
            Ok(job) if job.client_id == client.id => Some(job),
            _ => {
                checks.fail(
                    "jobStartId",
                    UserErrorCode::NotFound,
                    "no such job start for this client",
                );
                None
            }
        },
        None => None,
    };
    if input.with_whom == SupportParty::Employer
        && job.as_ref().is_none_or(|j| j.employer_id.is_none())
    {
        checks.fail("jobStartId", UserErrorCode::Required, "a contact with the employer names the job, at an employer on record (consent is given per employer)");
    }
    checks.finish()?;
    if input.with_whom == SupportParty::Employer
        && let Some(employer_id) = job.as_ref().and_then(|j| j.employer_id)
    {
        use crate::consent::model::{DisclosureAct, DisclosureItem};
        crate::consent::gate::disclose(
            &txn,
            crate::consent::gate::Telling {
                client_id: client.id,
                employer_id,
                contact_id: None,
                vacancy_id: None,
                act: DisclosureAct::InWorkSupport,
                items: &[DisclosureItem::ServiceAffiliation],
                channel: input.mode.as_db(),
                actor_id: viewer.id(),
                field: "withWhom",
            },
        )
        .await?;
    }
    let saved = support_contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(client.id),
        job_start_id: Set(job.map(|j| j.id)),
        with_whom: Set(input.with_whom.as_db().into()),
        mode: Set(input.mode.as_db().into()),
        occurred_at: Set(crate::db::truncate_to_micros(input.occurred_at)),
        notes: Set(notes),
        recorded_by_id: Set(viewer.id()),
        recorded_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Every stage an application went through, oldest first.
pub async fn application_history(
    db: &impl ConnectionTrait,
    application_id: Uuid,
) -> Result<Vec<entities::application_stage::Model>, ApiError> {
    use sea_orm::QueryOrder;
    Ok(entities::application_stage::Entity::find()
        .filter(entities::application_stage::Column::ApplicationId.eq(application_id))
        .order_by_asc(entities::application_stage::Column::RecordedAt)
        .all(db)
        .await?)
}

/// In-work support contacts about one job, oldest first.
pub async fn support_contacts_of_job(
    db: &impl ConnectionTrait,
    job_start_id: Uuid,
) -> Result<Vec<entities::support_contact::Model>, ApiError> {
    use sea_orm::QueryOrder;
    Ok(entities::support_contact::Entity::find()
        .filter(entities::support_contact::Column::JobStartId.eq(job_start_id))
        .order_by_asc(entities::support_contact::Column::OccurredAt)
        .all(db)
        .await?)
}
