#!/usr/bin/env bash
# Runs web/'s `npm test`: tsc --noEmit over the library and its tests, then node's test runner
# over the esbuild-bundled tests (web/scripts/run_tests.mjs).
# Usage: run.sh WEB_DIR   (ctest passes the source tree's web/)
set -euo pipefail
web=$1
for needed in node_modules/.package-lock.json node_modules/typescript/bin/tsc node_modules/esbuild/package.json; do
  if [[ ! -e $web/$needed ]]; then
    echo "web/$needed is missing: run scripts/test.sh (it runs npm ci in web/)" >&2
    exit 1
  fi
done
cd "$web"
npm test --silent
