// The caseload screen: a specialist's clients, paged, in a chosen order.
import { graphql } from 'relay-runtime';

export const caseloadQuery = graphql`
  query CaseloadQuery($count: Int = 25, $orderBy: ClientOrder) {
    ...Caseload_query @arguments(count: $count, orderBy: $orderBy)
  }
`;

export const caseloadFragment = graphql`
  fragment Caseload_query on Query
  @refetchable(queryName: "CaseloadPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 25 }
    cursor: { type: "String" }
    filter: { type: "ClientFilter" }
    orderBy: {
      type: "ClientOrder"
      defaultValue: { field: NAME, direction: ASC }
    }
  ) {
    clients(first: $count, after: $cursor, filter: $filter, orderBy: $orderBy)
      @connection(key: "Caseload_clients") {
      totalCount
      edges {
        node {
          id
          name
          reference
          status
          referralDate
          updatedAt
          specialist {
            id
            name
          }
          ...ClientCard_client
        }
      }
    }
  }
`;
