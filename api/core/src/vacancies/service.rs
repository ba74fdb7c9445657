//! Rules and queries for vacancies. Every write inserts a change-log row in the same transaction.

use crate::patch::Patch;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use entities::vacancy;

use super::inputs::*;
use super::model::*;
use crate::access::Viewer;
use crate::change_log::{ChangeOp, record};
use crate::db::{now, truncate_to_micros};
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, Kind};
use crate::pagination::{KeyKind, Keyset, Page, PageArgs, SortValue, fetch_page};
use crate::validate::{Checks, SHORT_TEXT};

/// The change-log name of this entity.
pub const ENTITY: &str = "vacancy";
/// Weekly hours assumed when turning weekly or annual pay into hourly pay and the vacancy gives none.
pub const DEFAULT_WEEKLY_HOURS: f64 = 37.5;
const MAX_DESCRIPTION: usize = 20_000;
const MAX_SKILLS: usize = 50;
const MAX_HOURS_PER_WEEK: f64 = 80.0;

/// The title of a SOC unit group, when known (SOC 2010 only, for now).
pub fn soc_title(version: SocVersion, code: &str) -> Option<&'static str> {
    match version {
        SocVersion::Soc2010 => search_index::occupations::occupations()
            .group(code)
            .filter(|group| group.level == search_index::occupations::Level::Unit)
            .map(|group| group.title.as_str()),
        SocVersion::Soc2020 => None,
    }
}

/// Reads the stored source: `DEVELOPED`, `EMPLOYER`, or a feed key.
pub fn read_source(text: &str) -> VacancySource {
    match text {
        "DEVELOPED" => VacancySource {
            kind: VacancySourceKind::Developed,
            feed: None,
        },
        "EMPLOYER" => VacancySource {
            kind: VacancySourceKind::Employer,
            feed: None,
        },
        feed => VacancySource {
            kind: VacancySourceKind::Feed,
            feed: Some(feed.to_string()),
        },
    }
}

/// A vacancy by id.
pub async fn find_vacancy(
    db: &impl sea_orm::ConnectionTrait,
    id: Uuid,
) -> Result<Option<vacancy::Model>, ApiError> {
    Ok(vacancy::Entity::find_by_id(id).one(db).await?)
}

/// A list of enum values as stored: sorted, without repeats, comma-separated.
pub fn join<T: Copy>(items: &[T], as_db: fn(T) -> &'static str) -> String {
    let mut texts: Vec<&str> = items.iter().map(|i| as_db(*i)).collect();
    texts.sort_unstable();
    texts.dedup();
    texts.join(",")
}

