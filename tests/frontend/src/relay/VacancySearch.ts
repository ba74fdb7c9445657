// Vacancy search: free text and filters, paged hits, facet counts over every match.
import { graphql } from 'relay-runtime';

export const vacancySearchQuery = graphql`
  query VacancySearchQuery($text: String, $filter: VacancySearchFilter) {
    ...VacancySearch_query @arguments(text: $text, filter: $filter)
  }
`;

export const vacancySearchFragment = graphql`
  fragment VacancySearch_query on Query
  @refetchable(queryName: "VacancySearchPaginationQuery")
  @argumentDefinitions(
    text: { type: "String" }
    filter: { type: "VacancySearchFilter" }
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
  ) {
    vacancySearch(text: $text, filter: $filter, first: $count, after: $cursor)
      @connection(key: "VacancySearch_vacancySearch", filters: ["text", "filter"]) {
      totalCount
      facets {
        dimension
        value
        count
      }
      edges {
        node {
          score
          distanceKm
          titleHtml
          descriptionHtml
          vacancy {
            id
            ...VacancyCard_vacancy
          }
        }
      }
    }
  }
`;
