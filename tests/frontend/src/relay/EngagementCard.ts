// An engagement entry, refreshable on its own through Query.node.
import { graphql } from 'relay-runtime';

export const engagementCard = graphql`
  fragment EngagementCard_engagement on Engagement
  @refetchable(queryName: "EngagementCardRefetchQuery") {
    id
    occurredAt
    mode
    purpose
    outcome
    nextStep
    nextStepDue
    employer {
      id
      name
    }
    specialist {
      id
      name
    }
  }
`;
