// Logging an engagement: the new entry goes to the top of each given
// connection (e.g. EmployerEngagements_engagements' __id).
import { graphql } from 'relay-runtime';

export const engagementCreateMutation = graphql`
  mutation EngagementCreateMutation(
    $input: EngagementCreateInput!
    $connections: [ID!]!
  ) {
    engagementCreate(input: $input) {
      userErrors {
        field
        message
        code
      }
      engagement
        @prependNode(connections: $connections, edgeTypeName: "EngagementEdge") {
        id
        ...EngagementCard_engagement
      }
    }
  }
`;