fn round_pence(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Pay per hour for a figure given per `period`.
pub fn hourly(amount: f64, period: PayPeriod, weekly_hours: f64) -> f64 {
    round_pence(match period {
        PayPeriod::Hourly => amount,
        PayPeriod::Weekly => amount / weekly_hours,
        PayPeriod::Annual => amount / (weekly_hours * 52.0),
    })
}

/// Checks a whole vacancy row (new, or after changes) and fills in the derived pay columns.
pub(crate) fn check_row(checks: &mut Checks, row: &mut vacancy::Model) {
    row.title = checks.required_text("title", &row.title, SHORT_TEXT);
    if row.description.chars().count() > MAX_DESCRIPTION {
        checks.fail(
            "description",
            UserErrorCode::TooLong,
            format!("description must be at most {MAX_DESCRIPTION} characters"),
        );
    }
    let skills: Vec<&str> = row.skills.lines().filter(|s| !s.is_empty()).collect();
    if skills.len() > MAX_SKILLS {
        checks.fail(
            "skills",
            UserErrorCode::Invalid,
            format!("at most {MAX_SKILLS} skills"),
        );
    }
    if skills.iter().any(|s| s.chars().count() > 100) {
        checks.fail(
            "skills",
            UserErrorCode::TooLong,
            "each skill must be at most 100 characters",
        );
    }
    if let (Some(code), Some(version)) = (&row.soc_code, &row.soc_version) {
        let valid_shape = code.len() == 4 && code.chars().all(|c| c.is_ascii_digit());
        if !valid_shape {
            checks.fail(
                "occupation.code",
                UserErrorCode::Invalid,
                "a SOC unit group is four digits",
            );
        } else if version == SocVersion::Soc2010.as_db()
            && soc_title(SocVersion::Soc2010, code).is_none()
        {
            checks.fail(
                "occupation.code",
                UserErrorCode::Invalid,
                format!("{code} is not a SOC 2010 unit group"),
            );
        }
    }
    checks.coordinates("location.", row.latitude, row.longitude);
    for (field, hours) in [
        ("hoursPerWeekMin", row.hours_min),
        ("hoursPerWeekMax", row.hours_max),
    ] {
        if let Some(h) = hours
            && !(h > 0.0 && h <= MAX_HOURS_PER_WEEK)
        {
            checks.fail(
                field,
                UserErrorCode::Invalid,
                format!("hours a week must be more than 0 and at most {MAX_HOURS_PER_WEEK}"),
            );
        }
    }
    if let (Some(min), Some(max)) = (row.hours_min, row.hours_max)
        && min > max
    {
        checks.fail(
            "hoursPerWeekMax",
            UserErrorCode::Invalid,
            "the most hours cannot be fewer than the fewest",
        );
    }
    row.pay_min_hourly = None;
    row.pay_max_hourly = None;
    if let Some(period) = row
        .pay_period
        .as_deref()
        .and_then(|p| PayPeriod::from_db(p).ok())
    {
        if row.pay_min.is_none() && row.pay_max.is_none() {
            checks.fail(
                "pay.min",
                UserErrorCode::Required,
                "give a lowest or highest pay",
            );
        }
        for (field, amount) in [("pay.min", row.pay_min), ("pay.max", row.pay_max)] {
            if amount.is_some_and(|a| !(a >= 0.0 && a.is_finite())) {
                checks.fail(field, UserErrorCode::Invalid, "pay cannot be negative");
            }
        }
        if let (Some(min), Some(max)) = (row.pay_min, row.pay_max)
            && min > max
        {
            checks.fail(
                "pay.max",
                UserErrorCode::Invalid,
                "the highest pay cannot be below the lowest",
            );
        }
        let weekly_hours = row
            .hours_max
            .or(row.hours_min)
            .unwrap_or(DEFAULT_WEEKLY_HOURS);
        row.pay_min_hourly = row.pay_min.map(|a| hourly(a, period, weekly_hours));
        row.pay_max_hourly = row.pay_max.map(|a| hourly(a, period, weekly_hours));
    }
    match read_source(&row.source).kind {
        VacancySourceKind::Feed => {
            let key = &row.source;
            let valid = !key.is_empty()
                && key.len() <= 50
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                checks.fail(
                    "source.feed",
                    UserErrorCode::Invalid,
                    "a feed key is lower-case letters, digits and hyphens (at most 50)",
                );
            }
            if row.external_id.is_none() {
                checks.fail(
                    "externalId",
                    UserErrorCode::Required,
                    "a vacancy from a feed needs its id at the feed",
                );
            }
        }
        VacancySourceKind::Developed | VacancySourceKind::Employer => {
            if row.employer_id.is_none() {
                checks.fail(
                    "employerId",
                    UserErrorCode::Required,
                    "a developed or employer vacancy needs its employer",
                );
            }
        }
    }
    if let Some(external) = &row.external_id {
        row.external_id = checks.optional_text("externalId", Some(external), SHORT_TEXT);
    }
    let today = crate::clock::today();
    if row.status == VacancyStatus::Open.as_db() && row.closing_date.is_some_and(|d| d < today) {
        checks.fail(
            "closingDate",
            UserErrorCode::Invalid,
            "an open vacancy cannot close in the past",
        );
    }
}

