//! Registering integrators: admins name each system, give it a source key and the scopes it may be
//! granted, and can deactivate it (its tokens stop working at once). Exposed on the staff schema.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use entities::integrator;

use super::access::Scope;
use crate::auth::{Role, require_role};
use crate::ids::{self, Kind};
use crate::mutation_payload;
pub use ipsmatch_core::integrations::registry::{
    IntegratorRegisterInput, IntegratorUpdateInput, is_source_key, register, update,
};

/// A system registered to sync vacancies and employers.
pub struct IntegratorRecord(pub integrator::Model);

/// A system registered to sync vacancies and employers.
#[Object(name = "Integrator")]
impl IntegratorRecord {
    /// Opaque global id; the `sub` of its tokens is the UUID inside.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Integrator, self.0.id)
    }

    /// The integrator's UUID, as its tokens carry it in `sub`.
    async fn token_subject(&self) -> String {
        self.0.id.to_string()
    }

    /// Its name, e.g. `DWP Find a job (North West)`.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The feed key its vacancies and employers carry as their source.
    async fn source_key(&self) -> &str {
        &self.0.source_key
    }

    /// The scopes its tokens may be granted.
    async fn scopes(&self) -> Vec<Scope> {
        Scope::split(&self.0.scopes)
    }

    /// False once deactivated: its tokens are refused.
    async fn active(&self) -> bool {
        self.0.active
    }

    /// When it was registered.
    async fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.created_at
    }

    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

mutation_payload!(
    IntegratorRegisterPayload,
    integrator: IntegratorRecord,
    "The result of `integratorRegister`."
);
mutation_payload!(
    IntegratorUpdatePayload,
    integrator: IntegratorRecord,
    "The result of `integratorUpdate`."
);

/// `integrators` on the staff schema.
#[derive(Default)]
pub struct IntegratorQuery;

#[Object]
impl IntegratorQuery {
    /// Every registered integrator, by name. Admins only.
    async fn integrators(&self, ctx: &Context<'_>) -> Result<Vec<IntegratorRecord>> {
        require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(ipsmatch_core::integrations::registry::list(db)
            .await?
            .into_iter()
            .map(IntegratorRecord)
            .collect())
    }
}

/// `integratorRegister` and `integratorUpdate` on the staff schema.
#[derive(Default)]
pub struct IntegratorMutation;

#[Object]
impl IntegratorMutation {
    /// Registers a system that syncs vacancies and employers. Admins only.
    async fn integrator_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: IntegratorRegisterInput,
    ) -> Result<IntegratorRegisterPayload> {
        require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        IntegratorRegisterPayload::from_result(register(db, input).await, IntegratorRecord)
    }

    /// Renames an integrator, changes its scopes, or (de)activates it. Admins only.
    async fn integrator_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: IntegratorUpdateInput,
    ) -> Result<IntegratorUpdatePayload> {
        require_role(ctx, &[Role::Admin])?;
        let db = ctx.data::<DatabaseConnection>()?;
        IntegratorUpdatePayload::from_result(update(db, input).await, IntegratorRecord)
    }
}
