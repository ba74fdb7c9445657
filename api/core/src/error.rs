//! Errors in three channels: expected mutation outcomes become `userErrors` in the payload; caller
//! faults become top-level errors with `extensions.code`; everything else is `INTERNAL`, its cause
//! chain logged and never sent.

use sea_orm::DbErr;

/// A top-level failure of a request or a field.
///
/// Deliberately not `Display`: async-graphql converts every `Display` type into an error without a
/// code, so leaving it out makes `?` go through the `From` below, which sets `extensions.code`.
#[derive(Debug)]
pub enum ApiError {
    /// No valid token, or the token's staff member is unknown or deactivated.
    Unauthenticated,
    /// The caller's role does not allow this.
    Forbidden,
    /// An argument the schema cannot express the rules of (e.g. a malformed cursor).
    BadUserInput(String),
    /// Search is unavailable while the index is (re)built from the database.
    SearchIndexRebuilding,
    /// Anything unexpected. The cause is logged, never returned.
    Internal(anyhow::Error),
}

impl ApiError {
    /// Wraps an unexpected failure.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(cause.into())
    }

    /// The message a caller sees.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated => "authentication required".into(),
            ApiError::Forbidden => "not allowed for your role".into(),
            ApiError::BadUserInput(message) => message.clone(),
            ApiError::SearchIndexRebuilding => {
                "the search index is being rebuilt; try again in a moment".into()
            }
            ApiError::Internal(_) => "internal error".into(),
        }
    }

    /// The `extensions.code` this error carries.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "UNAUTHENTICATED",
            ApiError::Forbidden => "FORBIDDEN",
            ApiError::BadUserInput(_) => "BAD_USER_INPUT",
            ApiError::SearchIndexRebuilding => "SEARCH_INDEX_REBUILDING",
            ApiError::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        ApiError::internal(err)
    }
}

#[cfg(feature = "graphql")]
impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        if let ApiError::Internal(cause) = &err {
            // The request span carries the request id, so the log line and the response meet.
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let code = err.code();
        use async_graphql::ErrorExtensions as _;
        async_graphql::Error::new(err.message()).extend_with(|_, e| e.set("code", code))
    }
}

/// Machine-readable reason for a user error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum UserErrorCode {
    /// A required value is missing or blank.
    Required,
    /// The value is not acceptable (format, range or choice).
    Invalid,
    /// The value is longer than allowed.
    TooLong,
    /// Another record already has this value where it must be unique.
    Duplicate,
    /// The referenced record does not exist (or is out of your reach).
    NotFound,
    /// The record changed since you read it; reload and apply your change again.
    StaleVersion,
    /// The record is archived or deactivated and cannot take this change.
    Archived,
    /// The engagement has already been corrected or retracted; correct the newest entry instead.
    AlreadySuperseded,
    /// The client has not consented to this employer being told about them (or the consent does
    /// not cover what this needs).
    DisclosureNotConsented,
}

/// An expected failure of a mutation, tied to the input field that caused it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct UserError {
    /// Path to the input field at fault, e.g. `["input", "name"]`; null when no single field is.
    pub field: Option<Vec<String>>,
    /// What kind of failure this is.
    pub code: UserErrorCode,
    /// A sentence for a person.
    pub message: String,
}

impl UserError {
    /// A user error on `input.<field>` (dotted paths allowed: `locations.0.postcode`).
    pub fn on(field: &str, code: UserErrorCode, message: impl Into<String>) -> Self {
        let mut path = vec!["input".to_string()];
        path.extend(field.split('.').map(str::to_string));
        UserError {
            field: Some(path),
            code,
            message: message.into(),
        }
    }
}

/// What a service call can end in besides success.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Expected, explainable failures: returned to the caller as `userErrors`.
    #[error("user errors: {0:?}")]
    User(Vec<UserError>),
    /// Caller faults and internal failures: top-level errors.
    #[error("{}", .0.message())]
    Api(ApiError),
}

impl From<ApiError> for ServiceError {
    fn from(err: ApiError) -> Self {
        ServiceError::Api(err)
    }
}

impl ServiceError {
    /// The record changed since the caller read it (optimistic concurrency).
    pub fn stale_version() -> Self {
        ServiceError::user(
            "version",
            UserErrorCode::StaleVersion,
            "this record changed since you read it; reload and try again",
        )
    }

    /// One user error.
    pub fn user(field: &str, code: UserErrorCode, message: impl Into<String>) -> Self {
        ServiceError::User(vec![UserError::on(field, code, message)])
    }
}

impl From<DbErr> for ServiceError {
    fn from(err: DbErr) -> Self {
        ServiceError::Api(err.into())
    }
}

/// True when a database error is a unique-constraint violation (both backends).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
