#pragma once

// `barrage bench`: a load generator that opens many subscriber connections to a fan-out server
// (Barrage itself, nats-server over WebSocket, or a plain Node `ws` broadcast server), publishes
// marked messages at a fixed rate and reports delivery, loss, latency and the server's CPU and
// memory. Loopback benchmarking only; see bench/run_fanout.sh.

#include <cstddef>
#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace barrage::loadgen {

enum class Target : std::uint8_t { barrage, nats, ws };
enum class TransportKind : std::uint8_t { websocket, tcp };
enum class PublishVia : std::uint8_t { op4, http };

struct BenchOptions {
    Target target = Target::barrage;
    TransportKind transport = TransportKind::websocket;  // barrage only; nats and ws use WebSocket
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: the target's usual port (see default_port)
    std::string path = "/sub";
    std::uint64_t room = 1;
    std::size_t connections = 1000;
    double rate_per_s = 1000;      // published messages per second
    std::size_t size_bytes = 100;  // message text per publish
    double duration_s = 10;        // measured publishing (or, with idle, holding)
    double warmup_s = 1;           // publishing before measuring; not counted
    double drain_s = 3;            // wait after the last publish; later deliveries count as lost
    int protover = 0;              // barrage: 0 plain, 2 zlib, 3 brotli
    std::string token;             // barrage: publisher's bearer token (role bot)
    int server_pid = 0;            // for CPU and RSS; 0 = not measured
    bool idle = false;             // connect, hold, measure memory; no publishing
    unsigned sources = 16;         // source addresses 127.0.0.1..127.0.0.K
    std::size_t connect_in_flight_max = 200;
    double connect_timeout_s = 10;  // per attempt: connect, upgrade, authenticate
    unsigned threads = 2;           // subscriber I/O threads
    bool json = false;              // also print the result as one JSON line
    // barrage: publish with op 4 on one connection, or POST the HTTP API's danmaku endpoint.
    PublishVia publish_via = PublishVia::op4;
    std::size_t publishers = 1;     // publisher connections (more than 1: http only)
    std::size_t http_pipeline = 1;  // http: requests in flight per connection; 1 = wait for each
    std::uint16_t http_port = 0;    // http: 0 = --port with the ws transport, else 8080
    // Subscribers' read cap in bytes per second (0 = as fast as the bytes come), for the
    // share slow_fraction of them (run-wide numbers below fraction x connections).
    double read_rate_bytes_per_s = 0;
    double slow_fraction = 1;
    // Slow readers' receive buffer (SO_RCVBUF), as a weak phone's TCP window: without it the
    // kernel autotunes loopback buffers to megabytes, which hold seconds of backlog at a slow
    // rate before the server sees any. 0 = the kernel's.
    std::size_t slow_window_bytes = 64 * 1024;
    // http: every gift_every-th message is a gift (0 = none), paid by gift_token's user
    // (--token's when empty); its push is found by the order id the answer names.
    std::size_t gift_every = 0;
    std::uint64_t gift_id = 1;
    std::string gift_token;
};

// The port a target usually listens on when --port is not given.
std::uint16_t default_port(Target target, TransportKind transport);

// Declares the options above on `command` (a CLI11 sub-command or app) bound to `options`.
void add_bench_options(CLI::App& command, BenchOptions& options);

// Runs one benchmark and prints the report on stdout (progress on stderr). Returns a process
// exit code: 0 when the run measured something (whatever the figures), 1 on bad options or
// set-up failure, 2 when no subscriber connected or the publisher failed (report printed).
int run_bench(const BenchOptions& options);

}  // namespace barrage::loadgen