fn source_text(checks: &mut Checks, source: Option<&VacancySource>) -> String {
    match source {
        None => VacancySourceKind::Developed.as_db().into(),
        Some(VacancySource {
            kind: VacancySourceKind::Feed,
            feed,
        }) => match feed.as_deref().map(str::trim) {
            Some(feed) if !feed.is_empty() => feed.to_string(),
            _ => {
                checks.fail("source.feed", UserErrorCode::Required, "name the feed");
                String::new()
            }
        },
        Some(VacancySource { kind, feed }) => {
            if feed.is_some() {
                checks.fail(
                    "source.feed",
                    UserErrorCode::Invalid,
                    "only FEED vacancies name a feed",
                );
            }
            kind.as_db().into()
        }
    }
}

async fn resolve_employer(
    db: &DatabaseConnection,
    checks: &mut Checks,
    id: &str,
) -> Result<Option<Uuid>, ApiError> {
    let found = match ids::decode_as(id, Kind::Employer) {
        Some(uuid) => entities::employer::Entity::find_by_id(uuid).one(db).await?,
        None => None,
    };
    match found {
        Some(e) => Ok(Some(e.id)),
        None => {
            checks.fail("employerId", UserErrorCode::NotFound, "no such employer");
            Ok(None)
        }
    }
}

