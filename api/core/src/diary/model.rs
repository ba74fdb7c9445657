//! The diary's vocabulary.

use crate::stored_enum;

stored_enum! {
    /// Who a diary entry is with.
    pub enum DiaryParty {
        /// The client.
        Client = "CLIENT",
        /// The client's treatment keyworker, about the client.
        Keyworker = "KEYWORKER",
        /// A treatment-team meeting (the clients discussed are listed).
        TreatmentTeamMeeting = "TREATMENT_TEAM_MEETING",
        /// A Jobcentre Plus work coach, about the client.
        WorkCoach = "WORK_COACH",
        /// The client's family, with the client's agreement.
        Family = "FAMILY",
        /// The client's probation officer.
        Probation = "PROBATION",
    }
}

stored_enum! {
    /// Whether an appointment happened.
    pub enum Attendance {
        /// It happened.
        Attended = "ATTENDED",
        /// The client did not come (a follow-up is then due).
        DidNotAttend = "DID_NOT_ATTEND",
        /// It was called off beforehand.
        Cancelled = "CANCELLED",
    }
}

stored_enum! {
    /// Where a contact took place.
    pub enum DiaryPlace {
        /// Out in the community (a café, a library, a job centre).
        Community = "COMMUNITY",
        /// At an employer's premises.
        EmployerPremises = "EMPLOYER_PREMISES",
        /// At the client's home.
        ClientHome = "CLIENT_HOME",
        /// At the office or treatment service.
        Office = "OFFICE",
        /// By phone.
        Phone = "PHONE",
        /// By video call.
        Video = "VIDEO",
    }
}

impl DiaryPlace {
    /// Out of the office in person: what the time-in-the-community measure counts.
    pub fn in_the_community(self) -> bool {
        matches!(
            self,
            DiaryPlace::Community | DiaryPlace::EmployerPremises | DiaryPlace::ClientHome
        )
    }

    /// In person, wherever.
    pub fn face_to_face(self) -> bool {
        !matches!(self, DiaryPlace::Phone | DiaryPlace::Video)
    }
}
