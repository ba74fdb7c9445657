//! Authentication: JWT bearer tokens with a pinned algorithm, required claims and a checked `typ`;
//! the caller's staff record and role are read from the database on every request. Integrator tokens
//! share the key but have their own `typ` and audience, so neither kind can stand in for the other.

use anyhow::Context as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{JwtAlgorithm, Settings};
use crate::error::ApiError;
pub use ipsmatch_core::access::{Role, Viewer, active_staff};

/// The `typ` header every staff token carries (RFC 9068 access token).
pub const STAFF_TOKEN_TYPE: &str = "at+jwt";
/// The `typ` header every integrator token carries.
pub const INTEGRATOR_TOKEN_TYPE: &str = "integrator+jwt";
/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECONDS: u64 = 30;

/// Claims of a staff token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer; must equal the configured issuer.
    pub iss: String,
    /// The staff member's id.
    pub sub: String,
    /// Audience; must contain the configured staff audience.
    pub aud: String,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
    /// Not valid before (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Issued at (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Integrator tokens: the scopes asked for, space-separated (`vacancies:read employers:read`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// The claims read after validation (`aud` may be a string or a list; the library checks it).
#[derive(Deserialize)]
struct Subject {
    sub: String,
    exp: u64,
    #[serde(default)]
    scope: Option<String>,
}

/// A verified token: whom it names, what it asks for, and when it expires (seconds since the
/// epoch). The caller it names is re-read for every operation ([`crate::session::caller`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The staff or integrator id.
    pub subject: Uuid,
    /// Integrator tokens: the scopes asked for.
    pub scopes: Vec<String>,
    /// Expiry (seconds since the epoch).
    pub expires_at: u64,
}

/// Why a presented token was refused. Never shown to the caller beyond `UNAUTHENTICATED`.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token header has typ {0:?}, expected {1}")]
    WrongType(Option<String>, &'static str),
    #[error("token rejected: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    #[error("token subject is not a staff id")]
    BadSubject,
}

/// Checks tokens against the one configured algorithm and key.
pub struct TokenVerifier {
    key: DecodingKey,
    staff: Validation,
    integrator: Validation,
}

impl TokenVerifier {
    fn check(
        &self,
        token: &str,
        typ: &'static str,
        validation: &Validation,
    ) -> Result<Subject, TokenError> {
        let header = jsonwebtoken::decode_header(token)?;
        if header.typ.as_deref() != Some(typ) {
            return Err(TokenError::WrongType(header.typ, typ));
        }
        Ok(jsonwebtoken::decode::<Subject>(token, &self.key, validation)?.claims)
    }

    /// Verifies a staff token (signature, algorithm, `typ`, `iss`, `aud`, `exp`, `nbf`).
    pub fn verify(&self, token: &str) -> Result<Verified, TokenError> {
        let claims = self.check(token, STAFF_TOKEN_TYPE, &self.staff)?;
        Ok(Verified {
            subject: Uuid::parse_str(&claims.sub).map_err(|_| TokenError::BadSubject)?,
            scopes: Vec::new(),
            expires_at: claims.exp,
        })
    }

    /// Verifies an integrator token the same way against the integrator `typ` and audience,
    /// with the scopes it asks for.
    pub fn verify_integrator(&self, token: &str) -> Result<Verified, TokenError> {
        let claims = self.check(token, INTEGRATOR_TOKEN_TYPE, &self.integrator)?;
        let subject = Uuid::parse_str(&claims.sub).map_err(|_| TokenError::BadSubject)?;
        let scopes = claims
            .scope
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        Ok(Verified {
            subject,
            scopes,
            expires_at: claims.exp,
        })
    }
}

/// Mints development tokens (HS256 only: with EdDSA the private key stays with the identity provider).
pub struct TokenIssuer {
    key: EncodingKey,
    issuer: String,
    audience: String,
    integrator_audience: String,
}

impl TokenIssuer {
    fn sign(
        &self,
        typ: &str,
        audience: &str,
        subject: Uuid,
        scope: Option<String>,
        ttl: std::time::Duration,
    ) -> anyhow::Result<String> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            sub: subject.to_string(),
            aud: audience.to_string(),
            exp: now + ttl.as_secs(),
            nbf: Some(now),
            iat: Some(now),
            scope,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(typ.into());
        jsonwebtoken::encode(&header, &claims, &self.key).context("signing a token")
    }

    /// A signed staff token for `staff_id`, valid for `ttl`.
    pub fn mint(&self, staff_id: Uuid, ttl: std::time::Duration) -> anyhow::Result<String> {
        self.sign(STAFF_TOKEN_TYPE, &self.audience, staff_id, None, ttl)
    }

    /// A signed integrator token for `integrator_id` asking for `scopes`, valid for `ttl`.
    pub fn mint_integrator(
        &self,
        integrator_id: Uuid,
        scopes: &[&str],
        ttl: std::time::Duration,
    ) -> anyhow::Result<String> {
        self.sign(
            INTEGRATOR_TOKEN_TYPE,
            &self.integrator_audience,
            integrator_id,
            Some(scopes.join(" ")),
            ttl,
        )
    }
}

/// Selects the aws-lc-rs crypto backend for jsonwebtoken. Call once at start-up; later calls are no-ops.
pub fn install_crypto_provider() {
    // Err means a provider is already installed, which is what we want.
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
}

/// Builds the verifier (and, for HS256, the issuer) from the settings, creating the development
/// secret when it does not exist yet.
pub fn load_keys(settings: &Settings) -> anyhow::Result<(TokenVerifier, Option<TokenIssuer>)> {
    install_crypto_provider();
    let (algorithm, decoding, issuer) = match settings.jwt_algorithm {
        JwtAlgorithm::Hs256 => {
            let secret =
                ipsmatch_core::private::load_or_create_secret(&settings.effective_secret_file())?;
            let issuer = TokenIssuer {
                key: EncodingKey::from_secret(&secret),
                issuer: settings.jwt_issuer.clone(),
                audience: settings.jwt_audience.clone(),
                integrator_audience: settings.jwt_integrator_audience.clone(),
            };
            (
                Algorithm::HS256,
                DecodingKey::from_secret(&secret),
                Some(issuer),
            )
        }
        JwtAlgorithm::EdDsa => {
            anyhow::ensure!(
                !settings.jwt_public_key_file.is_empty(),
                "IPSMATCH_JWT_PUBLIC_KEY_FILE must name a PEM public key when the algorithm is EdDSA"
            );
            let pem = std::fs::read(&settings.jwt_public_key_file)
                .with_context(|| format!("reading {}", settings.jwt_public_key_file))?;
            let key = DecodingKey::from_ed_pem(&pem).context("parsing the EdDSA public key")?;
            (Algorithm::EdDSA, key, None)
        }
    };
    anyhow::ensure!(
        settings.jwt_audience != settings.jwt_integrator_audience,
        "the staff and integrator token audiences must differ"
    );
    let validation = |audience: &str| {
        let mut validation = Validation::new(algorithm);
        validation.algorithms = vec![algorithm];
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&settings.jwt_issuer]);
        validation.set_audience(&[audience]);
        validation
    };
    Ok((
        TokenVerifier {
            key: decoding,
            staff: validation(&settings.jwt_audience),
            integrator: validation(&settings.jwt_integrator_audience),
        },
        issuer,
    ))
}

/// The token of an `Authorization: Bearer …` header; `UNAUTHENTICATED` for any other scheme.
pub fn bearer(header: &str) -> Result<&str, ApiError> {
    header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or(ApiError::Unauthenticated)
}
