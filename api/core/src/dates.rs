//! The `Date` scalar: a calendar date without a time, written `2026-11-26` (ISO 8601); and the
//! first and last second of a day, for ranges of days read as instants.

use chrono::NaiveDate;

/// A calendar date, e.g. `2026-11-26`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

#[cfg(feature = "graphql")]
mod graphql {
    use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
    use chrono::NaiveDate;

    use super::Date;

    /// A calendar date without a time, written `YYYY-MM-DD` (ISO 8601).
    #[Scalar(
        name = "Date",
        specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
    )]
    impl ScalarType for Date {
        fn parse(value: Value) -> InputValueResult<Self> {
            match &value {
                Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map(Date)
                    .map_err(|_| {
                        InputValueError::custom(format!("`{text}` is not a date (YYYY-MM-DD)"))
                    }),
                _ => Err(InputValueError::expected_type(value)),
            }
        }

        fn to_value(&self) -> Value {
            Value::String(self.0.format("%Y-%m-%d").to_string())
        }
    }
}

/// The last second of `day`.
pub fn end_of(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(23, 59, 59)
        .map_or_else(crate::clock::now, |t| t.and_utc())
}

/// The first second of `day`.
pub fn start_of(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(0, 0, 0)
        .map_or_else(crate::clock::now, |t| t.and_utc())
}
