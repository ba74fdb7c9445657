//! The change feed's vocabulary: what kind of record changed, and how.

/// What kind of record changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum ChangeEntity {
    /// A vacancy.
    Vacancy,
    /// An employer.
    Employer,
}

impl ChangeEntity {
    /// The change-log name.
    pub fn as_db(self) -> &'static str {
        match self {
            ChangeEntity::Vacancy => crate::vacancies::service::ENTITY,
            ChangeEntity::Employer => crate::employers::service::ENTITY,
        }
    }

    pub(super) fn from_db(text: &str) -> Option<Self> {
        [ChangeEntity::Vacancy, ChangeEntity::Employer]
            .into_iter()
            .find(|e| e.as_db() == text)
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum ChangeKind {
    /// The record was created.
    Created,
    /// The record changed.
    Updated,
    /// The vacancy expired (closing date passed, or left out of a full snapshot). Records are
    /// never deleted: a change is one of these three.
    Expired,
}

impl ChangeKind {
    pub(super) fn from_db(text: &str) -> Self {
        match text {
            "CREATE" => ChangeKind::Created,
            "EXPIRE" => ChangeKind::Expired,
            _ => ChangeKind::Updated,
        }
    }
}
