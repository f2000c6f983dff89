#!/usr/bin/env bash
# Send latency over the HTTP API (issue 13 §3): how long a POST /api/v1/rooms/{room}/danmaku
# takes to be answered while the room fans out to 1,000 WebSocket subscribers, with and without
# slow readers among them. Loopback only; a fresh server (bench/peers/barrage-bench.toml) per
# run. Prints each run's JSON line on stdout (progress and the human tables on stderr).
#
# Runs:
#   http-8x8       1,000 subscribers; 8 HTTP publishers, 8 requests in flight each; 4,000 msg/s
#   http-8x8-slow  the same with every subscriber reading at most 20,000 B/s
#   http-8x8-slow10  the same with a tenth of the subscribers reading at most 20,000 B/s: do
#                  slow neighbours hold back the others (slow and fast are reported apart)?
#   http-1x1       1,000 subscribers; 1 HTTP publisher waiting for each answer; 4,000 msg/s
#                  (one keep-alive connection, so the answer time caps the rate it reaches)
#
# Usage: bench/run_send_latency.sh [--build DIR] [--duration S] [--quick]
#   --build DIR  where barrage was built (default build/release)
#   --quick      100 subscribers, 400 msg/s, 2 s: checks the harness, not figures
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build=$root/build/release
duration=10
quick=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        *) echo "unknown argument: $1" >&2; exit 1 ;;
    esac
done

barrage=$build/src/app/barrage
[[ -x $barrage ]] || { echo "missing $barrage: cmake --preset release && cmake --build --preset release --target barrage" >&2; exit 1; }

# Loopback ports for the server this script starts (apart from run_fanout.sh's).
http_port=18180
tcp_port=18343
subscribers=1000
rate=4000
read_rate=20000
if [[ $quick -eq 1 ]]; then
    subscribers=100; rate=400; duration=2
fi

source bench/lib.sh  # $work, server_pid, stop_server, wait_for_port

# Starts a fresh server; sets server_pid and bench_token (a bot: the per-user rate skips it).
start_server() {
    local data_dir; data_dir=$(mktemp -d "$work/barrage.XXXX")
    "$barrage" serve --config bench/peers/barrage-bench.toml --http-port "$http_port" \
        --tcp-port "$tcp_port" --data-dir "$data_dir" >"$work/barrage.log" 2>&1 &
    server_pid=$!
    wait_for_port "$http_port"
    bench_token=$("$barrage" token --data-dir "$data_dir" --uid 9 --name bench --role bot)
}

# run_once LABEL BENCH-ARGS...: one run on a fresh server; its JSON line, labelled, on stdout.
run_once() {
    local label=$1
    shift
    start_server
    local args=(--target barrage --port "$http_port" --server-pid "$server_pid" --token "$bench_token"
                --connections "$subscribers" --rate "$rate" --size 100 --duration "$duration" --json "$@")
    echo "== $label: ${args[*]//$bench_token/<token>}" >&2
    local output
    output=$("$barrage" bench "${args[@]}" 2>>"$work/bench.log") || true
    stop_server
    echo "$output" | sed '$d' >&2
    local json; json=$(echo "$output" | tail -n 1)
    if [[ $json != \{* ]]; then
        echo "   (no result; bench log:)" >&2
        tail -n 5 "$work/bench.log" >&2
        return 0
    fi
    echo "{\"label\":\"$label\",${json#\{}"
}

# Other work on the machine skews every figure; say how busy it was.
echo "send latency run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run_once http-8x8 --publish-via http --publishers 8 --http-pipeline 8
run_once http-8x8-slow --publish-via http --publishers 8 --http-pipeline 8 --read-rate "$read_rate"
run_once http-8x8-slow10 --publish-via http --publishers 8 --http-pipeline 8 --read-rate "$read_rate" \
    --slow-fraction 0.1
run_once http-1x1 --publish-via http --publishers 1 --http-pipeline 1
