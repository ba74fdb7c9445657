//! Vacancy mutations: any signed-in member of staff.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::viewer;

/// How long a mutation waits for its change to become searchable.
const SEARCHABLE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// After a successful write, tells the follower and, when asked, waits until the index has it.
async fn wait_if_asked(
    ctx: &Context<'_>,
    wait: bool,
    result: &Result<entities::vacancy::Model, crate::error::ServiceError>,
) -> Result<()> {
    let Ok(row) = result else {
        return Ok(());
    };
    let search = ctx.data::<std::sync::Arc<super::indexer::SearchIndex>>()?;
    if !wait {
        search.nudge();
        return Ok(());
    }
    let db = ctx.data::<DatabaseConnection>()?;
    let seq = crate::change_log::latest_seq(db, row.id).await?;
    if !search.wait_for(seq, SEARCHABLE_WAIT).await {
        tracing::warn!(vacancy = %row.id, seq, "change not searchable within the wait");
    }
    Ok(())
}

/// Vacancy mutations.
#[derive(Default)]
pub struct VacancyMutation;

#[Object]
impl VacancyMutation {
    /// Records a new vacancy, as a draft or open.
    async fn vacancy_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: VacancyCreateInput,
    ) -> Result<VacancyCreatePayload> {
        let me = viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let wait = input.wait_until_searchable;
        let result = service::create_vacancy(db, me, input).await;
        wait_if_asked(ctx, wait, &result).await?;
        VacancyCreatePayload::from_result(result, Vacancy)
    }

    /// Changes a vacancy's details; a stale `version` is refused with `STALE_VERSION`.
    async fn vacancy_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: VacancyUpdateInput,
    ) -> Result<VacancyUpdatePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let wait = input.wait_until_searchable;
        let result = service::update_vacancy(db, input).await;
        wait_if_asked(ctx, wait, &result).await?;
        VacancyUpdatePayload::from_result(result, Vacancy)
    }

    /// Opens, fills, closes or reopens a vacancy.
    async fn vacancy_status_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: VacancyStatusChangeInput,
    ) -> Result<VacancyStatusChangePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let wait = input.wait_until_searchable;
        let result = service::change_status(db, input).await;
        wait_if_asked(ctx, wait, &result).await?;
        VacancyStatusChangePayload::from_result(result, Vacancy)
    }
}
