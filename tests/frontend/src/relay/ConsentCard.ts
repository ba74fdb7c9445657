// One consent version, refreshable on its own through Query.node
// (needs Consent to implement Node, with one id per version).
import { graphql } from 'relay-runtime';

export const consentCard = graphql`
  fragment ConsentCard_consent on Consent
  @refetchable(queryName: "ConsentCardRefetchQuery") {
    id
    seriesId
    version
    status
    purpose
    level
    items
    expiresAt
    inForce
    employer {
      id
      name
    }
  }
`;
