#!/usr/bin/env bash
# One command: install what is missing, build the server in release mode and the web pages
# (web/dist: npm ci when needed, then npm run build), and start the server on its embedded default
# (data in ./data: SQLite, demo room 1, demo users; pages at http://localhost:8080/room/1 etc.).
# Extra arguments go to `barrage serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh serve
# The web pages (docs/web.md), pinned by web/package-lock.json; `barrage serve` reads web/dist.
if [[ ! -d web/node_modules ]] || [[ web/package-lock.json -nt web/node_modules ]]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run build --silent)
cmake --preset release -DBARRAGE_BUILD_TESTS=OFF -DBARRAGE_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release --target barrage
exec build/release/src/app/barrage serve --data-dir data "$@"
