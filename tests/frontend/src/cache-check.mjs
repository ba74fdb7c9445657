// Normalises a real consent history into relay-runtime's store and Apollo's
// InMemoryCache and reads it back: with one id per consent *version* both give
// back every version; with one id shared by all versions both collapse them
// into one record, and this fails.
//
//   IPSMATCH_URL=http://127.0.0.1:8080 IPSMATCH_TOKEN=... node src/cache-check.mjs
//
// Needs src/relay-js/__generated__/CacheCheckQuery.graphql.js (relay-compiler;
// cache-check.sh runs it first).
import { createRequire } from 'node:module';
import { InMemoryCache, gql } from '@apollo/client';
import relay from 'relay-runtime';

const { Environment, Network, Observable, RecordSource, Store, createOperationDescriptor } = relay;
const require = createRequire(import.meta.url);

function fail(message) {
  console.error(`cache check: ${message}`);
  process.exit(1);
}

const base = process.env.IPSMATCH_URL;
const token = process.env.IPSMATCH_TOKEN;
if (!base || !token) fail('set IPSMATCH_URL (e.g. http://127.0.0.1:8080) and IPSMATCH_TOKEN (a specialist\'s bearer token)');

let artifact;
let artifactError;
try {
  artifact = require('./relay-js/__generated__/CacheCheckQuery.graphql.js');
} catch (error) {
  artifactError = error.code === 'MODULE_NOT_FOUND' ? 'relay-compiler did not generate it' : error.message;
}

// __typename is asked for as a real Apollo client asks for it: the default
// dataIdFromObject keys records by `${__typename}:${id}`.
const clientsQuery = (seriesId) => `query CacheCheckClients {
  clients(first: 100) {
    nodes {
      __typename
      id
      consentHistory {
        __typename
        id
        ${seriesId ? 'seriesId' : ''}
        version
        status
        wording
        employer { __typename id name }
      }
    }
  }
}`;

const url = new URL('/graphql', base);
async function post(query) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
  } catch (error) {
    fail(`POST ${url}: ${error.cause?.message ?? error.message}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, text, body: JSON.parse(text) };
  } catch {
    fail(`POST ${url}: HTTP ${response.status}, not JSON: ${text.slice(0, 500)}`);
  }
}

let withSeriesId = true;
const problems = [];
let { status, text, body } = await post(clientsQuery(true));
const refused = (b) => (b.errors ?? []).map((e) => `  - ${e.message}`).join('\n');
if (!body.data && body.errors?.length && body.errors.every((e) => /seriesId/.test(e.message))) {
  // The schema before Consent.seriesId: every version shares the consent's
  // id. Go on without it, so the caches show what that does.
  problems.push('the server has no Consent.seriesId');
  console.log(`the server refused Consent.seriesId (the schema before it):\n${refused(body)}\nasking again without it; versions grouped by id`);
  withSeriesId = false;
  ({ status, text, body } = await post(clientsQuery(false)));
}
if (body.errors?.length) fail(`the server refused the query:\n${refused(body)}`);
if (status !== 200 || !body.data) fail(`POST ${url}: HTTP ${status}: ${text.slice(0, 500)}`);

const clients = body.data.clients.nodes;
const client = clients.find((c) => {
  const perSeries = new Map();
  for (const v of c.consentHistory) perSeries.set(v.seriesId ?? v.id, (perSeries.get(v.seriesId ?? v.id) ?? 0) + 1);
  return [...perSeries.values()].some((n) => n >= 2);
});
if (!client) {
  fail(
    `none of the ${clients.length} clients this token reaches has a consent with 2 or more versions ` +
      '(grant a consent and change or revoke it, e.g. with consentChange, then retry)',
  );
}
const sent = client.consentHistory;
const seriesCount = new Set(sent.map((v) => v.seriesId ?? v.id)).size;
console.log(`client ${client.id}: ${sent.length} consent versions in ${seriesCount} series, ${new Set(sent.map((v) => v.id)).size} distinct ids`);

const FIELDS = ['id', 'version', 'status', 'wording'];
function compare(label, read) {
  const problems = [];
  if (read?.skipped) {
    console.log(`FAIL ${label}: not run: ${read.skipped}`);
    return false;
  }
  if (!Array.isArray(read)) {
    problems.push(`read back ${JSON.stringify(read)}, not a list`);
  } else {
    if (read.length !== sent.length) problems.push(`read back ${read.length} versions, sent ${sent.length}`);
    sent.forEach((version, i) => {
      const got = read[i] ?? {};
      const wrong = FIELDS.filter((f) => got[f] !== version[f]);
      if (wrong.length) {
        problems.push(
          `#${i} sent ${FIELDS.map((f) => `${f}=${JSON.stringify(version[f])}`).join(' ')}, ` +
            `read ${wrong.map((f) => `${f}=${JSON.stringify(got[f])}`).join(' ')}`,
        );
      }
    });
  }
  if (problems.length) {
    console.log(`FAIL ${label}: versions collapsed or changed in the cache`);
    for (const p of problems.slice(0, 10)) console.log(`     ${p}`);
    if (problems.length > 10) console.log(`     … ${problems.length - 10} more`);
  } else {
    console.log(`PASS ${label}: ${sent.length} versions read back as sent`);
  }
  return problems.length === 0;
}

// (a) relay-runtime: the Network answers with the recorded response.
async function relayRead() {
  if (!artifact) return { skipped: `no CacheCheckQuery artifact (${artifactError})` };
  const environment = new Environment({
    network: Network.create(() => Observable.from(Promise.resolve({ data: { client } }))),
    store: new Store(new RecordSource()),
  });
  const operation = createOperationDescriptor(artifact, { id: client.id });
  const retained = environment.retain(operation);
  await new Promise((resolve, reject) => {
    environment.execute({ operation }).subscribe({ complete: resolve, error: reject });
  });
  const snapshot = environment.lookup(operation.fragment);
  retained.dispose();
  return snapshot.data?.client?.consentHistory;
}

// (b) Apollo InMemoryCache with the default dataIdFromObject.
function apolloRead() {
  const cache = new InMemoryCache();
  const query = gql`
    query CacheCheck($id: ID!) {
      client(id: $id) {
        __typename
        id
        consentHistory {
          __typename
          id
          ${withSeriesId ? 'seriesId' : ''}
          version
          status
          wording
          employer { __typename id name }
        }
      }
    }
  `;
  cache.writeQuery({ query, variables: { id: client.id }, data: { client } });
  return cache.readQuery({ query, variables: { id: client.id } })?.client?.consentHistory;
}

const results = [compare('relay-runtime', await relayRead()), compare('@apollo/client InMemoryCache', apolloRead())];
for (const p of problems) console.log(`FAIL schema: ${p}`);
process.exit(results.every(Boolean) && problems.length === 0 ? 0 : 1);
