#!/usr/bin/env bash
# One command: install what is missing, check the code's layout (.clang-format), build
# (warnings are errors) and run the whole suite: unit and integration tests, real npm clients,
# the web pages' TypeScript tests (web/), the built pages in headless chromium (tests/browser),
# and bounded fuzz runs of every parser a client reaches (tests/fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.ccache}"

# Real clients from npm, pinned by tests/clients/package-lock.json.
if [[ -f tests/clients/package.json ]] && { [[ ! -d tests/clients/node_modules ]] || [[ tests/clients/package-lock.json -nt tests/clients/node_modules ]]; }; then
  (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)
fi
# The browser tests' driver (playwright-core, pinned by tests/browser/package-lock.json), which
# runs Debian's chromium (scripts/deps.sh test installs it).
if [[ -f tests/browser/package.json ]] && { [[ ! -d tests/browser/node_modules ]] || [[ tests/browser/package-lock.json -nt tests/browser/node_modules ]]; }; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
# The web pages' tools and libraries, pinned by web/package-lock.json (ctest's web_presenter).
if [[ ! -d web/node_modules ]] || [[ web/package-lock.json -nt web/node_modules ]]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
# The pages themselves (web/dist, served by `barrage serve`): the C++ tests serve a fake build of
# their own; ctest's browser_pages serves this build to chromium (tests/browser).
(cd web && npm run build --silent)

status=0
scripts/check_format.sh || { echo "layout differs from .clang-format (see above)"; status=1; }

cmake --preset ci >/dev/null
cmake --build --preset ci
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

ctest --test-dir build/fuzz --output-on-failure || status=1
ctest --preset ci -j2 || status=1
exit $status
