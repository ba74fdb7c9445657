//! Short-lived, report-only links for a browser. A page link cannot carry a header, and an API
//! token in a URL lands in browser history, logs and forwarded links; so `reportLink` signs one
//! report, for one scope and range, for ten minutes, with a key of the service's own (never
//! accepted as an API token: its own `typ`, audience and key). The report handlers take the scope
//! and dates from the link, not from the URL around it, and re-read the member of staff it names.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long a link opens its report.
pub const LINK_TTL_SECONDS: u64 = 600;
/// The `typ` of a link token.
const LINK_TYPE: &str = "report-link+jwt";
/// The audience of a link token (no API takes it).
const LINK_AUDIENCE: &str = "ipsmatch-report-link";

/// What a link opens: one report, for one scope and range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedReport {
    /// The report's path (`/reports/fidelity`, `/reports/ips-grow.csv`).
    pub path: String,
    /// A specialist's global id, when the scope is one specialist.
    pub specialist_id: Option<String>,
    /// A team's global id, when the scope is a team.
    pub team_id: Option<String>,
    /// First day.
    pub from: chrono::NaiveDate,
    /// Last day.
    pub to: chrono::NaiveDate,
}

#[derive(Serialize, Deserialize)]
struct LinkClaims {
    iss: String,
    aud: String,
    sub: String,
    exp: u64,
    iat: u64,
    report: LinkedReport,
}

/// Signs and opens report links with the service's own key.
pub struct LinkKey {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
}

impl LinkKey {
    /// Reads the key, creating it (32 random bytes, readable by the owner only) on first start.
    pub fn load(path: &std::path::Path, issuer: &str) -> anyhow::Result<Self> {
        // Err means a provider is already installed, which is what we want.
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        let secret = ipsmatch_core::private::load_or_create_secret(path)?;
        Ok(Self {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            issuer: issuer.to_owned(),
        })
    }

    /// A link token for `staff_id` to open `report`; with its expiry (seconds since the epoch).
    pub fn sign(&self, staff_id: Uuid, report: LinkedReport) -> anyhow::Result<(String, u64)> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = LinkClaims {
            iss: self.issuer.clone(),
            aud: LINK_AUDIENCE.into(),
            sub: staff_id.to_string(),
            exp: now + LINK_TTL_SECONDS,
            iat: now,
            report,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(LINK_TYPE.into());
        Ok((
            jsonwebtoken::encode(&header, &claims, &self.encoding)?,
            claims.exp,
        ))
    }

    /// Whom a link names and what it opens, if it is one of ours, unexpired, for `path`.
    pub fn open(&self, token: &str, path: &str) -> Option<(Uuid, LinkedReport)> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.typ.as_deref() != Some(LINK_TYPE) {
            return None;
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[LINK_AUDIENCE]);
        let claims = jsonwebtoken::decode::<LinkClaims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        if claims.report.path != path {
            return None;
        }
        Some((Uuid::parse_str(&claims.sub).ok()?, claims.report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_only_its_own_report() {
        let dir = std::env::temp_dir().join(format!("ipsmatch-link-{}", Uuid::now_v7()));
        let key = LinkKey::load(&dir.join("report-link-secret"), "ipsmatch").expect("key");
        let report = LinkedReport {
            path: "/reports/fidelity".into(),
            specialist_id: None,
            team_id: Some("team".into()),
            from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            to: chrono::NaiveDate::from_ymd_opt(2026, 3, 31).expect("date"),
        };
        let staff = Uuid::now_v7();
        let (token, _) = key.sign(staff, report.clone()).expect("signed");
        assert_eq!(key.open(&token, "/reports/fidelity"), Some((staff, report)));
        assert_eq!(key.open(&token, "/reports/ips-grow.csv"), None);
        assert_eq!(key.open(&format!("{token}x"), "/reports/fidelity"), None);
        std::fs::remove_dir_all(dir).ok();
    }
}
