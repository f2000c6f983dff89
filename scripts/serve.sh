#!/usr/bin/env bash
# One command: install what is missing, build in release mode, start the server on its embedded
# default (data in ./data: SQLite, demo room 1, demo users). Extra arguments go to `barrage serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake --preset release -DBARRAGE_BUILD_TESTS=OFF -DBARRAGE_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release --target barrage
exec build/release/src/app/barrage serve --data-dir data "$@"
