#!/usr/bin/env bash
# Diffs api/schema.graphql and api/integrations.graphql against the release in
# schema-baseline (`TAG FULL-COMMIT-HASH`); breaking changes must be listed in
# schema-breaking-allowed.txt. See README.md.
set -euo pipefail
cd "$(dirname "$0")"

read -r -a words <<<"$(grep -v '^[[:space:]]*#' schema-baseline | tr '\n' ' ')"
if [ "${#words[@]}" -ne 2 ] || ! [[ "${words[1]}" =~ ^[0-9a-f]{40}$ ]]; then
  echo "schema-baseline: expected two words, a tag and its full 40-digit commit hash; found: ${words[*]:-nothing}" >&2
  exit 1
fi
tag=${words[0]} hash=${words[1]}

root=$(git rev-parse --show-toplevel)
ref=
if tagged=$(git -C "$root" rev-parse -q --verify "refs/tags/$tag^{commit}"); then
  if [ "$tagged" != "$hash" ]; then
    echo "schema-baseline: tag $tag is commit $tagged here, not $hash; fix the baseline (or the tag)" >&2
    exit 1
  fi
  ref=$tag
elif git -C "$root" cat-file -e "$hash^{commit}" 2>/dev/null; then
  echo "(tag $tag not in this clone; using commit $hash)"
  ref=$hash
else
  echo "(neither tag $tag nor commit $hash in this clone; fetching $hash from origin)"
  if git -C "$root" remote get-url origin >/dev/null 2>&1 &&
    git -C "$root" fetch -q --no-tags origin "$hash" &&
    git -C "$root" cat-file -e "$hash^{commit}" 2>/dev/null; then
    ref=$hash
  else
    echo "schema-baseline: cannot find $tag or $hash here, nor fetch $hash from origin; fetch the tag (git fetch origin tag $tag) and retry" >&2
    exit 1
  fi
fi

old=$(mktemp -d)
trap 'rm -rf "$old"' EXIT
for sdl in schema integrations; do
  if ! git -C "$root" show "$ref:api/$sdl.graphql" >"$old/$sdl.graphql"; then
    echo "schema-baseline: $ref has no api/$sdl.graphql" >&2
    exit 1
  fi
done

echo "baseline: $tag ($hash)"
node src/schema-diff.mjs schema-breaking-allowed.txt \
  staff "$old/schema.graphql" ../../api/schema.graphql \
  integrations "$old/integrations.graphql" ../../api/integrations.graphql
