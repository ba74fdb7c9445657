//! The commands of the referrals context: treatment teams, attaching specialists, and a referral
//! from receipt to registration or closing.

use super::model::{
    HowTold, NotTakenUpReason, ReferralContactChannel, ReferralState, ReferralStep,
};
use crate::clients::model::EmploymentAtReferral;
use crate::dates::Date;
use crate::ids::GlobalId;

/// Fields of a new treatment team.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct TreatmentTeamCreateInput {
    /// The team's name; unique.
    pub name: String,
    /// The treatment service site it works from.
    pub site: String,
    /// The team of employment specialists that serves it (team leads: your own, the default).
    pub team_id: Option<GlobalId>,
}

/// A specialist and a treatment team, to attach or detach.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct TreatmentTeamSpecialistInput {
    /// The treatment team.
    pub treatment_team_id: GlobalId,
    /// The specialist (active, of the team that serves the treatment team).
    pub specialist_id: GlobalId,
}

/// A new referral.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ReferralCreateInput {
    /// The referring treatment team: a keyworker's own (the default for keyworkers); required when
    /// a specialist records a referral.
    pub treatment_team_id: Option<GlobalId>,
    /// The referring keyworker: yourself as a keyworker (the default); when a specialist records
    /// a referral, optionally a keyworker of that treatment team.
    pub keyworker_id: Option<GlobalId>,
    /// The person's full name.
    pub person_name: String,
    /// Their phone number.
    pub phone: Option<String>,
    /// Their e-mail address.
    pub email: Option<String>,
    /// The day of the referral (default today; not in the future).
    pub referred_on: Option<Date>,
    /// How the person was told about the referral.
    pub how_told: HowTold,
    /// How they would like to be contacted first.
    pub contact_preference: ReferralContactChannel,
    /// When and how best to reach them (times, a number to avoid). Facts about treatment or
    /// health belong with the keyworker, not here.
    pub contact_notes: Option<String>,
}

/// A step along an open referral.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ReferralAdvanceInput {
    /// The referral.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// The step reached (forward only; a first meeting implies contact).
    pub step: ReferralStep,
    /// The day (default today; not in the future, not before the referral).
    pub on: Option<Date>,
}

/// Registers the referred person as a client.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ReferralRegisterInput {
    /// The referral.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// The day (default today; not in the future, not before the referral).
    pub on: Option<Date>,
    /// The specialist to support them: yourself when you are a specialist (default); a team lead
    /// must name one of their team.
    pub specialist_id: Option<GlobalId>,
    /// Home town.
    pub town: Option<String>,
    /// Home postcode.
    pub postcode: Option<String>,
    /// Their employment when referred.
    pub employment_at_referral: Option<EmploymentAtReferral>,
}

/// Closes a referral that was not taken up. There is deliberately no free text: the reason is one
/// of a few codes, none of them readiness, substance use or history.
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ReferralNotTakenUpInput {
    /// The referral.
    pub id: GlobalId,
    /// The `version` you read.
    pub version: i32,
    /// Why.
    pub reason: NotTakenUpReason,
    /// The day (default today; not in the future, not before the referral).
    pub on: Option<Date>,
}

/// Narrows a list of referrals.
#[derive(Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::InputObject))]
pub struct ReferralFilter {
    /// Only these states.
    pub states: Option<Vec<ReferralState>>,
    /// Only from this treatment team.
    pub treatment_team_id: Option<GlobalId>,
}
