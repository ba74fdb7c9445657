//! Outreach attempts: when a client stops attending, the specialist tries to re-engage them (a call,
//! a text, a letter, a visit) before any discharge. The fidelity measure "no discharge for missed
//! appointments alone" reads these.

use async_graphql::{Context, Object, Result};
use chrono::Utc;
use sea_orm::DatabaseConnection;

use entities::outreach_attempt;

use crate::auth::viewer;
use crate::dates::Date;
use crate::employers::model::ContactChannel;
pub use ipsmatch_core::clients::outreach::{OutreachAttemptRecordInput, record};

/// An attempt to re-engage a client.
pub struct OutreachAttempt(pub outreach_attempt::Model);

/// An attempt to re-engage a client who has stopped attending.
#[Object]
impl OutreachAttempt {
    /// The day of the attempt.
    async fn attempted_on(&self) -> Date {
        Date(self.0.attempted_on)
    }

    /// How the client was approached.
    async fn mode(&self) -> Result<ContactChannel> {
        Ok(ContactChannel::from_db(&self.0.mode)?)
    }

    /// When it was recorded.
    async fn recorded_at(&self) -> chrono::DateTime<Utc> {
        self.0.recorded_at
    }
}

crate::mutation_payload!(
    OutreachAttemptRecordPayload,
    attempt: OutreachAttempt,
    "Result of `outreachAttemptRecord`."
);

/// `outreachAttemptRecord`.
#[derive(Default)]
pub struct OutreachMutation;

#[Object]
impl OutreachMutation {
    /// Records an attempt to re-engage a client who has stopped attending (before any discharge).
    async fn outreach_attempt_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The attempt.")] input: OutreachAttemptRecordInput,
    ) -> Result<OutreachAttemptRecordPayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        OutreachAttemptRecordPayload::from_result(record(db, me, input).await, OutreachAttempt)
    }
}
