//! A client's consent to share their progress with their keyworker: the object, and its grant and
//! revoke mutations over [`ipsmatch_core::consent::keyworker`].

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use entities::keyworker_consent;

use super::model::{CaptureMethod, ConsentStatus};
use crate::auth::viewer;
use crate::ids::{self, Kind};
use crate::staff::types::{Staff, required_staff};
pub use ipsmatch_core::consent::keyworker::{
    KeyworkerConsentGrantInput, KeyworkerConsentRevokeInput, KeyworkerShareItem, grant, in_force,
    items_of, revoke,
};

/// One version of a client's consent to share their progress with a keyworker.
pub struct KeyworkerConsent(pub keyworker_consent::Model);

/// One version of a client's consent to share their progress with a named keyworker.
#[Object]
impl KeyworkerConsent {
    /// Opaque id of this version.
    async fn id(&self) -> ID {
        ids::encode(Kind::KeyworkerConsent, self.0.id)
    }

    /// The version number (1 when granted; a revocation adds one).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The keyworker who may be told.
    async fn keyworker(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.keyworker_id, "keyworker_consent.keyworker_id").await
    }

    /// What may be shared.
    async fn items(&self) -> Vec<KeyworkerShareItem> {
        items_of(&self.0)
    }

    /// The exact words the client agreed to.
    async fn wording(&self) -> &str {
        &self.0.wording
    }

    /// How it was captured.
    async fn captured_how(&self) -> Result<CaptureMethod> {
        Ok(CaptureMethod::from_db(&self.0.captured_how)?)
    }

    /// Who captured this version.
    async fn captured_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(
            ctx,
            self.0.captured_by_id,
            "keyworker_consent.captured_by_id",
        )
        .await
    }

    /// When this version was captured.
    async fn captured_at(&self) -> DateTime<Utc> {
        self.0.captured_at
    }

    /// When it takes effect.
    async fn effective_from(&self) -> DateTime<Utc> {
        self.0.effective_from
    }

    /// When it lapses.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }

    /// Active or revoked.
    async fn status(&self) -> Result<ConsentStatus> {
        Ok(ConsentStatus::from_db(&self.0.status)?)
    }

    /// Why it was revoked, if it was.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// Whether the keyworker may be told now (active, in effect, not expired).
    async fn in_force(&self) -> bool {
        in_force(&self.0, ipsmatch_core::clock::now())
    }
}

crate::mutation_payload!(
    KeyworkerConsentGrantPayload,
    consent: KeyworkerConsent,
    "Result of `keyworkerConsentGrant`."
);

crate::mutation_payload!(
    KeyworkerConsentRevokePayload,
    consent: KeyworkerConsent,
    "Result of `keyworkerConsentRevoke`."
);

/// `keyworkerConsentGrant` and `keyworkerConsentRevoke`.
#[derive(Default)]
pub struct KeyworkerConsentMutation;

#[Object]
impl KeyworkerConsentMutation {
    /// Records a client's consent to share their progress (and, if they agree, their employers'
    /// names) with one keyworker.
    async fn keyworker_consent_grant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consent as the client gave it.")] input: KeyworkerConsentGrantInput,
    ) -> Result<KeyworkerConsentGrantPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        KeyworkerConsentGrantPayload::from_result(grant(db, me, input).await, KeyworkerConsent)
    }

    /// Revokes a keyworker consent; it takes effect at once.
    async fn keyworker_consent_revoke(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The revocation.")] input: KeyworkerConsentRevokeInput,
    ) -> Result<KeyworkerConsentRevokePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        KeyworkerConsentRevokePayload::from_result(revoke(db, me, input).await, KeyworkerConsent)
    }
}
