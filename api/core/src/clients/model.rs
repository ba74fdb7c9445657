//! The clients vocabulary: the stored enumerations rules, records and the schema share.

use crate::stored_enum;

stored_enum! {
    /// Where a client is in the service.
    pub enum ClientStatus {
        /// Looking for work with the specialist's support.
        Active = "ACTIVE",
        /// Support paused (at the client's wish, or while treatment comes first).
        Paused = "PAUSED",
        /// In paid work, with in-work support.
        InWork = "IN_WORK",
        /// Left the service.
        Discharged = "DISCHARGED",
    }
}

stored_enum! {
    /// Who referred the client to the employment service.
    pub enum ReferralSource {
        /// Their treatment keyworker.
        TreatmentKeyworker = "TREATMENT_KEYWORKER",
        /// They asked themselves.
        SelfReferral = "SELF_REFERRAL",
        /// A peer mentor or recovery community.
        PeerSupport = "PEER_SUPPORT",
        /// Jobcentre Plus.
        Jobcentre = "JOBCENTRE",
        /// Anyone else.
        Other = "OTHER",
    }
}

stored_enum! {
    /// A client's employment when they were referred (the employment rate counts those out of
    /// work).
    pub enum EmploymentAtReferral {
        /// Out of work and looking for work.
        Unemployed = "UNEMPLOYED",
        /// Out of work and not looking (for example, long-term sick or caring).
        EconomicallyInactive = "ECONOMICALLY_INACTIVE",
        /// In paid work, employed or self-employed, at any hours.
        Employed = "EMPLOYED",
    }
}

stored_enum! {
    /// Why a client was discharged, as exports report it (no free text, nothing special-category).
    pub enum DischargeReason {
        /// In work and no longer wanting support.
        InWork = "IN_WORK",
        /// Stopped engaging after outreach.
        Disengaged = "DISENGAGED",
        /// Moved out of the service's area.
        MovedAway = "MOVED_AWAY",
        /// Transferred to another service.
        Transferred = "TRANSFERRED",
        /// Chose to stop.
        ClientChoice = "CLIENT_CHOICE",
        /// Any other reason.
        Other = "OTHER",
    }
}

stored_enum! {
    /// Why special-category facts are being read; written to the audit log with every read.
    pub enum SensitivePurpose {
        /// Planning the client's support with them.
        SupportPlanning = "SUPPORT_PLANNING",
        /// Assessing a risk to the client or others.
        RiskAssessment = "RISK_ASSESSMENT",
        /// A safeguarding concern.
        Safeguarding = "SAFEGUARDING",
        /// Statutory or commissioner reporting.
        ServiceReporting = "SERVICE_REPORTING",
        /// The client asked to see what is held about them.
        ClientRequest = "CLIENT_REQUEST",
    }
}

stored_enum! {
    /// The substance group a client is in treatment for (as NDTMS groups them).
    pub enum SubstanceGroup {
        /// Opiates (with or without others).
        Opiates = "OPIATES",
        /// Non-opiates only.
        NonOpiatesOnly = "NON_OPIATES_ONLY",
        /// Alcohol only.
        AlcoholOnly = "ALCOHOL_ONLY",
        /// Non-opiates and alcohol.
        NonOpiatesAndAlcohol = "NON_OPIATES_AND_ALCOHOL",
    }
}

stored_enum! {
    /// Where the client is in treatment.
    pub enum TreatmentStatus {
        /// In structured treatment.
        InTreatment = "IN_TREATMENT",
        /// In recovery support after structured treatment.
        RecoverySupport = "RECOVERY_SUPPORT",
        /// Completed treatment.
        Completed = "COMPLETED",
        /// Left treatment before completing.
        LeftTreatment = "LEFT_TREATMENT",
    }
}

stored_enum! {
    /// Criminal record, as the client reports it.
    pub enum CriminalRecordStatus {
        /// None declared.
        NoneDeclared = "NONE_DECLARED",
        /// Only spent convictions.
        SpentOnly = "SPENT_ONLY",
        /// Unspent convictions.
        Unspent = "UNSPENT",
        /// Charges pending.
        PendingCharges = "PENDING_CHARGES",
        /// The client prefers not to say.
        PrefersNotToSay = "PREFERS_NOT_TO_SAY",
    }
}

stored_enum! {
    /// Benefits the client receives.
    pub enum BenefitsStatus {
        /// None.
        NoBenefits = "NONE",
        /// Universal Credit.
        UniversalCredit = "UNIVERSAL_CREDIT",
        /// Universal Credit with limited capability for work (and work-related activity).
        UniversalCreditLimitedCapability = "UNIVERSAL_CREDIT_LCW",
        /// Employment and Support Allowance.
        Esa = "ESA",
        /// Personal Independence Payment.
        Pip = "PIP",
        /// Something else.
        Other = "OTHER",
    }
}

stored_enum! {
    /// A licence or card that opens jobs.
    pub enum Licence {
        /// Full UK car driving licence (a drink-drive ban removes it for a while).
        Car = "CAR",
        /// Van (category C1).
        Van = "VAN",
        /// Heavy goods vehicle (C / C+E).
        Hgv = "HGV",
        /// Bus and coach (D).
        Pcv = "PCV",
        /// Counterbalance or reach forklift.
        Forklift = "FORKLIFT",
        /// Construction Skills Certification Scheme card.
        Cscs = "CSCS",
        /// Security Industry Authority licence.
        Sia = "SIA",
        /// Food hygiene certificate.
        FoodHygiene = "FOOD_HYGIENE",
        /// First aid at work.
        FirstAid = "FIRST_AID",
    }
}

stored_enum! {
    /// A day of the week.
    pub enum Weekday {
        /// Monday.
        Mon = "MON",
        /// Tuesday.
        Tue = "TUE",
        /// Wednesday.
        Wed = "WED",
        /// Thursday.
        Thu = "THU",
        /// Friday.
        Fri = "FRI",
        /// Saturday.
        Sat = "SAT",
        /// Sunday.
        Sun = "SUN",
    }
}

impl serde::Serialize for Weekday {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_db())
    }
}

impl<'de> serde::Deserialize<'de> for Weekday {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Weekday::from_db(&text).map_err(|_| serde::de::Error::custom("unknown weekday"))
    }
}
