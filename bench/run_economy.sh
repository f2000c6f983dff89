#!/usr/bin/env bash
# Economy benchmark: how many gifts per second the coin ledger takes, alone and end to end over
# HTTP, at synchronous=FULL and NORMAL, on loopback. Every point runs twice (fresh data
# directory each time); both runs and their median (the mean of two) go to the results file.
#
#   1. the disk's flush rate: write 4 KiB + fsync in a loop for 2 s, in the bench directory;
#   2. ledger alone: bench/ledger_bench.cpp (BM_LedgerGifts at FULL and NORMAL, BM_DiskFsync),
#      two repetitions: gifts/s, mean batch size, submit-to-durable p50/p99;
#   3. HTTP, for FULL then NORMAL: a fresh `barrage serve`, coins granted to $users viewers, then
#        - maximum throughput: wrk -t2 -c64 -d10s, then -c256, with bench/gifts_http/gifts.lua
#          (closed loop: a connection sends its next gift when the last is answered);
#        - latency at 5,000 gifts/s: bench/gifts_http/open_loop.cpp, an open-loop generator
#          (Debian has no wrk2): latency runs from when each gift was due, 10 s, 1 s warm-up;
#      then the server is stopped and the ledger checked (sum zero, balances = journal replay,
#      no negative account, gift orders >= acknowledged gifts; `barrage ledger verify` if the
#      binary has it).
#
# Usage: bench/run_economy.sh [--results FILE] [--build DIR] [--no-build] [--quick] [--profile]
#   --quick    1 run per point, 3 s runs, small ledger bench: checks the harness, not for figures
#   --profile  also record a perf profile of the server under the FULL wrk load (needs perf)
# Needs: wrk (scripts/deps.sh bench), python3, g++; a Release build (made unless --no-build).
# The database files live in $BARRAGE_BENCH_DIR (default build/economy-bench): put it on the
# disk you mean to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

results=$root/bench/gifts_http/results.md
build=$root/build/release
do_build=1
quick=0
profile=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --results) results=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --no-build) do_build=0; shift ;;
        --quick) quick=1; shift ;;
        --profile) profile=1; shift ;;
        *) echo "unknown argument: $1" >&2; exit 1 ;;
    esac
done

if [[ $quick -eq 1 ]]; then
    reps=1; seconds=3; rate_seconds=3
else
    reps=2; seconds=10; rate_seconds=10
