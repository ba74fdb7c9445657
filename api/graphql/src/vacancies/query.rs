//! Vacancy queries. Any signed-in member of staff may read vacancies.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;

use super::inputs::{NearInput, VacancyFilter, VacancyOrder, VacancySearchFilter};
use super::search::{SearchArgs, search_vacancies, suggest_occupations};
use super::service;
use super::types::{
    OccupationSuggestion, Vacancy, VacancyConnection, VacancySearchConnection, VacancySort,
};
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

    /// Job titles from the ONS SOC 2010 coding index (about 28,000) for an occupation field's
    /// autocomplete: every finished word must be in the title (one typo forgiven from five
    /// letters), the last may be unfinished; general titles and shorter ones first. Digits list
    /// unit groups by code.
    async fn occupation_suggest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the person has typed so far.")] text: String,
        #[graphql(desc = "How many suggestions (1 to 50; default 10).")] first: Option<i32>,
    ) -> Result<Vec<OccupationSuggestion>> {
        viewer(ctx)?;
        Ok(suggest_occupations(&text, first)?)
    }

    /// Searches vacancies: free text, filters, hard exclusions, a radius, an order, and counts per
    /// dimension. Open vacancies only unless `filter.statuses` says otherwise. Words match as
    /// written, by English stem, or misspelt (one edit from five letters, two from nine); the
    /// words are also read as occupations (`understoodAs`: the ONS coding index and a table of lay
    /// phrasings like "bar work"), and vacancies in those occupations rank higher. By relevance,
    /// vacancies matching more words come first; then exact words before one edit before two,
    /// and the title before skills before the description.
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
