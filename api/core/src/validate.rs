//! Input checks shared by every mutation: each problem becomes a `UserError` naming its field, and all
//! problems in one input are reported together.

use crate::error::{ServiceError, UserError, UserErrorCode};
use crate::patch::Patch;

/// Longest single-line text accepted (names, titles, labels).
pub const SHORT_TEXT: usize = 200;
/// Longest free text accepted (notes, outcomes).
pub const LONG_TEXT: usize = 10_000;

/// Collects the problems found in one input.
#[derive(Default)]
pub struct Checks {
    errors: Vec<UserError>,
}

impl Checks {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn fail(&mut self, field: &str, code: UserErrorCode, message: impl Into<String>) {
        self.errors.push(UserError::on(field, code, message));
    }

    /// Trimmed text that must not be blank nor longer than `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.fail(
                field,
                UserErrorCode::Required,
                format!("{} is required", label(field)),
            );
        } else if value.chars().count() > max {
            self.fail(
                field,
                UserErrorCode::TooLong,
                format!("{} must be at most {max} characters", label(field)),
            );
        }
        value.to_string()
    }

    /// Trimmed optional text; blank becomes absent.
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        Some(self.required_text(field, value, max))
    }

    /// An optional field's change: absent keeps `current`, null clears it, a value is checked.
    pub fn change_text(
        &mut self,
        field: &str,
        value: &Patch<String>,
        max: usize,
        current: &Option<String>,
    ) -> Option<String> {
        match value {
            Patch::Keep => current.clone(),
            Patch::Clear => None,
            Patch::Set(v) => self.optional_text(field, Some(v), max),
        }
    }

    /// The same for an e-mail address.
    pub fn change_email(
        &mut self,
        field: &str,
        value: &Patch<String>,
        current: &Option<String>,
    ) -> Option<String> {
        match value {
            Patch::Keep => current.clone(),
            Patch::Clear => None,
            Patch::Set(v) => self.optional_email(field, Some(v)),
        }
    }

    /// An optional e-mail address, lower-cased.
    pub fn optional_email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.optional_text(field, value, SHORT_TEXT)?.to_lowercase();
        if !looks_like_email(&value) {
            self.fail(field, UserErrorCode::Invalid, "not an e-mail address");
        }
        Some(value)
    }

    /// A required e-mail address, lower-cased.
    pub fn required_email(&mut self, field: &str, value: &str) -> String {
        match self.optional_email(field, Some(value)) {
            Some(email) => email,
            None => {
                self.fail(
                    field,
                    UserErrorCode::Required,
                    "an e-mail address is required",
                );
                String::new()
            }
        }
    }

    /// A latitude and longitude: both or neither, each in range. Problems are reported on
    /// `<prefix>latitude` and `<prefix>longitude` (e.g. prefix `location.`).
    pub fn coordinates(&mut self, prefix: &str, latitude: Option<f64>, longitude: Option<f64>) {
        let (lat_field, lon_field) = (format!("{prefix}latitude"), format!("{prefix}longitude"));
        match (latitude, longitude) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    self.fail(
                        &lat_field,
                        UserErrorCode::Invalid,
                        "latitude must be between -90 and 90",
                    );
                }
                if !(-180.0..=180.0).contains(&lon) {
                    self.fail(
                        &lon_field,
                        UserErrorCode::Invalid,
                        "longitude must be between -180 and 180",
                    );
                }
            }
            (None, None) => {}
            (None, Some(_)) => self.fail(
                &lat_field,
                UserErrorCode::Required,
                "give latitude with longitude",
            ),
            (Some(_), None) => self.fail(
                &lon_field,
                UserErrorCode::Required,
                "give longitude with latitude",
            ),
        }
    }

    /// Succeeds when no problem was recorded.
    pub fn finish(self) -> Result<(), ServiceError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::User(self.errors))
        }
    }
}

/// The unique, sortable form of a name: lower case, inner whitespace collapsed.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
}

/// "locations.0.postcode" → "postcode"; "name" → "name".
fn label(field: &str) -> &str {
    field.rsplit('.').next().unwrap_or(field)
}

/// A LIKE pattern matching `word` anywhere, with LIKE's wildcards in it escaped.
pub fn like_pattern(word: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_required_text_names_the_field() {
        let mut checks = Checks::new();
        checks.required_text("name", "   ", 10);
        checks.required_text("locations.0.label", "x".repeat(11).as_str(), 10);
        let Err(ServiceError::User(errors)) = checks.finish() else {
            panic!("expected user errors");
        };
        assert_eq!(errors[0].field, Some(vec!["input".into(), "name".into()]));
        assert_eq!(errors[0].code, UserErrorCode::Required);
        assert_eq!(
            errors[1].field,
            Some(vec![
                "input".into(),
                "locations".into(),
                "0".into(),
                "label".into()
            ])
        );
        assert_eq!(errors[1].code, UserErrorCode::TooLong);
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        let mut checks = Checks::new();
        assert_eq!(
            checks.optional_email("email", Some(" Jo@Example.ORG ")),
            Some("jo@example.org".into())
        );
        assert_eq!(checks.optional_email("email", Some("")), None);
        assert!(checks.finish().is_ok());
        let mut checks = Checks::new();
        checks.optional_email("email", Some("jo@localhost"));
        assert!(checks.finish().is_err());
    }

    #[test]
    fn name_keys_ignore_case_and_spacing() {
        assert_eq!(name_key("  Greggs   PLC "), "greggs plc");
    }
}
