#!/usr/bin/env bash
# Step 4 on its own: needs a running server.
#   IPSMATCH_URL=http://127.0.0.1:8080 IPSMATCH_TOKEN=<specialist token> tests/frontend/cache-check.sh
set -euo pipefail
cd "$(dirname "$0")"
source ./deps.sh
: "${IPSMATCH_URL:?set IPSMATCH_URL, e.g. http://127.0.0.1:8080}"
: "${IPSMATCH_TOKEN:?set IPSMATCH_TOKEN to the bearer token of a specialist}"

# A fresh artifact, never a stale one: when relay-compiler fails (an SDL
# without what CacheCheckQuery asks) the relay-runtime half reports it and the
# Apollo half still runs.
rm -rf src/relay-js/__generated__
if ! npx --no-install relay-compiler --project cacheCheck; then
  echo "cache check: relay-compiler failed (above); relay-runtime cannot be checked" >&2
fi
node src/cache-check.mjs
