// A vacancy card, refreshable on its own through Query.node.
import { graphql } from 'relay-runtime';

export const vacancyCard = graphql`
  fragment VacancyCard_vacancy on Vacancy
  @refetchable(queryName: "VacancyCardRefetchQuery") {
    id
    title
    employerName
    status
    closingDate
    location {
      town
      postcode
    }
    version
  }
`;
