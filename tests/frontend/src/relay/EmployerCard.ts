// An employer card, refreshable on its own through Query.node.
import { graphql } from 'relay-runtime';

export const employerCard = graphql`
  fragment EmployerCard_employer on Employer
  @refetchable(queryName: "EmployerCardRefetchQuery") {
    id
    name
    sector
    stage
    archived
    version
  }
`;
