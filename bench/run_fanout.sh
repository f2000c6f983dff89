#!/usr/bin/env bash
# Whole-server fan-out benchmark: Barrage against nats-server (over WebSocket), a plain Node
# `ws` broadcast server and, on request, a one-thread raw-epoll broadcast server
# (bench/epoll_broadcast.cpp: the floor a broadcast server reaches on this kernel), on loopback,
# in one session. Every run starts a fresh server, so the memory figures of one run do not carry
# into the next. Each point runs twice; the medians are appended as Markdown tables to the
# results file.
#
# Points (from the issue):
#   i    1,000 subscribers, 1,000 msg/s, 100 B, 10 s
#   ii   10,000 subscribers, 100 msg/s, 100 B, 10 s
#   iii  saturation at 1,000 subscribers: 1k, 2k, 3k, 4k, 5k, 6k, 8k, 10k, 12k, 15k, 20k msg/s for 5 s
#        each, stopping at the first step whose median loss is 0.1 % or more; the figure is the
#        highest median delivered msg/s among the steps before it
#   iv   barrage only: server RSS per idle connection at 10,000 and 19,000 connections
#
# Usage: bench/run_fanout.sh [--results FILE] [--targets "barrage nats ws"] [--points "i ii iii iv"]
#                            [--build DIR] [--quick]
#   --targets  any of barrage nats ws epoll (default "barrage nats ws"); epoll is driven like ws
#   --quick   tiny counts and 2 s runs, to check the harness itself (not for figures)
# Needs: a Release build (cmake --preset release && cmake --build --preset release; the epoll
# target needs its bench/epoll_broadcast, built with the rest unless BARRAGE_BUILD_BENCH is off),
# nats-server and node (scripts/deps.sh bench installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

results=$root/bench/results/fanout.md
targets="barrage nats ws"
points="i ii iii iv"
build=$root/build/release
quick=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --results) results=$2; shift 2 ;;
        --targets) targets=$2; shift 2 ;;
        --points) points=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        *) echo "unknown argument: $1" >&2; exit 1 ;;
    esac
done

barrage=$build/src/app/barrage
loadgen=$build/src/loadgen/barrage-loadgen
epoll_broadcast=$build/bench/epoll_broadcast
# Loopback ports for the servers this script starts.
barrage_http_port=18080
barrage_tcp_port=18243
nats_port=8222   # bench/peers/nats.conf
ws_port=19002
epoll_port=19003
protover=${BARRAGE_PROTOVER:-0}

if [[ $quick -eq 1 ]]; then
    scale=20; duration=2; saturation_rates="1000 5000"; idle_counts="500 950"
else
    scale=1; duration=10; saturation_rates="1000 2000 3000 4000 5000 6000 8000 10000 12000 15000 20000"
    idle_counts="10000 19000"
fi
saturation_duration=$(( duration / 2 ))

# --- prerequisites -----------------------------------------------------------------------

[[ -x $loadgen ]] || { echo "missing $loadgen: build the release preset first" >&2; exit 1; }
if [[ " $targets " == *" barrage "* && ! -x $barrage ]]; then
    echo "missing $barrage: build the release preset first" >&2; exit 1
fi
if [[ " $targets " == *" epoll "* && ! -x $epoll_broadcast ]]; then
    echo "missing $epoll_broadcast: build the release preset's epoll_broadcast target" >&2; exit 1
fi
command -v nats-server >/dev/null || [[ " $targets " != *" nats "* ]] ||
    { echo "nats-server missing: scripts/deps.sh bench" >&2; exit 1; }
command -v node >/dev/null || { echo "node missing: scripts/deps.sh bench" >&2; exit 1; }
if [[ " $targets " == *" ws "* && ! -d bench/peers/ws-broadcast/node_modules ]]; then
    (cd bench/peers/ws-broadcast && npm ci --no-audit --no-fund --loglevel=error)
fi

source bench/lib.sh  # $work, server_pid, stop_server, wait_for_port
runs_file=$work/runs.jsonl

# --- servers -----------------------------------------------------------------------------


# Starts a fresh server for `target`; sets server_pid, server_port and bench_token.
start_server() {
    local target=$1
    bench_token=
    case $target in
        barrage)
            local data_dir; data_dir=$(mktemp -d "$work/barrage.XXXX")
            "$barrage" serve --config bench/peers/barrage-bench.toml --http-port "$barrage_http_port" \
                --tcp-port "$barrage_tcp_port" --data-dir "$data_dir" >"$work/barrage.log" 2>&1 &
            server_pid=$!
            server_port=$barrage_http_port
            wait_for_port "$server_port"
            bench_token=$("$barrage" token --data-dir "$data_dir" --uid 9 --name bench --role bot)
            ;;
        nats)
            nats-server -c bench/peers/nats.conf >"$work/nats.log" 2>&1 &
            server_pid=$!
            server_port=$nats_port
            wait_for_port "$server_port"
            ;;
        ws)
            node bench/peers/ws-broadcast/server.js "$ws_port" >"$work/ws.log" 2>&1 &
            server_pid=$!
            server_port=$ws_port
            wait_for_port "$server_port"
            ;;
        epoll)
            "$epoll_broadcast" "$epoll_port" >"$work/epoll.log" 2>&1 &
            server_pid=$!
            server_port=$epoll_port
            wait_for_port "$server_port"
            ;;
        *) echo "unknown target: $target" >&2; exit 1 ;;
    esac
}


