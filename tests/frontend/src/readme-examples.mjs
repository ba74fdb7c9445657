// Every GraphQL example in the README validates against the committed SDL it is for (the staff
// API's or the integrator API's), so the first thing a front-end team copies works.
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';

const root = new URL('../../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const schemas = [
  ['staff', buildSchema(read('api/schema.graphql'))],
  ['integrations', buildSchema(read('api/integrations.graphql'))],
];

// Fenced blocks with no language or `graphql` whose text starts like a GraphQL operation.
const examples = [];
let open = null;
for (const line of read('README.md').split('\n')) {
  if (line.startsWith('```')) {
    if (open === null) open = { lang: line.slice(3).trim(), lines: [] };
    else {
      const text = open.lines.join('\n');
      if (['', 'graphql'].includes(open.lang) && /^\s*(\{|(query|mutation|subscription)\b)/.test(text)) examples.push(text);
      open = null;
    }
  } else if (open !== null) open.lines.push(line);
}
if (examples.length === 0) {
  console.error('README examples: none found');
  process.exit(1);
}
let failed = 0;
for (const text of examples) {
  const first = text.trim().split('\n').slice(0, 2).join(' ').replace(/\s+/g, ' ').slice(0, 60);
  let document;
  try {
    document = parse(text);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${first}: ${error.message}`);
    continue;
  }
  const results = schemas.map(([name, schema]) => [name, validate(schema, document)]);
  const valid = results.find(([, errors]) => errors.length === 0);
  if (valid) console.log(`PASS ${first} (${valid[0]} API)`);
  else {
    failed += 1;
    console.log(`FAIL ${first}: ${results[0][1].map((e) => e.message).join('; ')}`);
  }
}
process.exit(failed ? 1 : 0);
