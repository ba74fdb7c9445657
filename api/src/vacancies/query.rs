//! Vacancy queries. Any signed-in member of staff may read vacancies.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use super::service;
use super::types::{Vacancy, VacancyConnection, VacancyFilter};
use crate::auth::viewer;
use crate::ids::{self, Kind};
use crate::pagination::{PageArgs, complexity, wants_total};

/// Vacancy queries.
#[derive(Default)]
pub struct VacancyQuery;

#[Object]
impl VacancyQuery {
    /// One vacancy; null when there is none with this id.
    async fn vacancy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vacancy's id.")] id: ID,
    ) -> Result<Option<Vacancy>> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let Some(uuid) = ids::decode_as(&id, Kind::Vacancy) else {
            return Ok(None);
        };
        Ok(service::find_vacancy(db, uuid).await?.map(Vacancy))
    }

    /// Vacancies, newest first.
    #[graphql(complexity = "complexity(child_complexity, first, last)")]
    async fn vacancies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which vacancies to list.")] filter: Option<VacancyFilter>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<VacancyConnection> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page =
            service::list_vacancies(db, &filter.unwrap_or_default(), &args, wants_total(ctx))
                .await?;
        Ok(page.map(Vacancy).into())
    }
}
