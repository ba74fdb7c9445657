//! How each demo specialist works, measure by measure: which fidelity targets their habits meet.
//! The pattern is fixed so that, across the twelve demo specialists, every fidelity measure has
//! some specialists at its target and some short of it (a third short, two thirds at it).

/// One demo specialist's habits: `true` where their practice meets the fidelity target.
#[derive(Clone, Copy, Debug)]
pub struct Practice {
    /// Twenty or fewer active clients per full-time post.
    pub small_caseload: bool,
    /// Six or more face-to-face employer contacts a week.
    pub visits_employers: bool,
    /// Presents clients to employers face to face within 30 days of referral.
    pub prompt_first_contact: bool,
    /// Job starts in different job types (SOC unit groups).
    pub varied_job_types: bool,
    /// Job starts with different employers.
    pub varied_employers: bool,
    /// Only competitive jobs (no sheltered or set-aside placements).
    pub competitive_only: bool,
    /// Keeps the in-work support rhythm: before the start, within 3 days, weekly, then monthly.
    pub keeps_support_rhythm: bool,
    /// Calls within 3 days of a job ending.
    pub calls_after_job_end: bool,
    /// Talks disclosure over at least twice before any employer contact.
    pub discusses_disclosure: bool,
    /// Reaches out at least twice before a discharge.
    pub reaches_out: bool,
    /// Meets clients out of the office (two thirds of the time or more).
    pub meets_in_the_community: bool,
    /// Takes referrals from their own treatment teams (nine in ten or more).
    pub works_with_own_teams: bool,
    /// Attends their treatment teams' meetings every week.
    pub attends_team_meetings: bool,
    /// Works with Jobcentre Plus work coaches every week.
    pub works_with_jobcentre: bool,
    /// Does a better-off check before every start.
    pub plans_work_incentives: bool,
    /// Follows up a missed appointment within a day or two.
    pub follows_up_missed: bool,
}

impl Practice {
    /// The habits of the demo's `n`th specialist (counting from 0 across teams): measure `m` falls
    /// short for the specialists with `(n + m) % 3 == 0`.
    pub fn of(n: usize) -> Self {
        let meets = |m: usize| !(n + m).is_multiple_of(3);
        Self {
            small_caseload: meets(0),
            visits_employers: meets(1),
            prompt_first_contact: meets(2),
            varied_job_types: meets(3),
            varied_employers: meets(4),
            competitive_only: meets(5),
            keeps_support_rhythm: meets(6),
            calls_after_job_end: meets(7),
            discusses_disclosure: meets(8),
            reaches_out: meets(9),
            meets_in_the_community: meets(10),
            works_with_own_teams: meets(11),
            attends_team_meetings: meets(12),
            works_with_jobcentre: meets(13),
            plans_work_incentives: meets(14),
            follows_up_missed: meets(15),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_habit_is_kept_by_some_specialists_and_missed_by_others() {
        let all: Vec<Practice> = (0..12).map(Practice::of).collect();
        let habits: [fn(&Practice) -> bool; 16] = [
            |p| p.small_caseload,
            |p| p.visits_employers,
            |p| p.prompt_first_contact,
            |p| p.varied_job_types,
            |p| p.varied_employers,
            |p| p.competitive_only,
            |p| p.keeps_support_rhythm,
            |p| p.calls_after_job_end,
            |p| p.discusses_disclosure,
            |p| p.reaches_out,
            |p| p.meets_in_the_community,
            |p| p.works_with_own_teams,
            |p| p.attends_team_meetings,
            |p| p.works_with_jobcentre,
            |p| p.plans_work_incentives,
            |p| p.follows_up_missed,
        ];
        for habit in habits {
            let kept = all.iter().filter(|p| habit(p)).count();
            assert_eq!(kept, 8);
        }
    }
}
