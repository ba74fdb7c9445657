// Diffs SDL pairs with @graphql-inspector/core and holds breaking changes to
// an allowlist. (The pinned @graphql-inspector/cli diff command has no JSON
// output; the library gives each change's criticality, type and path.)
//
//   node src/schema-diff.mjs ALLOWLIST NAME OLD.graphql NEW.graphql [NAME OLD NEW ...]
//
// ALLOWLIST: one allowed breaking change a line, `NAME<TAB>KEY`, where KEY is
// the change's `TYPE path` (or `TYPE message` for the few changes without a
// path), exactly as printed below. `#` starts a comment line; blank lines are
// ignored. Exits 1 when a breaking change is not allowed, or when an allowed
// line matches no change (a stale entry).
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff, DiffRule } from '@graphql-inspector/core';

const [allowPath, ...rest] = process.argv.slice(2);
if (!allowPath || rest.length === 0 || rest.length % 3 !== 0) {
  console.error('usage: schema-diff.mjs ALLOWLIST NAME OLD NEW [NAME OLD NEW ...]');
  process.exit(2);
}

const names = new Set();
for (let i = 0; i < rest.length; i += 3) names.add(rest[i]);

const allowed = new Map(); // `${name}\t${key}` -> { line, used }
let badAllowlist = false;
readFileSync(allowPath, 'utf8')
  .split('\n')
  .forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    const name = tab < 0 ? '' : line.slice(0, tab);
    if (!names.has(name) || line.slice(tab + 1).trim() === '') {
      console.error(
        `${allowPath}:${index + 1}: expected one of ${[...names].join(', ')}, a tab, then TYPE and path: ${JSON.stringify(line)}`,
      );
      badAllowlist = true;
      return;
    }
    allowed.set(line, { line: index + 1, used: false });
  });

const oneLine = (text) => text.replace(/\s+/g, ' ').trim();
const key = (change) => `${change.type} ${change.path ?? oneLine(change.message)}`;
const mark = {
  [CriticalityLevel.Breaking]: 'BREAKING ',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe     ',
};

let unallowed = 0;
for (let i = 0; i < rest.length; i += 3) {
  const [name, oldPath, newPath] = rest.slice(i, i + 3);
  const load = (path) => buildSchema(readFileSync(path, 'utf8'));
  // simplifyChanges is what the inspector CLI applies by default: one change
  // for a removed type, not one more for each of its fields.
  const changes = await diff(load(oldPath), load(newPath), [DiffRule.simplifyChanges]);
  const count = (level) => changes.filter((c) => c.criticality.level === level).length;
  console.log(
    `-- ${name}: ${changes.length} changes (${count(CriticalityLevel.Breaking)} breaking, ` +
      `${count(CriticalityLevel.Dangerous)} dangerous, ${count(CriticalityLevel.NonBreaking)} safe)`,
  );
  for (const change of changes) {
    const k = key(change);
    let note = '';
    if (change.criticality.level === CriticalityLevel.Breaking) {
      const entry = allowed.get(`${name}\t${k}`);
      if (entry) {
        entry.used = true;
        note = '  [allowed]';
      } else {
        unallowed += 1;
        note = '  [NOT ALLOWED]';
      }
    }
    console.log(`${mark[change.criticality.level]} ${name}\t${k}${note}`);
    console.log(`            ${oneLine(change.message)}`);
  }
}

const stale = [...allowed].filter(([, entry]) => !entry.used);
for (const [line, entry] of stale) {
  console.error(`${allowPath}:${entry.line}: matches no breaking change (stale; remove it): ${line}`);
}
if (unallowed > 0) {
  console.error(
    `${unallowed} breaking change(s) not in ${allowPath}; if intended, add each as its printed \`NAME<TAB>TYPE path\` line.`,
  );
}
if (unallowed > 0 || stale.length > 0 || badAllowlist) process.exit(1);
console.log('schema diff: every breaking change is allowed, and every allowed one occurs');
