#!/usr/bin/env bash
# Starts `barrage serve` on free ports with a fresh data directory, then runs the real npm
# clients (bilibili-live-ws, blive-message-listener, and bilibili-live-ws as an open-platform game)
# against it with node's test runner.
# Usage: run.sh BARRAGE_BINARY   (ctest passes the built binary)
set -euo pipefail
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
if [[ ! -d $here/node_modules ]]; then
  echo "tests/clients/node_modules is missing: run scripts/test.sh (it runs npm ci)" >&2
  exit 1
fi
data=$(mktemp -d)
log=$data/serve.log
cleanup() {
  [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$data"
}
trap cleanup EXIT

# Online counts are pushed every second here so the clients see them quickly; likes are said
# once per 300 ms window (like_storm.test.mjs counts on it).
cat > "$data/test.toml" <<TOML
[rooms]
online_push_interval_ms = 1000
[likes]
window_ms = 300
TOML
# An approved app and room 1's identity code, made with the operator CLI before the server opens
# the database.
app_json=$("$binary" open app create --data-dir "$data" --developer-uid 1 --name "npm test game" --approve)
code_json=$("$binary" open code --data-dir "$data" --uid 1)
json_field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "$1" "$2"; }
BARRAGE_OPEN_APP_ID=$(json_field "$app_json" app_id)
BARRAGE_OPEN_KEY_ID=$(json_field "$app_json" access_key_id)
BARRAGE_OPEN_SECRET=$(json_field "$app_json" access_key_secret)
BARRAGE_OPEN_CODE=$(json_field "$code_json" code)
export BARRAGE_OPEN_APP_ID BARRAGE_OPEN_KEY_ID BARRAGE_OPEN_SECRET BARRAGE_OPEN_CODE

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

export BARRAGE_HTTP_PORT=$http_port BARRAGE_TCP_PORT=$tcp_port
BARRAGE_HOST_TOKEN=$("$binary" token --config "$data/test.toml" --data-dir "$data" --uid 1 --role host)
export BARRAGE_HOST_TOKEN
BARRAGE_ADMIN_TOKEN=$("$binary" token --config "$data/test.toml" --data-dir "$data" --uid 10 --role admin)
BARRAGE_VIEWER_TOKEN=$("$binary" token --config "$data/test.toml" --data-dir "$data" --uid 3 --name alice --role viewer)
export BARRAGE_ADMIN_TOKEN BARRAGE_VIEWER_TOKEN
# A hundred viewers for the like storm.
BARRAGE_LIKE_TOKENS=$data/like_tokens.txt
for uid in $(seq 2001 2100); do
  "$binary" token --config "$data/test.toml" --data-dir "$data" --uid "$uid" --name "tapper$uid" --role viewer
done >"$BARRAGE_LIKE_TOKENS"
export BARRAGE_LIKE_TOKENS
cd "$here"
status=0
node --test --test-concurrency=1 live_ws.test.mjs live_tcp.test.mjs message_listener.test.mjs like_storm.test.mjs \
  open_platform.test.mjs moderation.test.mjs || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- server log ---"; tail -50 "$log"
fi
exit $status
