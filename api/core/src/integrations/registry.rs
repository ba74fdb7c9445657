//! Registering integrators: admins name each system, give it a source key and the scopes it may be
//! granted, and can deactivate it (its tokens stop working at once).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use entities::integrator;

use super::access::Scope;
use crate::db::now;
use crate::error::{ApiError, ServiceError, UserErrorCode, is_unique_violation};
use crate::ids::{self, GlobalId, Kind};
use crate::validate::{Checks, SHORT_TEXT};

/// A new integrator.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct IntegratorRegisterInput {
    /// Its name.
    pub name: String,
    /// The feed key its records carry: lower-case letters, digits and hyphens, at most 50.
    pub source_key: String,
    /// The scopes its tokens may be granted.
    pub scopes: Vec<Scope>,
}

/// Changes to an integrator; absent fields stay as they are.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct IntegratorUpdateInput {
    /// Which integrator.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New scopes (replace the list).
    pub scopes: Option<Vec<Scope>>,
    /// False deactivates it (its tokens stop working); true restores it.
    pub active: Option<bool>,
}

/// True for a valid feed key: lower-case letters, digits and hyphens, 1–50 long.
pub fn is_source_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 50
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !matches!(key, "developed" | "employer")
}

fn check_scopes(checks: &mut Checks, scopes: &[Scope]) {
    if scopes.is_empty() {
        checks.fail(
            "scopes",
            UserErrorCode::Required,
            "grant at least one scope",
        );
    }
}

/// Registers an integrator.
pub async fn register(
    db: &DatabaseConnection,
    input: IntegratorRegisterInput,
) -> Result<integrator::Model, ServiceError> {
    let mut checks = Checks::new();
    let name = checks.required_text("name", &input.name, SHORT_TEXT);
    let source_key = input.source_key.trim().to_string();
    if !is_source_key(&source_key) {
        checks.fail(
            "sourceKey",
            UserErrorCode::Invalid,
            "a source key is lower-case letters, digits and hyphens (at most 50)",
        );
    }
    check_scopes(&mut checks, &input.scopes);
    checks.finish()?;
    let at = now();
    integrator::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        source_key: Set(source_key),
        scopes: Set(Scope::join(&input.scopes)),
        active: Set(true),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ServiceError::user(
                "sourceKey",
                UserErrorCode::Duplicate,
                "another integrator has this source key",
            )
        } else {
            e.into()
        }
    })
}

/// Changes an integrator, refusing a stale version.
pub async fn update(
    db: &DatabaseConnection,
    input: IntegratorUpdateInput,
) -> Result<integrator::Model, ServiceError> {
    let current = match ids::decode_as(&input.id, Kind::Integrator) {
        Some(id) => integrator::Entity::find_by_id(id).one(db).await?,
        None => None,
    }
    .ok_or_else(|| ServiceError::user("id", UserErrorCode::NotFound, "no such integrator"))?;
    let mut checks = Checks::new();
    let mut row: integrator::ActiveModel = current.clone().into();
    if let Some(name) = &input.name {
        row.name = Set(checks.required_text("name", name, SHORT_TEXT));
    }
    if let Some(scopes) = &input.scopes {
        check_scopes(&mut checks, scopes);
        row.scopes = Set(Scope::join(scopes));
    }
    if let Some(active) = input.active {
        row.active = Set(active);
    }
    checks.finish()?;
    if input.version != current.version {
        return Err(ServiceError::stale_version());
    }
    row.version = Set(current.version + 1);
    row.updated_at = Set(now());
    let result = integrator::Entity::update_many()
        .set(row)
        .filter(integrator::Column::Id.eq(current.id))
        .filter(integrator::Column::Version.eq(current.version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ServiceError::stale_version());
    }
    integrator::Entity::find_by_id(current.id)
        .one(db)
        .await?
        .ok_or_else(ServiceError::stale_version)
}

/// Every registered integrator, by name.
/// One registered integrator by id.
pub async fn find(
    db: &DatabaseConnection,
    id: uuid::Uuid,
) -> Result<Option<integrator::Model>, ApiError> {
    Ok(integrator::Entity::find_by_id(id).one(db).await?)
}

/// Every registered integrator, by name.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<integrator::Model>, ApiError> {
    Ok(integrator::Entity::find()
        .order_by_asc(integrator::Column::Name)
        .all(db)
        .await?)
}
