// A client card, refreshable on its own through Query.node.
import { graphql } from 'relay-runtime';

export const clientCard = graphql`
  fragment ClientCard_client on Client
  @refetchable(queryName: "ClientCardRefetchQuery") {
    id
    name
    status
    town
    version
  }
`;
