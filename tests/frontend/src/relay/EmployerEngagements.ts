// An employer's engagement log, paged, newest first by default. The
// connection's __id is what EngagementCreateMutation prepends to.
import { graphql } from 'relay-runtime';

export const employerEngagementsQuery = graphql`
  query EmployerEngagementsQuery($id: ID!) {
    employer(id: $id) {
      ...EmployerCard_employer
      ...EmployerEngagements_employer
    }
  }
`;

export const employerEngagementsFragment = graphql`
  fragment EmployerEngagements_employer on Employer
  @refetchable(queryName: "EmployerEngagementsPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
    orderBy: { type: "EngagementOrder" }
  ) {
    id
    engagements(first: $count, after: $cursor, orderBy: $orderBy)
      @connection(key: "EmployerEngagements_engagements") {
      __id
      totalCount
      edges {
        node {
          id
          ...EngagementCard_engagement
        }
      }
    }
  }
`;