fi
users=8                 # viewers uid 3..10; gifts cycle through them
grant=100000000         # coins per viewer (one grant's maximum): 100,000 gifts of 1,000
rate=5000               # gifts/s for the latency point
wrk_threads=2
wrk_connection_list="64 256"   # 64 as in the issue; 256 shows what more requests in flight buy at FULL
wrk_profile_connections=64
ol_connections=64

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
command -v wrk >/dev/null || { echo "wrk missing: scripts/deps.sh bench" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 missing" >&2; exit 1; }

# --- build ---------------------------------------------------------------------------------

if [[ $do_build -eq 1 ]]; then
    cmake --preset release >/dev/null
    cmake --build --preset release --target barrage ledger_bench
fi
barrage=$build/src/app/barrage
ledger_bench=$build/bench/ledger_bench
[[ -x $barrage ]] || { echo "missing $barrage" >&2; exit 1; }
[[ -x $ledger_bench ]] || { echo "missing $ledger_bench" >&2; exit 1; }

bench_dir=${BARRAGE_BENCH_DIR:-$root/build/economy-bench}
mkdir -p "$bench_dir"
work=$(mktemp -d "$bench_dir/run.XXXX")
server_pid=
stop_server() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        for _ in $(seq 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT

g++ -O2 -std=c++20 -Wall -Wextra bench/gifts_http/open_loop.cpp -o "$work/open_loop"

# --- machine -------------------------------------------------------------------------------

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
disk_source=$(findmnt -no SOURCE -T "$bench_dir" 2>/dev/null || echo '?')
disk_fs=$(findmnt -no FSTYPE -T "$bench_dir" 2>/dev/null || echo '?')
disk_name=$(basename "$disk_source")
disk_rotational=$(cat "/sys/block/$disk_name/queue/rotational" 2>/dev/null || echo '?')
commit=$(git rev-parse --short HEAD)
dirty=$(git status --porcelain --untracked-files=no | wc -l)
# With --no-build the binaries may predate HEAD: say when they were built.
built=$(date -u -r "$barrage" +%Y-%m-%dT%H:%MZ)
if [[ $(stat -c %Y "$barrage") -lt $(git log -1 --format=%ct) ]]; then
    built="$built, OLDER than HEAD's commit"
fi

# --- 1. flush rate -------------------------------------------------------------------------

fsyncs=$(python3 - "$work/fsync.tmp" <<'EOF'
import os, sys, time
fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
page = b"x" * 4096
n = 0
start = time.monotonic()
while time.monotonic() - start < 2.0:
    os.write(fd, page)
    os.fsync(fd)
    n += 1
os.close(fd)
os.unlink(sys.argv[1])
print(f"{n / (time.monotonic() - start):.0f}")
EOF
)
echo "disk: $fsyncs write+fsync/s"

# --- 2. ledger alone -----------------------------------------------------------------------

ledger_json=$work/ledger_bench.json
ledger_filter='BM_LedgerGifts|BM_DiskFsync'
[[ $quick -eq 1 ]] && ledger_filter='BM_LedgerGifts/full:./threads:4/in_flight:16384'
ledger_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
BARRAGE_BENCH_DIR=$work "$ledger_bench" --benchmark_filter="$ledger_filter" \
    --benchmark_repetitions="$reps" --benchmark_format=console \
    --benchmark_out="$ledger_json" --benchmark_out_format=json | tee "$work/ledger_bench.txt"

ledger_load_after=$(cut -d' ' -f1-3 /proc/loadavg)
ledger_table=$(python3 - "$ledger_json" <<'EOF'
import json, statistics, sys
runs = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    runs.setdefault(b["run_name"], []).append(b)
print("| benchmark | gifts/s (runs) | median gifts/s | batch mean | p50 ms | p99 ms | CPU µs/gift | writer µs/gift |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name, reps in runs.items():
    short = name.replace("/real_time", "").replace("/iterations:2", "").replace("/min_time:1.000", "")
    if name.startswith("BM_DiskFsync"):
        rates = [r["items_per_second"] for r in reps]
        print(f"| {short} (fsyncs/s) | {' / '.join(f'{x:,.0f}' for x in rates)} | {statistics.median(rates):,.0f} | | | | | |")
        continue
    med = lambda key: statistics.median(r.get(key, 0) for r in reps)
    rates = [r["items_per_second"] for r in reps]
    writer = f"{med('writer_us_per_gift'):.1f}" if "writer_us_per_gift" in reps[0] else ""
    print(f"| {short} | {' / '.join(f'{x:,.0f}' for x in rates)} | {statistics.median(rates):,.0f} | "
          f"{med('batch_mean'):,.0f} | {med('p50_ms'):.1f} | {med('p99_ms'):.1f} | {med('cpu_us_per_gift'):.1f} | {writer} |")
EOF
)

# --- 3. HTTP -------------------------------------------------------------------------------

# Starts a fresh server; sets server_pid, port, data_dir and writes $work/tokens.txt.
start_server() {
    local mode=$1 tag=$2
    data_dir=$work/data-$tag
    mkdir -p "$data_dir"
    local sync_full=true
    [[ $mode == normal ]] && sync_full=false
    printf '[storage]\nsqlite_synchronous_full = %s\n' "$sync_full" >"$work/$tag.toml"
    "$barrage" serve --config "$work/$tag.toml" --data-dir "$data_dir" --http-port 0 --tcp-port 0 \
        >"$work/serve-$tag.log" 2>&1 &
    server_pid=$!
    port=
    for _ in $(seq 300); do
        port=$(sed -n 's/.*HTTP (REST, WebSocket \/sub, \/metrics) listening on .*:\([0-9]*\)$/\1/p' \
            "$work/serve-$tag.log" | head -1)
        [[ -n $port ]] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $port ]] || { echo "server did not start:" >&2; cat "$work/serve-$tag.log" >&2; exit 1; }
    : >"$work/tokens.txt"
    for uid in $(seq 3 $((users + 2))); do
        "$barrage" token --data-dir "$data_dir" --uid "$uid" >>"$work/tokens.txt"
    done
    admin_token=$("$barrage" token --data-dir "$data_dir" --uid 10 --role admin)
    python3 - "$port" "$admin_token" "$users" "$grant" "$tag" <<'EOF'
import json, sys, urllib.request
port, token, users, grant, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
for uid in range(3, users + 3):
    body = json.dumps({"uid": uid, "coins": grant, "reason": "economy bench", "request_id": f"grant-{tag}-{uid}"})
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/admin/grants", data=body.encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    answer = json.load(urllib.request.urlopen(request, timeout=30))
    assert answer["code"] == 0, answer
EOF
}

# Server CPU seconds so far (user + system), from /proc.
server_cpu_s() {
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$server_pid/stat"
}

# Busy and total jiffies of the whole machine, from /proc/stat.
machine_jiffies() {
    awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}
# Percent of all cores busy between two machine_jiffies samples.
busy_percent() {
    python3 -c 'import sys; b0, t0, b1, t1 = map(float, sys.argv[1:]); print(f"{100 * (b1 - b0) / max(1, t1 - t0):.0f}")' $1 $2
}

# Checks the stopped server's database; prints "ok <gift orders>" or the failures.
verify_ledger() {
    local dir=$1 acknowledged=$2
    local verify_note="no ledger verify sub-command"
    if "$barrage" --help | grep -qE '^[[:space:]]*ledger\b'; then
        if "$barrage" ledger verify --data-dir "$dir" >"$work/verify.txt" 2>&1; then
            verify_note="ledger verify ok"
        else
            echo "FAIL: barrage ledger verify: $(cat "$work/verify.txt")"
            return 1
        fi
    fi
    python3 - "$dir/barrage.db" "$acknowledged" "$verify_note" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
acknowledged = int(sys.argv[2])
replay = {}
for kind, owner, amount in db.execute("SELECT credit_kind, credit_owner, SUM(amount) FROM journal GROUP BY 1, 2"):
    replay[(kind, owner)] = replay.get((kind, owner), 0) + amount
for kind, owner, amount in db.execute("SELECT debit_kind, debit_owner, SUM(amount) FROM journal GROUP BY 1, 2"):
    replay[(kind, owner)] = replay.get((kind, owner), 0) - amount
balances = {(k, o): b for k, o, b in db.execute("SELECT kind, owner, balance FROM accounts")}
failures = []
if sum(balances.values()) != 0:
    failures.append(f"balances sum to {sum(balances.values())}")
for account in set(replay) | set(balances):
    if balances.get(account, 0) != replay.get(account, 0):
        failures.append(f"{account}: balance {balances.get(account)} != replay {replay.get(account)}")
    if account[0] != 1 and balances.get(account, 0) < 0:
        failures.append(f"{account} negative")
gifts = db.execute("SELECT COUNT(DISTINCT order_id) FROM journal WHERE code = 3").fetchone()[0]
bad_orders = db.execute(
    "SELECT COUNT(*) FROM (SELECT order_id FROM journal WHERE code IN (3, 4) GROUP BY order_id "
    "HAVING COUNT(*) != 2 OR SUM(amount) != 1000 * MAX(count))").fetchone()[0]
if bad_orders:
    failures.append(f"{bad_orders} gift orders without exactly two legs summing to the price")
if gifts < acknowledged:
    failures.append(f"{gifts} gift orders in the journal, {acknowledged} acknowledged")
print("FAIL: " + "; ".join(failures[:10]) if failures else
      f"ok: {gifts} gift orders >= {acknowledged} acknowledged, sum 0, balances = journal replay; {sys.argv[3]}")
EOF
}

json_field() {  # json_field LINE KEY
    python3 -c 'import json,sys; print(json.loads(sys.argv[1].split(" ",1)[1])[sys.argv[2]])' "$1" "$2"
}

run_wrk() {  # run_wrk TAG RUN_ID CONNECTIONS: prints the GIFTS line
    GIFTS_TOKENS=$work/tokens.txt GIFTS_RUN=$2 wrk -t$wrk_threads -c"$3" -d${seconds}s --latency \
        -s bench/gifts_http/gifts.lua "http://127.0.0.1:$port" | tee "$work/wrk-$1.txt" | grep '^GIFTS '
}

# One JSON object per measured point, turned into tables at the end.
rows=$work/rows.jsonl
: >"$rows"
add_row() {  # add_row LINE KIND MODE REP CONNECTIONS SERVER_CPU_S BUSY_PERCENT LOAD1
    python3 - "$@" >>"$rows" <<'EOF'
import json, sys
line, kind, mode, rep, conns, cpu_s, busy, load1 = sys.argv[1:]
row = json.loads(line.split(" ", 1)[1])
ok = row["requests"] - row["failed"] if kind == "wrk" else row["ok"]
seconds = row["seconds"] if kind == "wrk" else row["answered"] / max(1.0, row["rps"])
row.update(kind=kind, mode=mode, rep=int(rep), conns=int(conns), load1=float(load1), busy=float(busy),
           cpu_us_per_gift=float(cpu_s) * 1e6 / max(1, ok),
           server_cpu_percent=100 * float(cpu_s) / max(1e-9, seconds))
print(json.dumps(row))
EOF
}

verify_rows=()
profile_note=
for mode in full normal; do
    for rep in $(seq "$reps"); do
        tag=$mode-$rep
        start_server "$mode" "$tag"
        acknowledged=0
        for conns in $wrk_connection_list; do
            load1=$(cut -d' ' -f1 /proc/loadavg)
            cpu0=$(server_cpu_s)
            jiffies0=$(machine_jiffies)
            wrk_line=$(run_wrk "$tag-c$conns" "w$rep-c$conns" "$conns")
            cpu1=$(server_cpu_s)
            busy=$(busy_percent "$jiffies0" "$(machine_jiffies)")
            echo "$tag -c$conns: $wrk_line"
            add_row "$wrk_line" wrk "$mode" "$rep" "$conns" "$(python3 -c "print($cpu1 - $cpu0)")" "$busy" "$load1"
            acknowledged=$((acknowledged + $(json_field "$wrk_line" requests) - $(json_field "$wrk_line" failed)))
            sleep 1
        done
        load1=$(cut -d' ' -f1 /proc/loadavg)
        cpu0=$(server_cpu_s)
        jiffies0=$(machine_jiffies)
        ol_line=$("$work/open_loop" --port "$port" --rate "$rate" --seconds "$rate_seconds" \
            --connections "$ol_connections" --tokens "$work/tokens.txt" --run "o$rep" --warmup-s 1 |
            tee "$work/ol-$tag.txt") || true
        cpu1=$(server_cpu_s)
        busy=$(busy_percent "$jiffies0" "$(machine_jiffies)")
        echo "$tag: $ol_line"
        add_row "$ol_line" open_loop "$mode" "$rep" "$ol_connections" "$(python3 -c "print($cpu1 - $cpu0)")" \
            "$busy" "$load1"
        acknowledged=$((acknowledged + $(json_field "$ol_line" ok)))
        stop_server
        verdict=$(verify_ledger "$data_dir" "$acknowledged")
        echo "$tag: $verdict"
        verify_rows+=("$tag: $verdict")
        rm -rf "$data_dir"
    done
done

# A separate FULL run under perf (flat profile: the Release build has no frame pointers), so the
# sampling does not touch the figures above.
if [[ $profile -eq 1 ]] && command -v perf >/dev/null; then
    start_server full profile
    perf record -F 499 -p "$server_pid" -o "$work/perf.data" -- sleep $((seconds - 2)) >/dev/null 2>&1 &
    profile_pid=$!
    profile_line=$(run_wrk profile wp "$wrk_profile_connections")
    wait "$profile_pid" || true
    stop_server
    {
        echo "wrk under perf: $profile_line"
        echo "-- by thread"
        perf report -i "$work/perf.data" --no-children --sort comm --stdio 2>/dev/null | grep '%' | head -12
        echo "-- by library"
        perf report -i "$work/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep '%' | head -12
        echo "-- by symbol (>= 1 %)"
        perf report -i "$work/perf.data" --no-children --sort comm,dso,symbol --percent-limit 1 --stdio \
            2>/dev/null | grep '%' | head -40
    } | sed -E 's/[[:space:]]+(-[[:space:]]+)*$//' >"$work/perf.txt" || true
    profile_note=$(cat "$work/perf.txt")
    rm -rf "$data_dir"
fi

http_table=$(python3 - "$rows" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def med(sel, key):
    return statistics.median(r[key] for r in sel)
def runs(sel, key, fmt):
    return " / ".join(format(r[key], fmt) for r in sel)
print("Maximum throughput (wrk, closed loop: each connection waits for its answer):")
print()
print("| sync | connections | gifts/s (runs) | **median gifts/s** | p50 ms | p99 ms | failed | server CPU µs/gift "
      "| load1 at start | machine busy % |")
print("|---|---:|---|---:|---:|---:|---:|---:|---|---|")
for mode in ("full", "normal"):
    for conns in sorted({r["conns"] for r in rows if r["kind"] == "wrk"}):
        sel = [r for r in rows if r["kind"] == "wrk" and r["mode"] == mode and r["conns"] == conns]
        if sel:
            print(f"| {mode} | {conns} | {runs(sel, 'rps', ',.0f')} | **{med(sel, 'rps'):,.0f}** "
                  f"| {med(sel, 'p50_ms'):.2f} | {med(sel, 'p99_ms'):.2f} | {sum(r['failed'] for r in sel)} "
                  f"| {med(sel, 'cpu_us_per_gift'):.0f} | {runs(sel, 'load1', '.2f')} | {runs(sel, 'busy', '.0f')} |")
print()
print("Latency at a fixed rate (open_loop; latency from each gift's due time):")
print()
print("| sync | target/s | achieved/s | p50 ms (runs) | p99 ms (runs) | **median p50 / p99 ms** | max ms | failed "
      "| lost | server CPU % | load1 at start | machine busy % |")
print("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---|---|")
for mode in ("full", "normal"):
    sel = [r for r in rows if r["kind"] == "open_loop" and r["mode"] == mode]
    if sel:
        print(f"| {mode} | {sel[0]['target_rate']:,.0f} | {med(sel, 'rps'):,.0f} | {runs(sel, 'p50_ms', '.2f')} "
              f"| {runs(sel, 'p99_ms', '.2f')} | **{med(sel, 'p50_ms'):.2f} / {med(sel, 'p99_ms'):.2f}** "
              f"| {max(r['max_ms'] for r in sel):.2f} | {sum(r['failed'] for r in sel)} "
              f"| {sum(r['broken'] for r in sel)} | {med(sel, 'server_cpu_percent'):.0f} "
              f"| {runs(sel, 'load1', '.2f')} | {runs(sel, 'busy', '.0f')} |")
EOF
)

{
    echo
    echo "## Economy run $(date -u +%Y-%m-%dT%H:%MZ), HEAD $commit$([[ $dirty -gt 0 ]] && echo " (+$dirty modified files)"), binaries built $built"
    echo
    echo "- machine: $(nproc) cores, $cpu_model, $(uname -r); load average at start: $load_at_start"
    echo "- disk: $disk_source ($disk_fs, rotational=$disk_rotational) under $bench_dir;" \
        "write 4 KiB + fsync: **$fsyncs /s**"
    echo "- HTTP: $users viewers, gift 3 (1,000 coins) in room 1; wrk -t$wrk_threads -c{${wrk_connection_list// /,}}" \
        "-d${seconds}s (closed loop); latency: open_loop at $rate/s, $ol_connections connections," \
        "${rate_seconds}s, 1 s warm-up excluded, latency from each gift's due time"
    echo
    echo "### Ledger alone (bench/ledger_bench.cpp, $reps repetitions)"
    echo
    echo "Load average before / after: $ledger_load_before / $ledger_load_after."
    echo
    echo "$ledger_table"
    echo
    echo "### HTTP end to end"
    echo
    echo "$http_table"
    echo
    echo "Ledger checks after each run:"
    for row in "${verify_rows[@]}"; do echo "- $row"; done
    if [[ -n $profile_note ]]; then
        echo
        echo "### perf: server under a separate FULL wrk run (flat, 499 Hz)"
        echo
        echo '```'
        echo "$profile_note"
        echo '```'
    fi
} | tee -a "$results"

! grep -q "FAIL" <<<"${verify_rows[*]}"
