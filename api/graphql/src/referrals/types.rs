//! GraphQL types for treatment teams and referrals.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use entities::referral;

use super::model::{HowTold, NotTakenUpReason, ReferralContactChannel, ReferralState};
use crate::clients::types::Client;
use crate::dates::Date;
use crate::ids::{self, Kind};
use crate::staff::types::{
    Staff, TreatmentTeam, required_staff, staff_by_id, treatment_team_by_id,
};
use ipsmatch_core::consent::keyworker::{SharedProgress, shared_progress};

/// A referral to the IPS service from a treatment team.
#[derive(Clone)]
pub struct Referral(pub referral::Model);

/// A referral to the IPS service from a treatment team: who, when, how to reach them, and how far
/// it has gone.
#[Object]
impl Referral {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Referral, self.0.id)
    }

    /// The referring treatment team.
    async fn treatment_team(&self, ctx: &Context<'_>) -> Result<TreatmentTeam> {
        treatment_team_by_id(ctx, self.0.treatment_team_id)
            .await?
            .ok_or_else(|| crate::loaders::missing_row("referral.treatment_team_id"))
    }

    /// The referring keyworker; null when a specialist recorded it without one.
    async fn keyworker(&self, ctx: &Context<'_>) -> Result<Option<Staff>> {
        match self.0.keyworker_id {
            Some(id) => staff_by_id(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Who entered it: the keyworker, or a specialist recording it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Staff> {
        required_staff(ctx, self.0.recorded_by_id, "referral.recorded_by_id").await
    }

    /// The day of the referral.
    async fn referred_on(&self) -> Date {
        Date(self.0.referred_on)
    }

    /// The referred person's name.
    async fn person_name(&self) -> &str {
        &self.0.person_name
    }

    /// Their phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// Their e-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// How they were told about the referral.
    async fn how_told(&self) -> Result<HowTold> {
        Ok(HowTold::from_db(&self.0.how_told)?)
    }

    /// How they would like to be contacted first.
    async fn contact_preference(&self) -> Result<ReferralContactChannel> {
        Ok(ReferralContactChannel::from_db(&self.0.contact_preference)?)
    }

    /// When and how best to reach them.
    async fn contact_notes(&self) -> Option<&str> {
        self.0.contact_notes.as_deref()
    }

    /// How far it has gone.
    async fn state(&self) -> Result<ReferralState> {
        Ok(ReferralState::from_db(&self.0.state)?)
    }

    /// The day the specialist first spoke with the person.
    async fn contacted_on(&self) -> Option<Date> {
        self.0.contacted_on.map(Date)
    }

    /// The day of the first meeting.
    async fn first_meeting_on(&self) -> Option<Date> {
        self.0.first_meeting_on.map(Date)
    }

    /// The day it was registered or not taken up.
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }

    /// Why it was not taken up (a code; never readiness, substance use or history).
    async fn not_taken_up_reason(&self) -> Result<Option<NotTakenUpReason>> {
        Ok(self
            .0
            .not_taken_up_reason
            .as_deref()
            .map(NotTakenUpReason::from_db)
            .transpose()?)
    }

    /// The client the registration created, if you reach them (never for keyworkers).
    async fn client(&self, ctx: &Context<'_>) -> Result<Option<Client>> {
        let Some(client_id) = self.0.client_id else {
            return Ok(None);
        };
        let me = crate::auth::viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(crate::clients::access::find_client(db, me, client_id)
            .await?
            .map(Client))
    }

    /// What the client agreed their keyworker may be told of their progress: only for the
    /// keyworker who referred them, only under a consent in force, and each sharing is audited.
    /// Null in every other case.
    #[graphql(complexity = 10)]
    async fn progress(&self, ctx: &Context<'_>) -> Result<Option<SharedProgress>> {
        let me = crate::auth::viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(shared_progress(db, me, &self.0).await?)
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Changes with every update; send it back with a change to detect concurrent edits.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

crate::connection_types!(
    TreatmentTeamConnection,
    TreatmentTeamEdge,
    TreatmentTeam,
    "A page of treatment teams, by name.",
    "A treatment team with its cursor."
);

crate::connection_types!(
    ReferralConnection,
    ReferralEdge,
    Referral,
    "A page of referrals, newest referral first.",
    "A referral with its cursor."
);

crate::mutation_payload!(
    TreatmentTeamCreatePayload,
    treatment_team: TreatmentTeam,
    "Result of `treatmentTeamCreate`."
);

crate::mutation_payload!(
    TreatmentTeamSpecialistAttachPayload,
    treatment_team: TreatmentTeam,
    "Result of `treatmentTeamSpecialistAttach`."
);

crate::mutation_payload!(
    TreatmentTeamSpecialistDetachPayload,
    treatment_team: TreatmentTeam,
    "Result of `treatmentTeamSpecialistDetach`."
);

crate::mutation_payload!(
    ReferralCreatePayload,
    referral: Referral,
    "Result of `referralCreate`."
);

crate::mutation_payload!(
    ReferralAdvancePayload,
    referral: Referral,
    "Result of `referralAdvance`."
);

crate::mutation_payload!(
    ReferralRegisterPayload,
    referral: Referral,
    "Result of `referralRegister` (its `client` is the new client)."
);

crate::mutation_payload!(
    ReferralNotTakenUpPayload,
    referral: Referral,
    "Result of `referralNotTakenUp`."
);
