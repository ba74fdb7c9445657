// Checks the files GraphiQL's page pins (api/src/graphiql/assets.json): fetches each package at
// its exact version from the npm registry (npm pack), and compares the SHA-384 of the file at its
// path with the integrity value the page sends. A wrong hash would leave GraphiQL blank in every
// browser, so CI catches it here.
//
//   node src/graphiql-assets.mjs [FOLDER]
//
// With FOLDER, the checked files are also copied there: a folder for IPSMATCH_GRAPHIQL_ASSETS.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync(new URL('../../../api/src/graphiql/assets.json', import.meta.url)));
const out = process.argv[2];
if (out) mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'ipsmatch-graphiql-'));
let failed = 0;
try {
  const unpacked = new Map();
  for (const asset of manifest.assets) {
    const spec = `${asset.package}@${asset.version}`;
    if (!unpacked.has(spec)) {
      const dir = join(work, spec.replace('/', '_'));
      execFileSync('mkdir', ['-p', dir]);
      const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
      execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir]);
      unpacked.set(spec, join(dir, 'package'));
    }
    const file = join(unpacked.get(spec), asset.path);
    const bytes = readFileSync(file);
    const integrity = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
    const ok = integrity === asset.integrity;
    if (!ok) failed += 1;
    else if (out) copyFileSync(file, join(out, asset.file));
    console.log(`${ok ? 'PASS' : 'FAIL'} ${asset.file}: ${spec}/${asset.path}${ok ? '' : ` is ${integrity}, the page pins ${asset.integrity}`}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
