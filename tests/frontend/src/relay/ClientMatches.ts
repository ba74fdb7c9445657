// A client's suggested vacancies, paged, with the near misses and whether
// there is anything to match on.
import { graphql } from 'relay-runtime';

export const clientMatchesQuery = graphql`
  query ClientMatchesQuery($id: ID!, $includeNearMisses: Boolean!) {
    client(id: $id) {
      ...ClientMatches_client @arguments(includeNearMisses: $includeNearMisses)
    }
  }
`;

export const clientMatchesFragment = graphql`
  fragment ClientMatches_client on Client
  @refetchable(queryName: "ClientMatchesPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
    includeNearMisses: { type: "Boolean", defaultValue: false }
  ) {
    id
    matches(first: $count, after: $cursor, includeNearMisses: $includeNearMisses)
      @connection(key: "ClientMatches_matches") {
      totalCount
      hasPreferences
      nearMisses {
        vacancy {
          id
          title
        }
        excludedBy {
          rule
          message
        }
      }
      edges {
        node {
          score
          factors {
            factor
            clientValue
            vacancyValue
            fit
            weight
            contribution
          }
          warnings {
            kind
            message
          }
          vacancy {
            id
            title
            ...VacancyCard_vacancy
          }
        }
      }
    }
  }
`;
