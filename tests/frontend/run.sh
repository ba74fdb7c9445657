#!/usr/bin/env bash
# Front-end tools on the committed SDLs, unmodified. See README.md.
#   tests/frontend/run.sh                      steps 1, 2, 3, 5, 6, 7
#   IPSMATCH_URL=... IPSMATCH_TOKEN=... tests/frontend/run.sh   and step 4 too
set -euo pipefail
cd "$(dirname "$0")"
source ./deps.sh

echo "== 1. relay-compiler (staff SDL: src/relay, src/relay-js)"
npx --no-install relay-compiler

echo "== 2. graphql-codegen (both SDLs: src/operations) and tsc --strict"
# Without a terminal, codegen logs each task's start and end: keep the
# results and errors only.
npx --no-install graphql-codegen --config codegen.ts 2>&1 |
  sed -e '/^❯ /d' -e '/^✔ \(Parse Configuration\|Load GraphQL .*\|Generate\)$/d'
npx --no-install tsc --strict --noEmit -p tsconfig.json
echo "tsc: src/use.ts type-checks against the generated types"

echo "== 3. graphql-schema-linter (.graphql-schema-linterrc)"
# One SDL per run: given two files the linter merges them into one schema.
for sdl in ../../api/schema.graphql ../../api/integrations.graphql; do
  echo "-- ${sdl#../../}"
  npx --no-install graphql-schema-linter "$sdl"
done

if [ -n "${IPSMATCH_URL:-}" ]; then
  echo "== 4. cache normalisation against $IPSMATCH_URL"
  ./cache-check.sh
else
  echo "== 4. cache normalisation: skipped (set IPSMATCH_URL and IPSMATCH_TOKEN for a running server)"
fi

echo "== 5. schema diff against schema-baseline"
./schema-diff.sh

echo "== 6. the README's GraphQL examples against the SDLs"
node src/readme-examples.mjs

echo "== 7. GraphiQL's pinned files (api/src/graphiql/assets.json) against the npm packages"
node src/graphiql-assets.mjs
