#!/usr/bin/env bash
# Server hooks in the whole server (issue 12 §4; docs/PERFORMANCE.md "A trivial Lua hook in the
# whole server" and "A webhook in the whole server"): the server's CPU per message and the
# delivery latency at 10,000 danmaku/s to 100 TCP subscribers, with no hook, a trivial Lua hook
# or a webhook on loopback answering allow (bench/peers/webhook-allow, Node). A fresh server
# (and a fresh webhook peer) per run; runs interleaved, as the machine may be shared. Prints
# each run's bench JSON line, labelled, with the load average before it, the hook counters
# and the peer's own CPU, on stdout; progress on stderr.
#
# Usage: bench/run_hook_server.sh [--build DIR] [--rounds N] [--modes "none webhook lua"]
#                                 [--duration S] [--perf SECONDS]
#   --build DIR  where barrage was built (default build/ci)
#   --via V      op4 (default): one TCP connection publishes with op 4; http: 8 keep-alive HTTP
#                connections POST /api/v1/rooms/{room}/danmaku, one request in flight each. A
#                connection's sends are handled one after the other, so with a webhook one op 4
#                connection publishes at most one message per webhook round trip.
#   --peer P     cpp (default): bench/peers/webhook-allow/webhook_allow.cpp, built here with c++;
#                node: bench/peers/webhook-allow/server.js (Node 20), some 45-80 us of CPU a
#                request on the 2-core test machine, which the server then competes with
#   --perf S     also `perf record -g` the server for S seconds from the
#                start of the measured part; perf.<label>.data lands in the current directory
set -euo pipefail
out=$PWD
cd "$(dirname "$0")/.."
root=$PWD

build=$root/build/ci
rounds=3
modes="none webhook"
duration=10
perf_s=0
via=op4
peer=cpp
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --modes) modes=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --perf) perf_s=$2; shift 2 ;;
        --via) via=$2; shift 2 ;;
        --peer) peer=$2; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 1 ;;
    esac
done
barrage=$build/src/app/barrage
[[ -x $barrage ]] || { echo "missing $barrage" >&2; exit 1; }

http_port=18080
tcp_port=12243
hook_port=18199
source bench/lib.sh  # $work, server_pid, stop_server, wait_for_port
peer_pid=
stop() {
    stop_server
    if [[ -n $peer_pid ]]; then
        kill "$peer_pid" 2>/dev/null || true
        wait "$peer_pid" 2>/dev/null || true
        peer_pid=
    fi
}
bench_on_exit() { stop; }

if [[ $peer == cpp && $modes == *webhook* ]]; then
    c++ -O2 -std=c++20 -o "$work/webhook-allow" bench/peers/webhook-allow/webhook_allow.cpp
fi
echo 'function on_message(msg) return true end' >"$work/trivial.lua"

# run_once MODE ROUND: one run on a fresh server; its labelled JSON line on stdout.
run_once() {
    local mode=$1 round=$2
    local config=$work/$mode.toml data_dir
    data_dir=$(mktemp -d "$work/data.XXXX")
    cp bench/peers/barrage-bench.toml "$config"
    case $mode in
        lua) printf '\n[hooks]\nlua_script = "%s"\n' "$work/trivial.lua" >>"$config" ;;
        webhook)
            # fallback reject: a call that fails in any way shows as a lost message.
            printf '\n[hooks]\nwebhook_url = "http://127.0.0.1:%s/hook"\nwebhook_secret = "bench"\n' "$hook_port" >>"$config"
            printf 'webhook_deadline_ms = 200\nwebhook_concurrency = 1024\nwebhook_fallback = "reject"\n' >>"$config"
            if [[ $peer == node ]]; then
                node bench/peers/webhook-allow/server.js "$hook_port" >"$work/peer.log" 2>&1 &
            else
                "$work/webhook-allow" "$hook_port" >"$work/peer.log" 2>&1 &
            fi
            peer_pid=$!
            wait_for_port "$hook_port"
            ;;
    esac
    "$barrage" serve --config "$config" --data-dir "$data_dir" --http-port "$http_port" \
        --tcp-port "$tcp_port" >"$work/server.log" 2>&1 &
    server_pid=$!
    wait_for_port "$tcp_port"
    local token admin
    token=$("$barrage" token --data-dir "$data_dir" --uid 9 --name bench --role bot)
    admin=$("$barrage" token --data-dir "$data_dir" --uid 1 --name admin --role admin)
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    local peer_before='{}'
    [[ -n $peer_pid ]] && peer_before=$(curl -s "127.0.0.1:$hook_port/stats")
    local perf_pid=
    if [[ $perf_s != 0 ]]; then
        (sleep 2.5; exec perf record -g -o "$out/perf.$mode.$round.data" -p "$server_pid" -- sleep "$perf_s") \
            >"$work/perf.log" 2>&1 &
        perf_pid=$!
    fi
    local publish=()
    [[ $via == http ]] && publish=(--publish-via http --publishers 8 --http-pipeline 1 --http-port "$http_port")
    echo "== $mode via $via #$round (load $load)" >&2
    local output
    output=$("$barrage" bench --target barrage --transport tcp --port "$tcp_port" --connections 100 \
        --rate 10000 --duration "$duration" --warmup 2 --token "$token" --server-pid "$server_pid" \
        "${publish[@]}" --json 2>>"$work/bench.log") || true
    if [[ -n $perf_pid ]]; then
        wait "$perf_pid" || true
    fi
    local peer_after='{}' lua='{}' rejected
    [[ -n $peer_pid ]] && peer_after=$(curl -s "127.0.0.1:$hook_port/stats")
    [[ $mode == lua ]] && lua=$(curl -s -H "Authorization: Bearer $admin" "127.0.0.1:$http_port/api/v1/admin/hooks/lua")
    rejected=$(curl -s "127.0.0.1:$http_port/metrics" | awk '/^barrage_publish_rejected_total/ {s += $2} END {print s + 0}')
    stop
    echo "$output" | sed '$d' >&2
    local json; json=$(echo "$output" | tail -n 1)
    [[ $json == \{* ]] || { echo "   (no result)" >&2; tail -n 5 "$work/bench.log" >&2; return 0; }
    echo "{\"label\":\"$mode\",\"via\":\"$via\",\"peer\":\"$peer\",\"round\":$round,\"load\":$load,\"rejected_total\":$rejected,\"peer_before\":$peer_before,\"peer_after\":$peer_after,\"lua\":$lua,${json#\{}"
}

echo "hook runs $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(git rev-parse --short HEAD)" >&2
for round in $(seq "$rounds"); do
    for mode in $modes; do
        run_once "$mode" "$round"
    done
done
