//! The referral vocabulary: states, how the person was told, how to reach them, and the coded
//! reasons a referral is not taken up — none of which can be readiness, substance use or history
//! (zero exclusion).

use crate::stored_enum;

stored_enum! {
    /// How far a referral has gone.
    pub enum ReferralState {
        /// Received by the IPS service; nobody has reached the person yet.
        Received = "RECEIVED",
        /// The specialist has spoken with the person.
        Contacted = "CONTACTED",
        /// The person and the specialist have met.
        FirstMeeting = "FIRST_MEETING",
        /// The person joined the service: a client was registered from the referral.
        Registered = "REGISTERED",
        /// The referral closed without the person joining (with a coded reason).
        NotTakenUp = "NOT_TAKEN_UP",
    }
}

impl ReferralState {
    /// The order of the states along the way (registered and not taken up both end it).
    fn rank(self) -> u8 {
        match self {
            ReferralState::Received => 0,
            ReferralState::Contacted => 1,
            ReferralState::FirstMeeting => 2,
            ReferralState::Registered | ReferralState::NotTakenUp => 3,
        }
    }

    /// Whether the referral is still open (neither registered nor not taken up).
    pub fn is_open(self) -> bool {
        self.rank() < 3
    }

    /// Whether a referral in this state may move to `next` (forward only; skipping is allowed).
    pub fn may_move_to(self, next: ReferralState) -> bool {
        self.is_open() && next.rank() > self.rank()
    }
}

stored_enum! {
    /// A step along an open referral (registration and closing have mutations of their own).
    pub enum ReferralStep {
        /// The specialist has spoken with the person.
        Contacted = "CONTACTED",
        /// The person and the specialist have met.
        FirstMeeting = "FIRST_MEETING",
    }
}

impl ReferralStep {
    /// The state this step reaches.
    pub fn state(self) -> ReferralState {
        match self {
            ReferralStep::Contacted => ReferralState::Contacted,
            ReferralStep::FirstMeeting => ReferralState::FirstMeeting,
        }
    }
}

stored_enum! {
    /// How the person was told they were being referred.
    pub enum HowTold {
        /// Face to face, at an appointment.
        InPerson = "IN_PERSON",
        /// On the phone.
        Phone = "PHONE",
        /// On a video call.
        Video = "VIDEO",
        /// By letter or leaflet.
        LetterOrLeaflet = "LETTER_OR_LEAFLET",
        /// At a group session.
        GroupSession = "GROUP_SESSION",
    }
}

stored_enum! {
    /// How the person would like the specialist to make first contact.
    pub enum ReferralContactChannel {
        /// A phone call.
        Phone = "PHONE",
        /// A text message.
        TextMessage = "TEXT_MESSAGE",
        /// An e-mail.
        Email = "EMAIL",
        /// A letter.
        Letter = "LETTER",
        /// Meeting the specialist at their next treatment appointment, with the keyworker.
        AtTreatmentAppointment = "AT_TREATMENT_APPOINTMENT",
    }
}

stored_enum! {
    /// Why a referral was not taken up. By design none of these is readiness, substance use or
    /// history: IPS excludes no one who wants to work (zero exclusion), so there is no such value
    /// to choose, and no free text beside it.
    pub enum NotTakenUpReason {
        /// The person chose not to take part.
        Declined = "DECLINED",
        /// The person could not be reached after repeated attempts.
        CouldNotContact = "COULD_NOT_CONTACT",
        /// The person moved out of the area the service covers.
        MovedAway = "MOVED_AWAY",
        /// The person found work before starting.
        AlreadyInWork = "ALREADY_IN_WORK",
        /// The person chose another employment service.
        ChoseAnotherService = "CHOSE_ANOTHER_SERVICE",
        /// The person was already referred or already on a caseload.
        DuplicateReferral = "DUPLICATE_REFERRAL",
    }
}