# --- runs --------------------------------------------------------------------------------

# run_once POINT LABEL TARGET LOADGEN-ARGS...: one run on a fresh server, JSON line appended.
run_once() {
    local point=$1 label=$2 target=$3
    shift 3
    start_server "$target"
    # The epoll peer speaks what the Node ws peer speaks.
    local loadgen_target=$target
    if [[ $target == epoll ]]; then
        loadgen_target=ws
    fi
    local args=(--target "$loadgen_target" --port "$server_port" --server-pid "$server_pid" --json "$@")
    if [[ $target == barrage ]]; then
        args+=(--protover "$protover" --token "$bench_token")
    fi
    echo "== $label: ${args[*]//$bench_token/<token>}" >&2
    local output
    output=$("$loadgen" "${args[@]}" 2>>"$work/loadgen.log") || true
    stop_server
    echo "$output" | sed '$d' >&2
    local json; json=$(echo "$output" | tail -n 1)
    if [[ $json != \{* ]]; then
        echo "   (no result)" >&2
        return 0
    fi
    echo "{\"point\":\"$point\",\"label\":\"$label\",\"peer\":\"$target\",${json#\{}" >>"$runs_file"
}

# run_twice POINT LABEL TARGET LOADGEN-ARGS...
run_twice() {
    run_once "$@"
    run_once "$@"
}

point_i() {
    for target in $targets; do
        run_twice i "i-$target" "$target" --connections $(( 1000 / scale )) --rate 1000 \
            --size 100 --duration "$duration"
    done
}

point_ii() {
    for target in $targets; do
        run_twice ii "ii-$target" "$target" --connections $(( 10000 / scale )) --rate 100 \
            --size 100 --duration "$duration"
    done
}

# Steps the rate up until the median loss reaches 0.1 %; prints, per target, the highest
# median delivered msg/s among the steps before that (a server that falls behind but drains
# within the 3 s window still counts what it delivered, not what was offered).
point_iii() {
    for target in $targets; do
        local best="none (already at $(echo $saturation_rates | cut -d' ' -f1) msg/s)"
        local best_delivered=0
        for rate in $saturation_rates; do
            local label="iii-$target-$rate"
            run_twice iii "$label" "$target" --connections $(( 1000 / scale )) --rate "$rate" \
                --size 100 --duration "$saturation_duration"
            local loss; loss=$(node bench/fanout_summary.js loss "$runs_file" "$label")
            if ! node -e "process.exit(Number(process.argv[1]) < 0.1 ? 0 : 1)" "$loss"; then
                break
            fi
            local delivered; delivered=$(node bench/fanout_summary.js delivered "$runs_file" "$label")
            if (( delivered > best_delivered )); then
                best_delivered=$delivered
                best="$delivered deliveries/s (offered $rate msg/s)"
            fi
        done
        saturation_best+=("$target: $best to $(( 1000 / scale )) subscribers")
    done
}

point_iv() {
    [[ " $targets " == *" barrage "* ]] || return 0
    for count in $idle_counts; do
        run_twice iv "iv-barrage-$count" barrage --idle --connections "$count" \
            --duration "$duration"
    done
}

# Other work on the machine skews every figure; the results say how busy it was.
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
saturation_best=()
for point in $points; do
    "point_$point"
done

# --- results -----------------------------------------------------------------------------

mkdir -p "$(dirname "$results")"
{
    echo
    echo "## Fan-out run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(uname -r)), load average at start: $load_at_start"
    echo
    echo "Loopback only; load generator and server share the machine. Medians of 2 runs per row;"
    echo "barrage pushes with protover $protover over WebSocket; nats over its WebSocket listener;"
    if [[ " $targets " == *" epoll "* ]]; then
        echo "epoll: bench/epoll_broadcast (one thread, raw epoll), driven as the ws target."
    fi
    echo "delivered/s: pushes received by all subscribers per second; loss: expected deliveries"
    echo "(published x subscribers) missing 3 s after the last publish; latency: publish to receipt"
    echo "on one steady clock; server CPU: user+system during the measured phase and drain;"
    echo "RSS / conn: server RSS growth over connections (idle rows: after holding them);"
    echo "loadgen CPU: the load generator's own CPU, which competes with the server's for the cores."
    [[ $quick -eq 1 ]] && echo "**--quick run: harness check only, not figures.**"
    echo
    node bench/fanout_summary.js table "$runs_file"
    if [[ ${#saturation_best[@]} -gt 0 ]]; then
        echo
        echo "Highest delivered msg/s with median loss under 0.1 % (point iii):"
        for line in "${saturation_best[@]}"; do
            echo "- $line"
        done
    fi
} | tee -a "$results"
echo "appended to $results" >&2
