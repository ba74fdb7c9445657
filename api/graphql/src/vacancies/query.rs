//! Vacancy queries. Any signed-in member of staff may read vacancies.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use super::inputs::{NearInput, VacancyFilter, VacancyOrder, VacancySearchFilter};
use super::search::{SearchArgs, search_vacancies};
use super::service;
use super::types::{Vacancy, VacancyConnection, VacancySearchConnection, VacancySort};
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
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one GraphQL argument of the field"
    )]
    async fn vacancies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which vacancies to list.")] filter: Option<VacancyFilter>,
        #[graphql(desc = "Order of the list (default: newest first).")] order_by: Option<
            VacancyOrder,
        >,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items, forwards (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "How many items, backwards (at most 100).")] last: Option<i32>,
    ) -> Result<VacancyConnection> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let args = PageArgs::new(first, after, last, before);
        let page = service::list_vacancies(
            db,
            &filter.unwrap_or_default(),
            order_by.unwrap_or_default(),
            &args,
            wants_total(ctx),
        )
        .await?;
        Ok(page.map(Vacancy).into())
    }

    /// Searches vacancies: free text (typos forgiven on longer words, exact matches first), filters,
    /// hard exclusions, a radius, an order, and counts per dimension. Open vacancies only unless
    /// `filter.statuses` says otherwise.
    #[graphql(complexity = "crate::limits::search_complexity(child_complexity, first, &text)")]
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one GraphQL argument of the field"
    )]
    async fn vacancy_search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words to look for, as a person would type them.")] text: Option<String>,
        #[graphql(desc = "Conditions every hit must meet.")] filter: Option<VacancySearchFilter>,
        #[graphql(desc = "Only vacancies within a radius of a point.")] near: Option<NearInput>,
        #[graphql(desc = "Order of hits (default RELEVANCE).", default)] sort: VacancySort,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many items (at most 100).")] first: Option<i32>,
    ) -> Result<VacancySearchConnection> {
        viewer(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let search = ctx.data::<std::sync::Arc<super::indexer::SearchIndex>>()?;
        let args = SearchArgs {
            text,
            filter: filter.unwrap_or_default(),
            near,
            sort,
            first,
            after,
            // Facet counts cost time on broad searches: only when the caller selects them.
            count_facets: ctx.look_ahead().field("facets").exists(),
        };
        Ok(search_vacancies(db, search, args).await?.into())
    }
}
