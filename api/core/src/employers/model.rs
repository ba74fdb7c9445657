//! The employers vocabulary: the stored enumerations rules, records and the schema share.

use crate::stored_enum;

stored_enum! {
    /// Industry of an employer: the sections of the UK Standard Industrial Classification (SIC 2007).
    pub enum Sector {
        /// A: agriculture, forestry and fishing.
        AgricultureForestryFishing = "AGRICULTURE_FORESTRY_FISHING",
        /// B: mining and quarrying.
        MiningQuarrying = "MINING_QUARRYING",
        /// C: manufacturing.
        Manufacturing = "MANUFACTURING",
        /// D: electricity, gas, steam and air conditioning supply.
        EnergySupply = "ENERGY_SUPPLY",
        /// E: water supply, sewerage, waste management and remediation.
        WaterWaste = "WATER_WASTE",
        /// F: construction.
        Construction = "CONSTRUCTION",
        /// G: wholesale and retail trade; repair of motor vehicles.
        WholesaleRetail = "WHOLESALE_RETAIL",
        /// H: transportation and storage.
        TransportStorage = "TRANSPORT_STORAGE",
        /// I: accommodation and food service activities.
        AccommodationFood = "ACCOMMODATION_FOOD",
        /// J: information and communication.
        InformationCommunication = "INFORMATION_COMMUNICATION",
        /// K: financial and insurance activities.
        FinanceInsurance = "FINANCE_INSURANCE",
        /// L: real estate activities.
        RealEstate = "REAL_ESTATE",
        /// M: professional, scientific and technical activities.
        ProfessionalScientific = "PROFESSIONAL_SCIENTIFIC",
        /// N: administrative and support service activities (cleaning, security, staffing agencies).
        AdministrativeSupport = "ADMINISTRATIVE_SUPPORT",
        /// O: public administration and defence.
        PublicAdministration = "PUBLIC_ADMINISTRATION",
        /// P: education.
        Education = "EDUCATION",
        /// Q: human health and social work.
        HealthSocialWork = "HEALTH_SOCIAL_WORK",
        /// R: arts, entertainment and recreation.
        ArtsRecreation = "ARTS_RECREATION",
        /// S: other service activities.
        OtherServices = "OTHER_SERVICES",
        /// T: households as employers.
        Households = "HOUSEHOLDS",
        /// U: extraterritorial organisations.
        Extraterritorial = "EXTRATERRITORIAL",
    }
}

stored_enum! {
    /// Size of an employer by headcount (the UK's usual bands).
    pub enum EmployerSize {
        /// Fewer than 10 people.
        Micro = "MICRO",
        /// 10 to 49 people.
        Small = "SMALL",
        /// 50 to 249 people.
        Medium = "MEDIUM",
        /// 250 people or more.
        Large = "LARGE",
    }
}

stored_enum! {
    /// How far the service's relationship with an employer has come.
    pub enum RelationshipStage {
        /// Identified, not yet met.
        Prospect = "PROSPECT",
        /// In conversation: needs learned, service presented.
        Engaged = "ENGAGED",
        /// Has hired, or regularly considers, people the service supports.
        HiringPartner = "HIRING_PARTNER",
        /// No contact for a long while.
        Dormant = "DORMANT",
    }
}

stored_enum! {
    /// How a contact person prefers to be reached.
    pub enum ContactChannel {
        /// In person.
        FaceToFace = "FACE_TO_FACE",
        /// By phone.
        Phone = "PHONE",
        /// By e-mail.
        Email = "EMAIL",
        /// By text message.
        TextMessage = "TEXT_MESSAGE",
    }
}

stored_enum! {
    /// How an engagement took place. The fidelity scale counts face-to-face contacts.
    pub enum EngagementMode {
        /// In person, at the employer or elsewhere.
        FaceToFace = "FACE_TO_FACE",
        /// By phone or video call.
        Phone = "PHONE",
        /// By e-mail.
        Email = "EMAIL",
        /// At a jobs fair, networking or employer event.
        Event = "EVENT",
    }
}

stored_enum! {
    /// What an engagement was for (the IPS job-development steps).
    pub enum EngagementPurpose {
        /// Learning about the employer's business and hiring needs.
        LearnNeeds = "LEARN_NEEDS",
        /// Presenting the employment service.
        PresentService = "PRESENT_SERVICE",
        /// Presenting a candidate (with the client's consent).
        PresentCandidate = "PRESENT_CANDIDATE",
        /// Following up an earlier contact.
        FollowUp = "FOLLOW_UP",
        /// Supporting someone the employer has hired.
        InWorkSupport = "IN_WORK_SUPPORT",
    }
}