fn skills_text(skills: &[String]) -> String {
    skills
        .iter()
        .map(|s| s.replace(['\n', '\r'], " ").trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn apply_location(row: &mut vacancy::Model, location: Option<&Location>) {
    let location = location.cloned().unwrap_or_default();
    let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    row.town = clean(location.town);
    row.postcode = clean(location.postcode).map(|p| p.to_uppercase());
    row.latitude = location.latitude;
    row.longitude = location.longitude;
}

fn apply_pay(row: &mut vacancy::Model, pay: Option<&PayInput>) {
    row.pay_min = pay.and_then(|p| p.min);
    row.pay_max = pay.and_then(|p| p.max);
    row.pay_period = pay.map(|p| p.period.as_db().to_string());
}

fn duplicate_external(e: sea_orm::DbErr) -> ServiceError {
    if is_unique_violation(&e) {
        ServiceError::user(
            "externalId",
            UserErrorCode::Duplicate,
            "this source already has a vacancy with this id",
        )
    } else {
        e.into()
    }
}

/// A new vacancy row holding `facts` from `source` (a DRAFT, permanent, with no employer record,
/// nobody recorded as its author); callers set what their input adds. Problems go to `checks`;
/// `check_row` checks the whole row afterwards.
pub(crate) fn new_row(
    checks: &mut Checks,
    facts: &VacancyFactsInput,
    source: String,
    at: chrono::DateTime<Utc>,
) -> vacancy::Model {
    let mut row = vacancy::Model {
        id: Uuid::now_v7(),
        title: facts.title.clone(),
        description: facts.description.trim().to_string(),
        skills: skills_text(&facts.skills),
        employer_id: None,
        employer_name: checks.optional_text(
            "employerName",
            facts.employer_name.as_deref(),
            SHORT_TEXT,
        ),
        soc_code: facts.occupation.as_ref().map(|o| o.code.trim().to_string()),
        soc_version: facts
            .occupation
            .as_ref()
            .map(|o| o.version.as_db().to_string()),
        sector: facts.sector.map(|s| s.as_db().to_string()),
        town: None,
        postcode: None,
        latitude: None,
        longitude: None,
        remote: facts.remote,
        hours_min: facts.hours_per_week_min,
        hours_max: facts.hours_per_week_max,
        shifts: join(&facts.shifts, ShiftPattern::as_db),
        pay_min: None,
        pay_max: None,
        pay_period: None,
        pay_min_hourly: None,
        pay_max_hourly: None,
        contract_type: ContractType::Permanent.as_db().into(),
        closing_date: facts.closing_date.map(|d| d.0),
        status: VacancyStatus::Draft.as_db().into(),
        source,
        external_id: None,
        environments: join(&facts.environments, WorkEnvironment::as_db),
        dbs_level: facts.dbs_level.as_db().into(),
        drug_testing: facts.drug_testing.as_db().into(),
        posted_at: None,
        created_by_id: None,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    apply_location(&mut row, facts.location.as_ref());
    apply_pay(&mut row, facts.pay.as_ref());
    row
}

/// Records a new vacancy (draft or open) and its change-log row.
pub async fn create_vacancy(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: VacancyCreateInput,
) -> Result<vacancy::Model, ServiceError> {
    let mut checks = Checks::new();
    let employer_id = match &input.employer_id {
        Some(id) => resolve_employer(db, &mut checks, id).await?,
        None => None,
    };
    if !matches!(input.status, VacancyStatus::Draft | VacancyStatus::Open) {
        checks.fail(
            "status",
            UserErrorCode::Invalid,
            "a new vacancy is DRAFT or OPEN",
        );
    }
    let at = now();
    let source = source_text(&mut checks, input.source.as_ref());
    let mut row = new_row(&mut checks, &input.facts, source, at);
    row.employer_id = employer_id;
    row.contract_type = input.contract_type.as_db().into();
    row.status = input.status.as_db().into();
    row.external_id = input.external_id;
    row.posted_at = (input.status == VacancyStatus::Open).then_some(at);
    row.created_by_id = Some(viewer.id());
    check_row(&mut checks, &mut row);
    checks.finish()?;

    let txn = crate::db::begin_write(db).await?;
    let created = vacancy::ActiveModel::from(row)
        .reset_all()
        .insert(&txn)
        .await
        .map_err(duplicate_external)?;
    record(&txn, ENTITY, created.id, ChangeOp::Create).await?;
    txn.commit().await?;
    Ok(created)
}

async fn existing_vacancy(
    db: &DatabaseConnection,
    id: &str,
) -> Result<vacancy::Model, ServiceError> {
    let found = match ids::decode_as(id, Kind::Vacancy) {
        Some(uuid) => find_vacancy(db, uuid).await?,
        None => None,
    };
    found.ok_or_else(|| ServiceError::user("id", UserErrorCode::NotFound, "no such vacancy"))
}

/// Writes a changed row if it is still at `version`, with its change-log row, in one transaction.
async fn write_change(
    db: &DatabaseConnection,
    mut row: vacancy::Model,
    version: i32,
    op: ChangeOp,
) -> Result<vacancy::Model, ServiceError> {
    row.version = version + 1;
    row.updated_at = now();
    let id = row.id;
    let txn = crate::db::begin_write(db).await?;
    let result = vacancy::Entity::update_many()
        .set(vacancy::ActiveModel::from(row).reset_all())
        .filter(vacancy::Column::Id.eq(id))
        .filter(vacancy::Column::Version.eq(version))
        .exec(&txn)
        .await
        .map_err(duplicate_external)?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    record(&txn, ENTITY, id, op).await?;
    txn.commit().await?;
    Ok(find_vacancy(db, id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("vacancy {id} vanished")))?)
}

/// Whether any client has an application for the vacancy: its employer is then fixed, since the
/// consent gate passed (and the disclosure log names) the employer it had.
pub async fn has_applications(
    conn: &impl sea_orm::ConnectionTrait,
    vacancy_id: Uuid,
) -> Result<bool, ApiError> {
    use sea_orm::PaginatorTrait;
    Ok(entities::application::Entity::find()
        .filter(entities::application::Column::VacancyId.eq(vacancy_id))
        .count(conn)
        .await?
        > 0)
}

/// Changes a vacancy's details, refusing a stale version (and a change of employer once clients
/// have applied).
pub async fn update_vacancy(
    db: &DatabaseConnection,
    input: VacancyUpdateInput,
) -> Result<vacancy::Model, ServiceError> {
    let current = existing_vacancy(db, &input.id).await?;
    let mut checks = Checks::new();
    let mut row = current.clone();
    if let Some(title) = input.title {
        row.title = title;
    }
    if let Some(description) = input.description {
        row.description = description.trim().to_string();
    }
    if let Some(skills) = &input.skills {
        row.skills = skills_text(skills);
    }
    match &input.employer_id {
        Patch::Keep => {}
        Patch::Clear => row.employer_id = None,
        Patch::Set(id) => row.employer_id = resolve_employer(db, &mut checks, id).await?,
    }
    if row.employer_id != current.employer_id && has_applications(db, current.id).await? {
        checks.fail(
            "employerId",
            UserErrorCode::Invalid,
            "clients have applied for this vacancy (under consent for its employer): its employer cannot change; record a new vacancy",
        );
    }
    match &input.employer_name {
        Patch::Keep => {}
        Patch::Clear => row.employer_name = None,
        Patch::Set(name) => {
            row.employer_name = checks.optional_text("employerName", Some(name), SHORT_TEXT)
        }
    }
    match &input.occupation {
        Patch::Keep => {}
        Patch::Clear => (row.soc_code, row.soc_version) = (None, None),
        Patch::Set(o) => {
            (row.soc_code, row.soc_version) = (
                Some(o.code.trim().to_string()),
                Some(o.version.as_db().to_string()),
            );
        }
    }
    match input.sector {
        Patch::Keep => {}
        Patch::Clear => row.sector = None,
        Patch::Set(s) => row.sector = Some(s.as_db().into()),
    }
    match &input.location {
        Patch::Keep => {}
        Patch::Clear => apply_location(&mut row, None),
        Patch::Set(l) => apply_location(&mut row, Some(l)),
    }
    if let Some(remote) = input.remote {
        row.remote = remote;
    }
    match input.hours_per_week_min {
        Patch::Keep => {}
        Patch::Clear => row.hours_min = None,
        Patch::Set(h) => row.hours_min = Some(h),
    }
    match input.hours_per_week_max {
        Patch::Keep => {}
        Patch::Clear => row.hours_max = None,
        Patch::Set(h) => row.hours_max = Some(h),
    }
    if let Some(shifts) = &input.shifts {
        row.shifts = join(shifts, ShiftPattern::as_db);
    }
    match &input.pay {
        Patch::Keep => {}
        Patch::Clear => apply_pay(&mut row, None),
        Patch::Set(p) => apply_pay(&mut row, Some(p)),
    }
    if let Some(contract) = input.contract_type {
        row.contract_type = contract.as_db().into();
    }
    match input.closing_date {
        Patch::Keep => {}
        Patch::Clear => row.closing_date = None,
        Patch::Set(d) => row.closing_date = Some(d.0),
    }
    if let Some(environments) = &input.environments {
        row.environments = join(environments, WorkEnvironment::as_db);
    }
    if let Some(dbs) = input.dbs_level {
        row.dbs_level = dbs.as_db().into();
    }
    if let Some(testing) = input.drug_testing {
        row.drug_testing = testing.as_db().into();
    }
    check_row(&mut checks, &mut row);
    checks.finish()?;
    if input.version != current.version {
        return Err(ServiceError::stale_version());
    }
    write_change(db, row, current.version, ChangeOp::Update).await
}

/// Moves a vacancy to another status. EXPIRED is the service's alone; a vacancy that has been open
/// cannot go back to DRAFT; reopening needs a closing date that has not passed.
pub async fn change_status(
    db: &DatabaseConnection,
    input: VacancyStatusChangeInput,
) -> Result<vacancy::Model, ServiceError> {
    let current = existing_vacancy(db, &input.id).await?;
    if input.status == VacancyStatus::Expired {
        return Err(ServiceError::user(
            "status",
            UserErrorCode::Invalid,
            "vacancies expire on their own when the closing date passes",
        ));
    }
    if input.version != current.version {
        return Err(ServiceError::stale_version());
    }
    if current.status == input.status.as_db() {
        return Ok(current);
    }
    if input.status == VacancyStatus::Draft && current.posted_at.is_some() {
        return Err(ServiceError::user(
            "status",
            UserErrorCode::Invalid,
            "a vacancy that has been open cannot go back to draft",
        ));
    }
    let mut row = current.clone();
    if input.status == VacancyStatus::Open {
        if current
            .closing_date
            .is_some_and(|d| d < crate::clock::today())
        {
            return Err(ServiceError::user(
                "status",
                UserErrorCode::Invalid,
                "the closing date has passed; set a new one before reopening",
            ));
        }
        row.posted_at = row.posted_at.or(Some(now()));
    }
    row.status = input.status.as_db().into();
    write_change(db, row, current.version, ChangeOp::Update).await
}

/// Expires every open vacancy whose closing date is before `today`; returns how many expired.
pub async fn expire_overdue(db: &DatabaseConnection, today: NaiveDate) -> Result<u64, ApiError> {
    let overdue = || {
        Condition::all()
            .add(vacancy::Column::Status.eq(VacancyStatus::Open.as_db()))
            .add(vacancy::Column::ClosingDate.lt(today))
    };
    let txn = crate::db::begin_write(db).await?;
    let ids: Vec<Uuid> = vacancy::Entity::find()
        .filter(overdue())
        .all(&txn)
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let expired = expire(&txn, &ids, overdue()).await?;
    txn.commit().await?;
    Ok(expired)
}

/// Inserts new vacancies with a CREATE change-log row each, many rows a statement (bulk sync, the
/// import command and the demo). Each chunk writes its vacancies before their log rows.
pub async fn insert_new(
    conn: &impl sea_orm::ConnectionTrait,
    rows: &[vacancy::Model],
) -> Result<(), sea_orm::DbErr> {
    for chunk in rows.chunks(200) {
        vacancy::Entity::insert_many(
            chunk
                .iter()
                .map(|v| vacancy::ActiveModel::from(v.clone()).reset_all()),
        )
        .exec(conn)
        .await?;
        entities::change_log::Entity::insert_many(chunk.iter().map(|v| {
            entities::change_log::ActiveModel {
                seq: sea_orm::NotSet,
                entity: sea_orm::Set(ENTITY.into()),
                entity_id: sea_orm::Set(v.id),
                op: sea_orm::Set("CREATE".into()),
                tx_id: sea_orm::NotSet,
                changed_at: sea_orm::Set(v.created_at),
            }
        }))
        .exec(conn)
        .await?;
    }
    Ok(())
}

/// Marks the vacancies `ids` EXPIRED where `still` holds (the version goes up), with an EXPIRE
/// change-log row each, on `txn`. Returns how many changed.
pub(crate) async fn expire(
    txn: &sea_orm::DatabaseTransaction,
    ids: &[Uuid],
    still: Condition,
) -> Result<u64, ApiError> {
    let mut changed = 0;
    for chunk in ids.chunks(500) {
        changed += vacancy::Entity::update_many()
            .col_expr(
                vacancy::Column::Status,
                Expr::value(VacancyStatus::Expired.as_db()),
            )
            .col_expr(
                vacancy::Column::Version,
                Expr::col(vacancy::Column::Version).add(1),
            )
            .col_expr(vacancy::Column::UpdatedAt, Expr::value(now()))
            .filter(still.clone())
            .filter(vacancy::Column::Id.is_in(chunk.to_vec()))
            .exec(txn)
            .await?
            .rows_affected;
        for id in chunk {
            record(txn, ENTITY, *id, ChangeOp::Expire).await?;
        }
    }
    Ok(changed)
}

/// Expires overdue vacancies now and then every `every`, for as long as the process runs.
pub async fn expire_overdue_forever(db: DatabaseConnection, every: std::time::Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        match expire_overdue(&db, crate::clock::today()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "expired vacancies past their closing date"),
            Err(ApiError::Internal(e)) => {
                tracing::warn!(error = format!("{e:#}"), "expiring vacancies failed")
            }
            Err(_) => {}
        }
    }
}

