//! Fidelity thresholds: the anchor bounds of each measure, read from configuration.

use std::collections::HashMap;

use serde::Deserialize;

const DEFAULT: &str = include_str!("thresholds.json");

/// Which way is better.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Lower values are better (caseload, days).
    Lower,
    /// Higher values are better (contacts).
    Higher,
}

/// One measure's anchors.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Threshold {
    /// Which way is better.
    pub better: Better,
    /// Four bounds between the anchors 1–2, 2–3, 3–4 and 4–5.
    pub bounds: [f64; 4],
    /// The level good practice aims for.
    pub target: f64,
}

impl Threshold {
    /// The anchor (1 to 5) a value reaches.
    pub fn anchor(&self, value: f64) -> i32 {
        let passed = match self.better {
            Better::Lower => self.bounds.iter().take_while(|b| value < **b).count(),
            Better::Higher => self.bounds.iter().take_while(|b| value >= **b).count(),
        };
        1 + passed as i32
    }
}

crate::stored_enum! {
    /// Which fidelity measure; stored (and named in the thresholds file) in lower case.
    pub enum MeasureKey {
        /// Clients per full-time specialist.
        CaseloadPerFte = "caseload_per_fte",
        /// Face-to-face employer contacts per specialist per week.
        FaceToFaceEmployerContactsPerWeek = "face_to_face_employer_contacts_per_week",
        /// Days from referral to the first face-to-face employer contact.
        DaysToFirstEmployerContact = "days_to_first_employer_contact",
        /// Share of jobs of different types.
        JobTypeDiversity = "job_type_diversity",
        /// Share of jobs with different employers.
        EmployerDiversity = "employer_diversity",
        /// Share of jobs that are competitive.
        CompetitiveJobs = "competitive_jobs",
        /// In-work support at the expected rhythm.
        InWorkSupportRhythm = "in_work_support_rhythm",
        /// Contact soon after a job ended.
        ContactAfterJobEnd = "contact_after_job_end",
        /// Disclosure discussed before the first employer contact.
        DisclosureDiscussedBeforeEmployerContact = "disclosure_discussed_before_employer_contact",
        /// Outreach before a discharge for disengagement.
        OutreachBeforeDischarge = "outreach_before_discharge",
        /// Client-facing time spent outside the office.
        TimeInCommunity = "time_in_community",
        /// Caseload referred by the specialist's own treatment teams.
        CaseloadFromOwnTreatmentTeams = "caseload_from_own_treatment_teams",
        /// Treatment-team meetings attended per week.
        TreatmentTeamMeetingsPerWeek = "treatment_team_meetings_per_week",
        /// Contacts with Jobcentre Plus work coaches.
        WorkCoachContactsPerMonth = "work_coach_contacts_per_month",
        /// Job starts with a better-off check before them.
        BetterOffCheckBeforeStart = "better_off_check_before_start",
        /// Missed appointments followed up promptly (assertive engagement).
        MissedAppointmentsFollowedUp = "missed_appointments_followed_up",
    }
}

/// The thresholds of every measure, by key.
#[derive(Clone, Debug)]
pub struct Thresholds(pub HashMap<String, Threshold>);

impl Thresholds {
    /// From `file`, or the embedded defaults without one.
    pub fn load(file: Option<&std::path::Path>) -> anyhow::Result<Self> {
        let text = match file {
            None => DEFAULT.to_string(),
            Some(file) => std::fs::read_to_string(file).map_err(|e| {
                anyhow::anyhow!("reading the fidelity thresholds {}: {e}", file.display())
            })?,
        };
        Self::parse(&text)
    }

    /// Parses the JSON form (unknown keys starting with `_` are notes).
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let raw: HashMap<String, serde_json::Value> = serde_json::from_str(text)?;
        let mut out = HashMap::new();
        for (key, value) in raw.into_iter().filter(|(k, _)| !k.starts_with('_')) {
            let threshold: Threshold = serde_json::from_value(value)
                .map_err(|e| anyhow::anyhow!("fidelity threshold `{key}`: {e}"))?;
            let ordered = match threshold.better {
                Better::Lower => threshold.bounds.windows(2).all(|w| w[0] > w[1]),
                Better::Higher => threshold.bounds.windows(2).all(|w| w[0] < w[1]),
            };
            anyhow::ensure!(
                ordered,
                "fidelity threshold `{key}`: bounds must run from anchor 1 to anchor 5"
            );
            out.insert(key, threshold);
        }
        // The measures the service computes: the configuration must give each.
        for key in MeasureKey::ALL.iter().map(|k| k.as_db()) {
            anyhow::ensure!(out.contains_key(key), "fidelity thresholds lack `{key}`");
        }
        Ok(Thresholds(out))
    }

    /// One measure's threshold.
    pub fn of(&self, key: &str) -> Option<&Threshold> {
        self.0.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_fidelity_scale() {
        let t = Thresholds::load(None).expect("defaults");
        let caseload = t.of("caseload_per_fte").expect("caseload");
        assert_eq!(
            [45.0, 40.0, 26.0, 25.0, 20.0].map(|v| caseload.anchor(v)),
            [1, 2, 3, 4, 5]
        );
        // 20.6 clients per full-time post rounds to 21: short of "20 or fewer".
        assert_eq!(caseload.anchor(20.6), 4);
        assert_eq!(caseload.anchor(20.4), 5);
        let contacts = t
            .of("face_to_face_employer_contacts_per_week")
            .expect("contacts");
        assert_eq!(
            [0.5, 1.0, 3.9, 4.0, 6.0].map(|v| contacts.anchor(v)),
            [1, 2, 3, 4, 5]
        );
        let days = t.of("days_to_first_employer_contact").expect("days");
        assert_eq!(
            [300.0, 151.0, 61.0, 31.0, 30.0].map(|v| days.anchor(v)),
            [1, 2, 3, 4, 5]
        );
        assert!(
            Thresholds::parse(
                r#"{"caseload_per_fte": {"better": "lower", "bounds": [1, 2, 3, 4], "target": 1}}"#
            )
            .is_err()
        );
    }
}
