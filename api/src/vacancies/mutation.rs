//! Vacancy mutations: any signed-in member of staff.

use async_graphql::{Context, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::*;
use crate::auth::viewer;

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
        VacancyCreatePayload::from_result(service::create_vacancy(db, me, input).await, Vacancy)
    }

    /// Changes a vacancy's details; a stale `version` is refused with `STALE_VERSION`.
    async fn vacancy_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: VacancyUpdateInput,
    ) -> Result<VacancyUpdatePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        VacancyUpdatePayload::from_result(service::update_vacancy(db, input).await, Vacancy)
    }

    /// Opens, fills, closes or reopens a vacancy.
    async fn vacancy_status_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields of this change.")] input: VacancyStatusChangeInput,
    ) -> Result<VacancyStatusChangePayload> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        VacancyStatusChangePayload::from_result(service::change_status(db, input).await, Vacancy)
    }
}
