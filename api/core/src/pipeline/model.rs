//! The pipeline vocabulary: the stored enumerations rules, records and the schema share.

use crate::stored_enum;

stored_enum! {
    /// Where an application stands.
    pub enum ApplicationStageKind {
        /// Suggested (by matching or the specialist), not yet talked over.
        Suggested = "SUGGESTED",
        /// Talked over with the client, who wants to go ahead.
        Discussed = "DISCUSSED",
        /// The application has gone in.
        Applied = "APPLIED",
        /// Invited to interview (or a working trial).
        Interview = "INTERVIEW",
        /// Offered the job.
        Offer = "OFFER",
        /// Started work.
        Started = "STARTED",
        /// Went no further (the reason says why).
        NotProgressed = "NOT_PROGRESSED",
    }
}

impl ApplicationStageKind {
    /// Order along the pipeline (`NOT_PROGRESSED` ends it from anywhere).
    pub fn rank(self) -> u8 {
        match self {
            Self::Suggested => 0,
            Self::Discussed => 1,
            Self::Applied => 2,
            Self::Interview => 3,
            Self::Offer => 4,
            Self::Started => 5,
            Self::NotProgressed => 6,
        }
    }

    /// True when nothing may follow.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Started | Self::NotProgressed)
    }
}

stored_enum! {
    /// Who sends an application.
    pub enum SubmittedBy {
        /// The client, on their own.
        Client = "CLIENT",
        /// The specialist, on the client's behalf (a disclosure: it names the client to the employer).
        Specialist = "SPECIALIST",
        /// Both together.
        Jointly = "JOINTLY",
    }
}

stored_enum! {
    /// Who an in-work support contact was with.
    pub enum SupportParty {
        /// The client.
        Client = "CLIENT",
        /// The employer (needs the client's consent).
        Employer = "EMPLOYER",
    }
}
