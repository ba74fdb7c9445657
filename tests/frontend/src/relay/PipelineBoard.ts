// The pipeline board: the applications of the clients the caller reaches, paged, by stage and in a
// chosen order.
import { graphql } from 'relay-runtime';

export const pipelineBoardQuery = graphql`
  query PipelineBoardQuery($count: Int = 50, $stages: [ApplicationStageKind!]) {
    ...PipelineBoard_query @arguments(count: $count, stages: $stages)
  }
`;

export const pipelineBoardFragment = graphql`
  fragment PipelineBoard_query on Query
  @refetchable(queryName: "PipelineBoardPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 50 }
    cursor: { type: "String" }
    stages: { type: "[ApplicationStageKind!]" }
    orderBy: {
      type: "ApplicationOrder"
      defaultValue: { field: UPDATED_AT, direction: DESC }
    }
  ) {
    applications(first: $count, after: $cursor, filter: { stages: $stages }, orderBy: $orderBy)
      @connection(key: "PipelineBoard_applications") {
      totalCount
      edges {
        node {
          id
          stage
          client {
            id
            name
          }
          vacancy {
            id
            title
          }
        }
      }
    }
  }
`;
