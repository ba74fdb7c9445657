// The operation src/cache-check.mjs normalises into relay-runtime's store.
// It is its own Relay project (plain JavaScript artifacts, CommonJS) so that
// node can load the artifact without a TypeScript step.
const { graphql } = require('relay-runtime');

module.exports = graphql`
  query CacheCheckQuery($id: ID!) {
    client(id: $id) {
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
      }
    }
  }
`;
