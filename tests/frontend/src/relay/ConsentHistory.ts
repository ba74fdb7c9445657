// Every version of every consent of a client: each version is its own
// record (id), the versions of one consent share seriesId.
import { graphql } from 'relay-runtime';

export const consentHistoryQuery = graphql`
  query ConsentHistoryQuery($id: ID!) {
    client(id: $id) {
      ...ConsentHistory_client
    }
  }
`;

export const consentHistoryFragment = graphql`
  fragment ConsentHistory_client on Client {
    id
    consentHistory {
      id
      seriesId
      version
      status
      wording
      employer {
        id
        name
      }
      ...ConsentCard_consent
    }
  }
`;
