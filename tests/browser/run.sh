#!/usr/bin/env bash
# Starts `barrage serve` on free ports with a fresh data directory, serving the built pages
# (web/dist), then opens the pages in Debian's headless chromium (playwright-core) with node's
# test runner. Screenshots go to BARRAGE_SCREENSHOT_DIR (ctest sets it to the build tree).
# Usage: run.sh BARRAGE_BINARY WEB_DIST   (ctest passes the built binary and web/dist)
set -euo pipefail
binary=$1
web_dist=$(cd "$2" 2>/dev/null && pwd) || web_dist=$2
here=$(cd "$(dirname "$0")" && pwd)
if [[ ! -d $here/node_modules ]]; then
  echo "tests/browser/node_modules is missing: run scripts/test.sh (it runs npm ci)" >&2
  exit 1
fi
if [[ ! -f $web_dist/room.html ]]; then
  echo "$web_dist/room.html is missing: run npm run build in web/ (scripts/test.sh does)" >&2
  exit 1
fi
chromium=${BARRAGE_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  echo "$chromium is missing: install Debian's chromium (scripts/deps.sh test)" >&2
  exit 1
fi
data=$(mktemp -d)
log=$data/serve.log
cleanup() {
  [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$data"
}
trap cleanup EXIT

# The XSS test sends several danmaku as one viewer in a few seconds: no per-user rate to trip.
cat > "$data/test.toml" <<TOML
[rooms]
online_push_interval_ms = 1000
[danmaku]
rate_per_s = 100
burst = 100
[web]
dir = "$web_dist"
TOML

"$binary" serve --config "$data/test.toml" --data-dir "$data" --http-port 0 --tcp-port 0 >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "TCP (packet protocol) listening" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
http_port=$(sed -n 's/.*HTTP .* listening on .*:\([0-9]*\)$/\1/p' "$log")
tcp_port=$(sed -n 's/.*TCP .* listening on .*:\([0-9]*\)$/\1/p' "$log")
[[ -n $http_port && -n $tcp_port ]] || { echo "server did not start:"; cat "$log"; exit 1; }

token() { "$binary" token --config "$data/test.toml" --data-dir "$data" "$@"; }
export BARRAGE_HTTP_PORT=$http_port BARRAGE_TCP_PORT=$tcp_port
BARRAGE_HOST_TOKEN=$(token --uid 1 --role host)
BARRAGE_ADMIN_TOKEN=$(token --uid 10 --role admin)
BARRAGE_VIEWER_TOKEN=$(token --uid 3 --name alice --role viewer)
# A viewer whose name is an XSS payload (xss.test.mjs).
BARRAGE_XSS_NAME_TOKEN=$(token --uid 4 --name '<img src=x onerror=window.__xss=3>' --role viewer)
# A viewer the moderation test mutes (moderation.test.mjs), so no other test's sender is muted.
BARRAGE_MUTED_TOKEN=$(token --uid 5 --name bob --role viewer)
# The binary itself, for tests that run a subcommand (dashboard.test.mjs runs `barrage bench`).
BARRAGE_BINARY=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
export BARRAGE_HOST_TOKEN BARRAGE_ADMIN_TOKEN BARRAGE_VIEWER_TOKEN BARRAGE_XSS_NAME_TOKEN BARRAGE_MUTED_TOKEN
export BARRAGE_BINARY
export BARRAGE_SCREENSHOT_DIR=${BARRAGE_SCREENSHOT_DIR:-$data/screenshots}
cd "$here"
status=0
node --test --test-concurrency=1 ./*.test.mjs || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- server log ---"; tail -50 "$log"
fi
exit $status
