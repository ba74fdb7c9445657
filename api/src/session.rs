//! The one place a caller is authenticated for an operation, for HTTP and WebSocket alike: a bearer
//! token is verified into a [`Credential`] (signature, claims, expiry), and [`caller`] reads whom
//! it names from the database — now, for every operation and every subscription event. A socket
//! keeps the credential it was opened with and the standing the caller had then; an operation or
//! event after the token expired, or after the caller was deactivated or changed role, team or
//! scopes, is refused (and the socket closed).

use sea_orm::DatabaseConnection;

use crate::auth::{TokenVerifier, Viewer, active_staff, bearer};
use crate::error::ApiError;
use crate::integrations::access::{Integrator, active_integrator};

/// Which kind of token a surface takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Staff tokens (`/graphql`).
    Staff,
    /// Integrator tokens (`/integrations/graphql`).
    Integrator,
}

/// A verified token of one audience.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    /// Staff or integrator.
    pub audience: Audience,
    /// What the token says.
    pub token: crate::auth::Verified,
}

impl Credential {
    /// Seconds from now until the token expires, with the clock-skew leeway every token check
    /// allows (0 once it has).
    pub fn seconds_left(&self) -> u64 {
        (self.token.expires_at + crate::auth::LEEWAY_SECONDS)
            .saturating_sub(jsonwebtoken::get_current_timestamp())
    }

    /// Whether the token has expired.
    pub fn expired(&self) -> bool {
        self.seconds_left() == 0
    }
}

/// Who is calling, as the database holds them now.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A member of staff.
    Staff(Viewer),
    /// An integrator.
    Integrator(Integrator),
}

impl Caller {
    /// Whether `self` (now) still holds the standing `before` had when the socket opened: the
    /// same role and team for staff, the same scopes for an integrator. Any change means the
    /// caller must sign in again.
    pub fn same_standing(&self, before: &Caller) -> bool {
        match (self, before) {
            (Caller::Staff(now), Caller::Staff(then)) => {
                now.id() == then.id()
                    && now.role == then.role
                    && now.staff.team_id == then.staff.team_id
            }
            (Caller::Integrator(now), Caller::Integrator(then)) => {
                now.id() == then.id() && now.scopes == then.scopes
            }
            _ => false,
        }
    }

    /// The staff member's or integrator's id.
    pub fn id(&self) -> uuid::Uuid {
        match self {
            Caller::Staff(viewer) => viewer.id(),
            Caller::Integrator(integrator) => integrator.id(),
        }
    }

    /// Puts the caller into an operation's data, where resolvers find it.
    pub fn insert_into(self, data: &mut async_graphql::Data) {
        match self {
            Caller::Staff(viewer) => data.insert(viewer),
            Caller::Integrator(integrator) => data.insert(integrator),
        }
    }
}

/// Verifies the token of an `Authorization` header for `audience`. `Ok(None)` means no header was
/// sent (an anonymous request); any other refusal is `UNAUTHENTICATED` (the reason is logged).
pub fn credential(
    verifier: &TokenVerifier,
    audience: Audience,
    authorization: Option<&str>,
) -> Result<Option<Credential>, ApiError> {
    let Some(header) = authorization else {
        return Ok(None);
    };
    let token = bearer(header)?;
    let verified = match audience {
        Audience::Staff => verifier.verify(token),
        Audience::Integrator => verifier.verify_integrator(token),
    }
    .map_err(|e| {
        tracing::info!(reason = %e, ?audience, "refused a token");
        ApiError::Unauthenticated
    })?;
    Ok(Some(Credential {
        audience,
        token: verified,
    }))
}

/// The caller `credential` names, checked now: the token unexpired, the member of staff or
/// integrator active. Every operation runs this, over HTTP and over a socket.
pub async fn caller(db: &DatabaseConnection, credential: &Credential) -> Result<Caller, ApiError> {
    if credential.expired() {
        return Err(ApiError::Unauthenticated);
    }
    match credential.audience {
        Audience::Staff => Ok(Caller::Staff(
            active_staff(db, credential.token.subject).await?,
        )),
        Audience::Integrator => Ok(Caller::Integrator(
            active_integrator(db, credential.token.subject, &credential.token.scopes).await?,
        )),
    }
}

/// The caller of an operation on a socket opened as `signed_in`: refused unless they still hold
/// the same standing (see [`Caller::same_standing`]).
pub async fn recheck(
    db: &DatabaseConnection,
    credential: &Credential,
    signed_in: &Caller,
) -> Result<Caller, ApiError> {
    let now = caller(db, credential).await?;
    if now.same_standing(signed_in) {
        Ok(now)
    } else {
        tracing::info!(
            "refused an operation: the caller's role, team or scopes changed since the socket opened"
        );
        Err(ApiError::Unauthenticated)
    }
}

/// The member of staff an `Authorization` header names, checked now (the staff surface's
/// [`caller`]); `Ok(None)` when no header was sent.
pub async fn staff_caller(
    db: &DatabaseConnection,
    verifier: &TokenVerifier,
    authorization: Option<&str>,
) -> Result<Option<Viewer>, ApiError> {
    match credential(verifier, Audience::Staff, authorization)? {
        None => Ok(None),
        Some(credential) => match caller(db, &credential).await? {
            Caller::Staff(viewer) => Ok(Some(viewer)),
            Caller::Integrator(_) => Err(ApiError::Unauthenticated),
        },
    }
}
