//! The consent vocabulary: the stored enumerations rules, records and the schema share.

use crate::stored_enum;

stored_enum! {
    /// How much a client lets an employer be told.
    pub enum DisclosureLevel {
        /// Nothing: the client applies alone; no contact may name them.
        None = "NONE",
        /// Only that they are supported by an employment service.
        ServiceAffiliation = "SERVICE_AFFILIATION",
        /// Functional needs, adjustments, a neutral explanation of a gap.
        Partial = "PARTIAL",
        /// Dependence and/or treatment as well.
        Full = "FULL",
    }
}

stored_enum! {
    /// One thing an employer may be told.
    pub enum DisclosureItem {
        /// Supported by an employment service.
        ServiceAffiliation = "SERVICE_AFFILIATION",
        /// A neutral explanation of a gap in employment.
        EmploymentGapExplanation = "EMPLOYMENT_GAP_EXPLANATION",
        /// That there is a health condition, in general terms.
        GeneralHealthCondition = "GENERAL_HEALTH_CONDITION",
        /// History of substance use.
        SubstanceUseHistory = "SUBSTANCE_USE_HISTORY",
        /// Current treatment.
        CurrentTreatment = "CURRENT_TREATMENT",
        /// Appointments the working week must leave room for.
        AppointmentConstraints = "APPOINTMENT_CONSTRAINTS",
        /// Adjustments that help at work.
        ReasonableAdjustments = "REASONABLE_ADJUSTMENTS",
        /// Criminal record.
        CriminalRecord = "CRIMINAL_RECORD",
        /// Benefits received.
        BenefitsStatus = "BENEFITS_STATUS",
    }
}

impl DisclosureLevel {
    /// The items a consent at this level may list.
    pub fn allows(self, item: DisclosureItem) -> bool {
        use DisclosureItem as I;
        match self {
            DisclosureLevel::None => false,
            DisclosureLevel::ServiceAffiliation => item == I::ServiceAffiliation,
            DisclosureLevel::Partial => matches!(
                item,
                I::ServiceAffiliation
                    | I::EmploymentGapExplanation
                    | I::GeneralHealthCondition
                    | I::AppointmentConstraints
                    | I::ReasonableAdjustments
            ),
            DisclosureLevel::Full => true,
        }
    }
}

stored_enum! {
    /// What a consent is for.
    pub enum ConsentPurpose {
        /// Applying for a vacancy with this employer.
        Application = "APPLICATION",
        /// Introducing the client to the employer.
        Introduction = "INTRODUCTION",
        /// Supporting the client once in work there.
        InWorkSupport = "IN_WORK_SUPPORT",
        /// General liaison with the employer about the client.
        Liaison = "LIAISON",
    }
}

stored_enum! {
    /// Who may do the telling.
    pub enum Discloser {
        /// The client only.
        Client = "CLIENT",
        /// The specialist.
        Specialist = "SPECIALIST",
        /// Client and specialist together.
        Jointly = "JOINTLY",
    }
}

stored_enum! {
    /// How the client's consent was captured.
    pub enum CaptureMethod {
        /// In person, signed.
        InPersonSigned = "IN_PERSON_SIGNED",
        /// In person, spoken (recorded by the specialist).
        InPersonVerbal = "IN_PERSON_VERBAL",
        /// By phone, spoken.
        PhoneVerbal = "PHONE_VERBAL",
        /// Electronically (e-mail or form).
        Electronic = "ELECTRONIC",
    }
}

stored_enum! {
    /// Whether a consent version is in force (it also lapses at its expiry).
    pub enum ConsentStatus {
        /// In force until it expires.
        Active = "ACTIVE",
        /// Withdrawn by the client.
        Revoked = "REVOKED",
    }
}

stored_enum! {
    /// A kind of telling.
    pub enum DisclosureAct {
        /// Introducing the client to the employer.
        Introduction = "INTRODUCTION",
        /// An application sent by the specialist.
        Application = "APPLICATION",
        /// An engagement on the client's behalf.
        Engagement = "ENGAGEMENT",
        /// In-work support with the employer.
        InWorkSupport = "IN_WORK_SUPPORT",
    }
}

/// One item an employer is told, in words.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct DisclosedItem {
    /// Which item.
    pub item: DisclosureItem,
    /// What is said.
    pub statement: String,
}

/// What an employer may see about a client: built from the consent at the moment of asking, holding
/// only consented items (withheld ones are absent, not null).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
pub struct DisclosedProfile {
    /// The client's name (an introduction names them).
    pub name: String,
    /// The consented items that were disclosed, in words; nothing else about the client (the
    /// consent's own wording stays with the consent).
    pub items: Vec<DisclosedItem>,
    /// The consent version this profile rests on.
    pub consent_version: i32,
}
