# Sourced by the bench/run_*.sh scripts: the lines every one of them needs to start loopback
# servers, wait for them and clean up after them. Not a script of its own.
#
# After `source bench/lib.sh`: the descriptor limit is raised (every connection is one, in the
# load generator and in the server alike), $work is a fresh directory removed on exit, and the
# server whose pid is in $server_pid is stopped on exit. A script with more to stop on exit
# defines bench_on_exit; it runs first.

ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d)
server_pid=

# Stops the server in $server_pid, if any, and waits for it.
stop_server() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
}

bench_cleanup() {
    if declare -F bench_on_exit >/dev/null; then
        bench_on_exit
    fi
    stop_server
    rm -rf "$work"
}
trap bench_cleanup EXIT

# wait_for_port PORT: until something accepts on 127.0.0.1:PORT (10 s at most).
wait_for_port() {
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "nothing listens on port $1" >&2
    return 1
}
