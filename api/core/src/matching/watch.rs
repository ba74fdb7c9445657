//! Watching one client's top matches as vacancies change (`matchesChanged`). The client's whole
//! matching runs only when a change could alter the top: a vacancy that breaks a hard rule, or
//! scores below the current last place of a full top list it is not in, cannot enter it, and is
//! settled by scoring that one vacancy.

use std::time::{Duration, Instant};

use uuid::Uuid;

use super::{MatchWeights, Suggestion, Wants, match_client, match_one};
use crate::access::Viewer;
use crate::clients::service::{current_preferences, current_profile};
use crate::error::ApiError;
use crate::vacancies::indexer::SearchIndex;
use crate::vacancies::model::VacancyStatus;

/// How long a remembered top list is trusted before the matching runs again (the day, and with it
/// the date rules, moves on; a subscriber may have missed changes).
const TRUST: Duration = Duration::from_secs(60);

/// The top list as last computed, and what it was computed from.
struct Remembered {
    preferences_version: i32,
    profile_version: Option<i32>,
    top: Vec<Uuid>,
    last_place: f64,
    at: Instant,
}

/// One subscriber's view of one client's top matches.
pub struct TopWatch {
    viewer: Viewer,
    client_id: Uuid,
    top: usize,
    weights: MatchWeights,
    remembered: Option<Remembered>,
}

impl TopWatch {
    /// Watches `client_id`'s top `top` matches for `viewer`.
    pub fn new(viewer: Viewer, client_id: Uuid, top: usize, weights: MatchWeights) -> Self {
        TopWatch {
            viewer,
            client_id,
            top,
            weights,
            remembered: None,
        }
    }

    /// Forgets the top list: the next change runs the whole matching (a missed change, or a
    /// change the list may depend on, such as an employer's).
    pub fn forget(&mut self) {
        self.remembered = None;
    }

    /// Where the vacancy `vacancy_id`, as it now is, ranks among the client's top matches: its
    /// place (from 1) and suggestion, or `None` when it is not among them (or the client is no
    /// longer reached).
    pub async fn on_vacancy_change(
        &mut self,
        db: &sea_orm::DatabaseConnection,
        search: &SearchIndex,
        vacancy_id: Uuid,
    ) -> Result<Option<(usize, Suggestion)>, ApiError> {
        // Still within reach: a caseload can change while subscribed.
        if crate::clients::access::find_client(db, &self.viewer, self.client_id)
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let Some(v) = crate::vacancies::service::find_vacancy(db, vacancy_id).await? else {
            self.forget_if_listed(vacancy_id);
            return Ok(None);
        };
        let Some(prefs) = current_preferences(db, self.client_id).await? else {
            return Ok(None);
        };
        let profile = current_profile(db, self.client_id).await?;
        let stale = self.remembered.as_ref().is_none_or(|r| {
            r.preferences_version != prefs.version
                || r.profile_version != profile.as_ref().map(|p| p.version)
                || r.at.elapsed() > TRUST
        });
        if stale {
            self.remembered = None;
        }
        let (preferences_version, profile_version) =
            (prefs.version, profile.as_ref().map(|p| p.version));
        let wants = Wants::new(prefs, profile.as_ref());
        let today = crate::clock::today();
        if v.status != VacancyStatus::Open.as_db() {
            self.forget_if_listed(v.id);
            return Ok(None);
        }
        let employer = match v.employer_id {
            Some(id) => crate::employers::service::find_employer(db, id).await?,
            None => None,
        };
        let Ok(alone) = match_one(&wants, &v, employer.as_ref(), &self.weights, today) else {
            // A hard rule keeps it apart: it ranks nowhere, and leaves the top if it was there.
            self.forget_if_listed(v.id);
            return Ok(None);
        };
        if let Some(r) = &self.remembered
            && r.top.len() == self.top
            && !r.top.contains(&v.id)
            && alone.score < r.last_place
        {
            return Ok(None);
        }
        let index = search.ready()?;
        let matches = match_client(db, &index, &wants, &self.weights, false, today).await?;
        let top: Vec<Suggestion> = matches.suggestions.into_iter().take(self.top).collect();
        self.remembered = Some(Remembered {
            preferences_version,
            profile_version,
            top: top.iter().map(|s| s.vacancy.id).collect(),
            last_place: top.last().map_or(f64::NEG_INFINITY, |s| s.score),
            at: Instant::now(),
        });
        Ok(top
            .into_iter()
            .enumerate()
            .find(|(_, s)| s.vacancy.id == v.id)
            .map(|(rank, s)| (rank + 1, s)))
    }

    fn forget_if_listed(&mut self, vacancy_id: Uuid) {
        if self
            .remembered
            .as_ref()
            .is_some_and(|r| r.top.contains(&vacancy_id))
        {
            self.remembered = None;
        }
    }
}
