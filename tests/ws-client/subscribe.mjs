// Subscribes over graphql-transport-ws with the graphql-ws client and prints one JSON line per
// event: {"connected":true}, {"next":…}, {"error":…}, {"closed":{code,reason}}.
// Usage: node subscribe.mjs URL TOKEN QUERY VARIABLES_JSON COUNT
// Exits 0 after COUNT events, 2 on a GraphQL error, 3 when the server closes the connection.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variables, count] = process.argv.slice(2);
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');
let received = 0;
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  connectionParams: { Authorization: `Bearer ${token}` },
  on: {
    connected: () => print({ connected: true }),
    closed: (event) => {
      print({ closed: { code: event.code, reason: event.reason } });
      process.exit(received >= Number(count) ? 0 : 3);
    },
  },
});
client.subscribe(
  { query, variables: JSON.parse(variables) },
  {
    next: (value) => {
      print({ next: value, at: Date.now() });
      received += 1;
      if (received >= Number(count)) {
        client.dispose();
        process.exit(0);
      }
    },
    error: (error) => {
      print({ error: error instanceof Error ? error.message : error });
      process.exit(2);
    },
    complete: () => print({ complete: true }),
  },
);
