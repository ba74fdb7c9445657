//! A diary entry, the `diary` query and the diary's mutations.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use entities::diary_entry;

use super::inputs::{DiaryEntryOutcomeInput, DiaryEntryRecordInput};
use super::model::{Attendance, DiaryParty, DiaryPlace};
use crate::auth::viewer;
use crate::clients::types::Client;
use crate::dates::Date;
use crate::ids::{self, Kind};
use crate::staff::types::{Staff, TreatmentTeam, required_staff, treatment_team_by_id};

/// An entry in a specialist's diary.
pub struct DiaryEntry(pub diary_entry::Model);

/// An entry in a specialist's diary: an appointment or contact with a client, or with someone on
/// their behalf.
#[Object]
impl DiaryEntry {
    /// Opaque id.
    async fn id(&self) -> ID {
        ids::encode(Kind::DiaryEntry, self.0.id)
    }

    /// Whose diary.
    async fn specialist(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.specialist_id, "diary_entry.specialist_id").await
    }

    /// Who it was with.
    async fn with_whom(&self) -> Result<DiaryParty> {
        Ok(DiaryParty::from_db(&self.0.with_whom)?)
    }

    /// The clients it was with or about that you reach now (for a treatment-team meeting, those
    /// discussed).
    async fn clients(&self, ctx: &Context<'_>) -> Result<Vec<Client>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(
            ipsmatch_core::diary::service::reached_clients(db, me, self.0.id)
                .await?
                .into_iter()
                .map(Client)
                .collect(),
        )
    }

    /// The treatment team, for a treatment-team meeting.
    async fn treatment_team(&self, ctx: &Context<'_>) -> Result<Option<TreatmentTeam>> {
        match self.0.treatment_team_id {
            Some(id) => treatment_team_by_id(ctx, id).await,
            None => Ok(None),
        }
    }

    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// Booked ahead (rather than recorded as it happened).
    async fn planned(&self) -> bool {
        self.0.planned
    }

    /// Whether it happened; null while that is not recorded.
    async fn attendance(&self) -> Result<Option<Attendance>> {
        Ok(self
            .0
            .attendance
            .as_deref()
            .map(Attendance::from_db)
            .transpose()?)
    }

    /// Where.
    async fn place(&self) -> Result<DiaryPlace> {
        Ok(DiaryPlace::from_db(&self.0.place)?)
    }

    /// How long, in minutes.
    async fn minutes(&self) -> Option<i32> {
        self.0.minutes
    }

    /// The short note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The id of the missed appointment this follows up.
    async fn follows_up_id(&self) -> Option<ID> {
        self.0
            .follows_up_id
            .map(|id| ids::encode(Kind::DiaryEntry, id))
    }

    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }

    /// Changes with every update; send it back with a change to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

crate::mutation_payload!(
    DiaryEntryRecordPayload,
    entry: DiaryEntry,
    "Result of `diaryEntryRecord`."
);

crate::mutation_payload!(
    DiaryEntryOutcomePayload,
    entry: DiaryEntry,
    "Result of `diaryEntryOutcome`."
);

/// `diary`.
#[derive(Default)]
pub struct DiaryQuery;

#[Object]
impl DiaryQuery {
    /// A specialist's diary over a range of days (at most a year), oldest first: your own, or
    /// (team leads) one of your team's; or, with `clientId`, the entries with or about one client
    /// you reach, newest first.
    async fn diary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day (inclusive).")] from: Option<Date>,
        #[graphql(desc = "Last day (inclusive).")] to: Option<Date>,
        #[graphql(desc = "Whose diary (default yours).")] specialist_id: Option<ID>,
        #[graphql(desc = "Only the entries with or about this client.")] client_id: Option<ID>,
    ) -> Result<Vec<DiaryEntry>> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let entries = ipsmatch_core::diary::service::diary_for(
            db,
            me,
            specialist_id.as_ref().map(|id| id.as_str()),
            client_id.as_ref().map(|id| id.as_str()),
            from.map(|d| d.0),
            to.map(|d| d.0),
        )
        .await?;
        Ok(entries.into_iter().map(DiaryEntry).collect())
    }
}

/// The diary's mutations.
#[derive(Default)]
pub struct DiaryMutation;

#[Object]
impl DiaryMutation {
    /// Records an appointment or contact in your diary: with a client, or with someone on their
    /// behalf, or a treatment-team meeting with the clients discussed.
    async fn diary_entry_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entry.")] input: DiaryEntryRecordInput,
    ) -> Result<DiaryEntryRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        DiaryEntryRecordPayload::from_result(
            ipsmatch_core::diary::service::record(db, me, input).await,
            DiaryEntry,
        )
    }

    /// Records whether a planned appointment in your diary happened.
    async fn diary_entry_outcome(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The outcome.")] input: DiaryEntryOutcomeInput,
    ) -> Result<DiaryEntryOutcomePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        DiaryEntryOutcomePayload::from_result(
            ipsmatch_core::diary::service::record_outcome(db, me, input).await,
            DiaryEntry,
        )
    }
}
