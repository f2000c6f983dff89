#!/usr/bin/env bash
# Starts `barrage serve` on free ports with a fresh data directory, then runs the real npm
# clients (bilibili-live-ws, blive-message-listener) against it with node's test runner.
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

# Online counts are pushed every second here so the clients see them quickly.
cat > "$data/test.toml" <<TOML
[rooms]
online_push_interval_ms = 1000
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

export BARRAGE_HTTP_PORT=$http_port BARRAGE_TCP_PORT=$tcp_port
BARRAGE_HOST_TOKEN=$("$binary" token --config "$data/test.toml" --data-dir "$data" --uid 1 --role host)
export BARRAGE_HOST_TOKEN
cd "$here"
status=0
node --test --test-concurrency=1 live_ws.test.mjs live_tcp.test.mjs message_listener.test.mjs || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- server log ---"; tail -50 "$log"
fi
exit $status
