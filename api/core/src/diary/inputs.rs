//! The diary's commands.

use chrono::{DateTime, Utc};

use super::model::{Attendance, DiaryParty, DiaryPlace};
use crate::ids::GlobalId;

/// A diary entry to record.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct DiaryEntryRecordInput {
    /// Who it is with.
    pub with_whom: DiaryParty,
    /// The client it is with or about (one; for a treatment-team meeting, the clients discussed,
    /// any number up to 50).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub client_ids: Vec<GlobalId>,
    /// For a treatment-team meeting: the treatment team (one you are attached to).
    pub treatment_team_id: Option<GlobalId>,
    /// When.
    pub at: DateTime<Utc>,
    /// Booked ahead (default false: recorded as it happened).
    #[cfg_attr(feature = "graphql", graphql(default))]
    pub planned: bool,
    /// Whether it happened; leave out for one still to come.
    pub attendance: Option<Attendance>,
    /// Where.
    pub place: DiaryPlace,
    /// How long, in minutes (0 to 600).
    pub minutes: Option<i32>,
    /// A short note (at most 500 characters; never indexed). Facts about treatment or health
    /// belong in the client's sensitive record, not here.
    pub note: Option<String>,
    /// The missed appointment (an entry with the same client marked `DID_NOT_ATTEND`) this
    /// follows up.
    pub follows_up_id: Option<GlobalId>,
}

/// What became of a planned appointment.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct DiaryEntryOutcomeInput {
    /// The entry.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// Whether it happened.
    pub attendance: Attendance,
    /// How long, in minutes (0 to 600).
    pub minutes: Option<i32>,
}