/// One page of vacancies, newest first.
pub async fn list_vacancies(
    db: &DatabaseConnection,
    filter: &VacancyFilter,
    sort: VacancyOrder,
    args: &PageArgs,
    want_total: bool,
) -> Result<Page<vacancy::Model>, ApiError> {
    let mut select = vacancy::Entity::find();
    if let Some(statuses) = &filter.statuses {
        select = select.filter(vacancy::Column::Status.is_in(statuses.iter().map(|s| s.as_db())));
    }
    if let Some(employer) = &filter.employer_id {
        let id = ids::decode_as(employer, Kind::Employer).unwrap_or_else(Uuid::nil);
        select = select.filter(vacancy::Column::EmployerId.eq(id));
    }
    if let Some(kinds) = &filter.source_kinds {
        let mut any = Condition::any();
        for kind in kinds {
            any = match kind {
                VacancySourceKind::Feed => any.add(vacancy::Column::Source.is_not_in([
                    VacancySourceKind::Developed.as_db(),
                    VacancySourceKind::Employer.as_db(),
                ])),
                other => any.add(vacancy::Column::Source.eq(other.as_db())),
            };
        }
        select = select.filter(any);
    }
    if let Some(feed) = &filter.feed {
        select = select.filter(vacancy::Column::Source.eq(feed.trim()));
    }
    if let Some(contracts) = &filter.contract_types {
        select =
            select.filter(vacancy::Column::ContractType.is_in(contracts.iter().map(|c| c.as_db())));
    }
    if let Some(sectors) = &filter.sectors {
        select = select.filter(vacancy::Column::Sector.is_in(sectors.iter().map(|s| s.as_db())));
    }
    if let Some(prefix) = &filter.occupation_prefix {
        let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
        select = select.filter(vacancy::Column::SocCode.starts_with(digits));
    }
    if let Some(since) = filter.posted_since {
        select = select.filter(vacancy::Column::PostedAt.gte(truncate_to_micros(since)));
    }
    if let Some(after) = filter.closing_after {
        select = select.filter(
            Condition::any()
                .add(vacancy::Column::ClosingDate.is_null())
                .add(vacancy::Column::ClosingDate.gte(after.0)),
        );
    }
    let order = sort.direction.order();
    let keyset = match sort.field {
        VacancyOrderField::CreatedAt => Keyset {
            sort: vacancy::Column::CreatedAt,
            id: vacancy::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &vacancy::Model| (SortValue::Time(r.created_at), r.id),
        },
        VacancyOrderField::UpdatedAt => Keyset {
            sort: vacancy::Column::UpdatedAt,
            id: vacancy::Column::Id,
            order,
            kind: KeyKind::Time,
            key_of: |r: &vacancy::Model| (SortValue::Time(r.updated_at), r.id),
        },
    };
    fetch_page(db, select, &keyset, args, want_total).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_is_normalised_to_hours() {
        assert_eq!(hourly(12.5, PayPeriod::Hourly, 37.5), 12.5);
        assert_eq!(hourly(450.0, PayPeriod::Weekly, 37.5), 12.0);
        assert_eq!(hourly(23_400.0, PayPeriod::Annual, 37.5), 12.0);
        assert_eq!(hourly(240.0, PayPeriod::Weekly, 16.0), 15.0);
    }

    #[test]
    fn soc_2010_unit_groups_are_known_by_title() {
        assert_eq!(
            soc_title(SocVersion::Soc2010, "9272"),
            Some("Kitchen and catering assistants")
        );
        assert_eq!(soc_title(SocVersion::Soc2010, "0000"), None);
        assert_eq!(
            search_index::occupations::occupations()
                .unit_codes()
                .count(),
            369
        );
        assert_eq!(
            soc_title(SocVersion::Soc2010, "927"),
            None,
            "a minor group is not a unit"
        );
    }

    #[test]
    fn sources_read_back() {
        assert_eq!(read_source("DEVELOPED").kind, VacancySourceKind::Developed);
        let feed = read_source("dwp-find-a-job");
        assert_eq!(
            (feed.kind, feed.feed.as_deref()),
            (VacancySourceKind::Feed, Some("dwp-find-a-job"))
        );
    }
}
