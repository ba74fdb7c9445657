//! The vacancies vocabulary: the stored enumerations rules, records and the schema share.

use crate::stored_enum;

stored_enum! {
    /// Where a vacancy is in its life.
    pub enum VacancyStatus {
        /// Being written; not yet offered to anyone.
        Draft = "DRAFT",
        /// Open to applications.
        Open = "OPEN",
        /// Filled.
        Filled = "FILLED",
        /// Withdrawn by the employer or the service.
        Closed = "CLOSED",
        /// Its closing date passed while it was open (set by the service, never by hand).
        Expired = "EXPIRED",
    }
}

stored_enum! {
    /// The kind of contract offered.
    pub enum ContractType {
        /// Permanent.
        Permanent = "PERMANENT",
        /// Temporary or agency.
        Temporary = "TEMPORARY",
        /// For a fixed term.
        FixedTerm = "FIXED_TERM",
        /// Zero hours.
        ZeroHours = "ZERO_HOURS",
        /// An apprenticeship.
        Apprenticeship = "APPRENTICESHIP",
    }
}

stored_enum! {
    /// The period a pay figure is given per.
    pub enum PayPeriod {
        /// Per hour.
        Hourly = "HOURLY",
        /// Per week.
        Weekly = "WEEKLY",
        /// Per year.
        Annual = "ANNUAL",
    }
}

stored_enum! {
    /// When the work happens.
    pub enum ShiftPattern {
        /// Daytime hours.
        Days = "DAYS",
        /// Evenings.
        Evenings = "EVENINGS",
        /// Nights.
        Nights = "NIGHTS",
        /// Weekends.
        Weekends = "WEEKENDS",
        /// Early starts (before 7am).
        EarlyStarts = "EARLY_STARTS",
    }
}

stored_enum! {
    /// Features of the workplace that matter to people in recovery; clients can avoid or prefer them.
    pub enum WorkEnvironment {
        /// Alcohol is sold or served.
        AlcoholServed = "ALCOHOL_SERVED",
        /// Handling cash.
        CashHandling = "CASH_HANDLING",
        /// Driving is part of the job (a licence is needed).
        Driving = "DRIVING",
        /// Working alone.
        LoneWorking = "LONE_WORKING",
        /// Night work.
        NightWork = "NIGHT_WORK",
        /// Heavy lifting.
        HeavyLifting = "HEAVY_LIFTING",
        /// Working at height.
        WorkingAtHeight = "WORKING_AT_HEIGHT",
        /// Dealing with the public.
        PublicFacing = "PUBLIC_FACING",
        /// Working with children or vulnerable adults.
        VulnerablePeople = "VULNERABLE_PEOPLE",
        /// Access to medicines.
        MedicinesAccess = "MEDICINES_ACCESS",
    }
}

stored_enum! {
    /// The criminal-record check (Disclosure and Barring Service) the job requires.
    pub enum DbsLevel {
        /// No check.
        None = "NONE",
        /// Basic: unspent convictions.
        Basic = "BASIC",
        /// Standard: spent and unspent convictions and cautions.
        Standard = "STANDARD",
        /// Enhanced: as standard plus local police information.
        Enhanced = "ENHANCED",
        /// Enhanced with a check of the barred lists.
        EnhancedBarred = "ENHANCED_BARRED",
    }
}

stored_enum! {
    /// The employer's drug and alcohol testing.
    pub enum DrugTesting {
        /// No testing.
        None = "NONE",
        /// A test before the job starts.
        PreEmployment = "PRE_EMPLOYMENT",
        /// Random testing in work.
        Random = "RANDOM",
        /// Testing after an incident or on suspicion.
        ForCause = "FOR_CAUSE",
    }
}

stored_enum! {
    /// Version of the Standard Occupational Classification a code belongs to.
    pub enum SocVersion {
        /// SOC 2010.
        #[cfg_attr(feature = "graphql", graphql(name = "SOC2010"))]
        Soc2010 = "SOC2010",
        /// SOC 2020.
        #[cfg_attr(feature = "graphql", graphql(name = "SOC2020"))]
        Soc2020 = "SOC2020",
    }
}

stored_enum! {
    /// Where a vacancy came from.
    pub enum VacancySourceKind {
        /// Developed by a specialist with an employer (IPS job development).
        Developed = "DEVELOPED",
        /// Given to the service by the employer.
        Employer = "EMPLOYER",
        /// Synced from an external feed (e.g. a local employment service).
        Feed = "FEED",
    }
}

/// How to order search hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
pub enum VacancySort {
    /// Best match first.
    #[default]
    Relevance,
    /// Nearest first (with `near`; otherwise by relevance).
    Distance,
    /// Most recently opened first.
    Newest,
    /// Best paid first (by the top of the hourly pay range).
    Pay,
}
