// One graphql-transport-ws session driven from standard input, for the session tests: each input
// line is {"id":…, "query":…, "variables":…}, run as its own operation on the one socket; output
// lines are {"connected":true}, {"id":…,"next":…}, {"id":…,"error":…}, {"id":…,"complete":true}
// and {"closed":{code,reason}} (then the process exits).
// Usage: node session.mjs URL TOKEN
import readline from 'node:readline';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token] = process.argv.slice(2);
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');
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
      process.exit(0);
    },
  },
});
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, query, variables } = JSON.parse(line);
  client.subscribe(
    { query, variables: variables ?? {} },
    {
      next: (value) => print({ id, next: value }),
      error: (error) => print({ id, error: error instanceof Error ? error.message : error }),
      complete: () => print({ id, complete: true }),
    },
  );
});
lines.on('close', () => {
  client.dispose();
  process.exit(0);
});
