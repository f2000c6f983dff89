#!/usr/bin/env bash
# A 1,000-subscriber room at 10,000 and 20,000 msg/s with 1 % of the messages being gifts
# (issue 13 §4), next to nats-server carrying the same message rate in the same run. Loopback
# only; a fresh server per run. Prints each run's JSON line on stdout (progress and the human
# tables on stderr).
#
# Barrage runs publish over the HTTP API (8 keep-alive connections, 8 requests in flight each):
# danmaku from a bot, every 100th message a gift (demo gift 1, 10 coins) from a viewer the
# script funds with an admin grant. The load generator matches each gift's push to the order
# its answer named: gifts delivered, their latency, subscribers closed.
#
# Runs, for each rate:
#   barrage-fast   every subscriber reads as fast as the bytes come (barrage bench's readers)
#   barrage-slow10 a tenth read at most 200,000 B/s through a 64 KiB window (weak phones)
#   nats           the same 1,000 subscribers and rate through nats-server over WebSocket
#                  (no gifts: NATS carries bytes; its figures are the fan-out to compare)
#   barrage-budget every subscriber fast, the room with a per-viewer danmaku budget
#                  (rooms.viewer_danmaku_per_s = --viewer-budget): what a huge room is run with
#   barrage-budget-slow10  the same budget, a tenth of the subscribers slow as in slow10
#
# Usage: bench/run_gift_mix.sh [--build DIR] [--duration S] [--rates "10000 20000"]
#                              [--runs "fast slow10 nats budget budget-slow10"] [--viewer-budget N]
#                              [--quick]
#   --build DIR  where barrage was built (default build/release)
#   --runs       which of the runs above, in this order for each rate (default: all of them)
#   --viewer-budget N  danmaku per viewer per second in the budget run (default 100)
#   --quick      100 subscribers at 1,000 msg/s for 2 s: checks the harness, not figures
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build=$root/build/release
duration=10
rates="10000 20000"
subscribers=1000
runs="fast slow10 nats budget budget-slow10"
viewer_budget=100
quick=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --viewer-budget) viewer_budget=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        *) echo "unknown argument: $1" >&2; exit 1 ;;
    esac
done
if [[ $quick -eq 1 ]]; then
    subscribers=100; rates=1000; duration=2
fi

barrage=$build/src/app/barrage
[[ -x $barrage ]] || { echo "missing $barrage: cmake --preset release && cmake --build --preset release --target barrage" >&2; exit 1; }
command -v nats-server >/dev/null || { echo "nats-server missing: scripts/deps.sh bench" >&2; exit 1; }

# Loopback ports for the servers this script starts (apart from the other bench scripts').
http_port=18280
tcp_port=18443
nats_port=8222  # bench/peers/nats.conf

source bench/lib.sh  # $work, server_pid, stop_server, wait_for_port

# Starts a fresh Barrage with CONFIG; sets server_pid, bench_token (a bot) and gift_token (a
# viewer with 100,000,000 coins, far more than a run spends).
start_barrage() {
    local config=$1
    local data_dir; data_dir=$(mktemp -d "$work/barrage.XXXX")
    "$barrage" serve --config "$config" --http-port "$http_port" \
        --tcp-port "$tcp_port" --data-dir "$data_dir" >"$work/barrage.log" 2>&1 &
    server_pid=$!
    wait_for_port "$http_port"
    bench_token=$("$barrage" token --data-dir "$data_dir" --uid 9 --name bench --role bot)
    gift_token=$("$barrage" token --data-dir "$data_dir" --uid 10 --name giver --role viewer)
    local admin; admin=$("$barrage" token --data-dir "$data_dir" --uid 1 --name admin --role admin)
    curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d '{"uid":10,"coins":100000000,"reason":"bench","request_id":"bench-grant"}' \
        "http://127.0.0.1:$http_port/api/v1/admin/grants" >/dev/null
}

start_nats() {
    nats-server -c bench/peers/nats.conf >"$work/nats.log" 2>&1 &
    server_pid=$!
    wait_for_port "$nats_port"
}

# The bench configuration with the room's per-viewer budget on top (it has no [rooms] table).
budget_config=$work/barrage-budget.toml
{ cat bench/peers/barrage-bench.toml; printf '\n[rooms]\nviewer_danmaku_per_s = %s\n' "$viewer_budget"; } >"$budget_config"

# run_once LABEL TARGET BENCH-ARGS...: one run on a fresh server; its JSON line, labelled.
# TARGET: barrage, barrage-budget or nats.
run_once() {
    local label=$1 target=$2
    shift 2
    local args=(--connections "$subscribers" --size 100 --duration "$duration" --json "$@")
    if [[ $target == barrage* ]]; then
        if [[ $target == barrage-budget ]]; then
            start_barrage "$budget_config"
        else
            start_barrage bench/peers/barrage-bench.toml
        fi
        args+=(--target barrage --port "$http_port" --server-pid "$server_pid" --token "$bench_token"
               --publish-via http --publishers 8 --http-pipeline 8 --gift-every 100 --gift-token "$gift_token")
    else
        start_nats
        args+=(--target nats --port "$nats_port" --server-pid "$server_pid")
    fi
    local shown="${args[*]}"
    shown=${shown//$bench_token/<bot>}
    shown=${shown//${gift_token:-none}/<viewer>}
    echo "== $label: $shown" >&2
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

bench_token=none
gift_token=none
echo "gift mix run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for rate in $rates; do
    for run in $runs; do
        case $run in
            fast) run_once "barrage-fast-$rate" barrage --rate "$rate" ;;
            slow10) run_once "barrage-slow10-$rate" barrage --rate "$rate" --read-rate 200000 --slow-fraction 0.1 ;;
            nats) run_once "nats-$rate" nats --rate "$rate" ;;
            budget) run_once "barrage-budget$viewer_budget-$rate" barrage-budget --rate "$rate" ;;
            budget-slow10) run_once "barrage-budget$viewer_budget-slow10-$rate" barrage-budget --rate "$rate" \
                --read-rate 200000 --slow-fraction 0.1 ;;
            *) echo "unknown run: $run" >&2; exit 1 ;;
        esac
    done
done
