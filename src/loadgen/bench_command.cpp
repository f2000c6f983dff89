#include "loadgen/bench_command.h"

#include <iostream>
#include <map>
#include <optional>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>

#include "base/limits.h"
#include "loadgen/bench_report.h"
#include "loadgen/bench_runner.h"
#include "loadgen/marker.h"
#include "loadgen/process_probe.h"

namespace barrage::loadgen {
namespace {

// The open-file limit is 20,000 per process here; keep room for the publisher, the
// listening-free rest of the process and stdio.
constexpr std::size_t kConnectionsMax = 19'000;
constexpr std::size_t kSpareDescriptors = 64;
// HTTP publishers: a handful of keep-alive connections is the use; more would be a client
// storm, which is bench/open_api_load.py's job. The pipeline bound keeps the requests written
// ahead of their answers (and their latency) meaningful.
constexpr std::size_t kPublishersMax = 64;
constexpr std::size_t kHttpPipelineMax = 128;

// A reason the publishing and reading options cannot run, or nothing.
std::optional<std::string> invalid_publish_reason(const BenchOptions& options) {
    if (options.publishers == 0 || options.publishers > kPublishersMax) {
        return "--publishers must be 1.." + std::to_string(kPublishersMax);
    }
    if (options.publish_via == PublishVia::op4 && options.publishers != 1) {
        return "--publishers above 1 needs --publish-via http";
    }
    if (options.http_pipeline == 0 || options.http_pipeline > kHttpPipelineMax) {
        return "--http-pipeline must be 1.." + std::to_string(kHttpPipelineMax);
    }
    if (options.publish_via == PublishVia::http && options.target != Target::barrage) {
        return "--publish-via http is for --target barrage only";
    }
    if (options.publish_via == PublishVia::http && !options.idle && options.token.empty()) {
        return "--publish-via http needs --token (the API takes no anonymous danmaku)";
    }
    if (options.gift_every != 0 && options.publish_via != PublishVia::http) {
        return "--gift-every needs --publish-via http (gifts are paid over the API)";
    }
    if (options.gift_every == 1) {
        return "--gift-every must be 0 (no gifts) or at least 2: the danmaku carry the markers";
    }
    if (!(options.read_rate_bytes_per_s >= 0)) {
        return "--read-rate must not be negative";
    }
    if (!(options.slow_fraction >= 0 && options.slow_fraction <= 1)) {
        return "--slow-fraction must be 0..1";
    }
    return std::nullopt;
}

// A reason the options cannot run, or nothing.
std::optional<std::string> invalid_reason(const BenchOptions& options) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(options.host, ec);
    if (ec) {
        return "--host must be an IP address: " + options.host;
    }
    if (options.connections == 0 || options.connections > kConnectionsMax) {
        return "--connections must be 1.." + std::to_string(kConnectionsMax);
    }
    if (!options.idle && !(options.rate_per_s > 0)) {
        return "--rate must be positive";
    }
    if (!(options.duration_s > 0) || options.warmup_s < 0 || options.drain_s < 0) {
        return "--duration must be positive; --warmup and --drain not negative";
    }
    if (options.size_bytes == 0) {
        return "--size must be positive";
    }
    if (options.protover != 0 && options.protover != 2 && options.protover != 3) {
        return "--protover must be 0, 2 or 3";
    }
    if (options.transport == TransportKind::tcp && options.target != Target::barrage) {
        return "--transport tcp is for --target barrage only";
    }
    if (options.sources == 0 || options.sources > 254) {
        return "--sources must be 1..254";
    }
    return invalid_publish_reason(options);
}

// Fills in defaults that depend on other options and clamps what the target cannot carry.
BenchOptions resolved(BenchOptions options) {
    if (options.port == 0) {
        options.port = default_port(options.target, options.transport);
    }
    // The HTTP API shares the WebSocket listener; with the TCP transport --port is not it.
    if (options.http_port == 0) {
        options.http_port = options.transport == TransportKind::websocket
                                ? options.port
                                : default_port(options.target, TransportKind::websocket);
    }
    // Barrage accepts at most kDanmakuCodePointsMax code points of danmaku text.
    if (options.target == Target::barrage && options.size_bytes > limits::kDanmakuCodePointsMax) {
        std::cerr << "note: barrage danmaku are limited to " << limits::kDanmakuCodePointsMax << " code points; --size "
                  << options.size_bytes << " clamped to " << limits::kDanmakuCodePointsMax << '\n';
        options.size_bytes = limits::kDanmakuCodePointsMax;
    }
    if (options.size_bytes < kMarkerBytesMax) {
        std::cerr << "note: messages are at least the marker's length (up to " << kMarkerBytesMax
                  << " bytes), more than --size " << options.size_bytes << '\n';
    }
    return options;
}

}  // namespace

std::uint16_t default_port(Target target, TransportKind transport) {
    switch (target) {
        case Target::barrage: return transport == TransportKind::tcp ? 2243 : 8080;  // `barrage serve` defaults
        case Target::nats: return 8222;  // bench/peers/nats.conf websocket listener
        case Target::ws: return 9002;    // bench/peers/ws-broadcast/server.js
    }
    return 0;
}

namespace {

void add_publish_and_read_options(CLI::App& command, BenchOptions& options) {
    const std::map<std::string, PublishVia> vias{{"op4", PublishVia::op4}, {"http", PublishVia::http}};
    command
        .add_option("--publish-via", options.publish_via,
                    "barrage: publish with op 4 on a WebSocket/TCP connection, or POST "
                    "/api/v1/rooms/{room}/danmaku over keep-alive HTTP/1.1")
        ->transform(CLI::CheckedTransformer(vias, CLI::ignore_case).description("op4|http"));
    command.add_option("--publishers", options.publishers,
                       "Publisher connections sharing --rate evenly (above 1: --publish-via http only)");
    command.add_option("--http-pipeline", options.http_pipeline,
                       "http: requests in flight per connection (1 = wait for each answer)");
    command.add_option("--http-port", options.http_port,
                       "http: the server's HTTP port (default: --port with --transport ws, else 8080)");
    command.add_option("--read-rate", options.read_rate_bytes_per_s,
                       "Slow subscribers read at most this many bytes per second (0 = unlimited)");
    command.add_option("--slow-fraction", options.slow_fraction,
                       "Share of subscribers reading at --read-rate, 0..1 (default 1)");
    command.add_option("--slow-window", options.slow_window_bytes,
                       "Slow readers' receive buffer in bytes (SO_RCVBUF, a weak phone's window); 0 = kernel's");
    command.add_option("--gift-every", options.gift_every,
                       "http: every Nth message is a gift (100 = 1 %); 0 = danmaku only");
    command.add_option("--gift-id", options.gift_id, "http: the catalogue gift to send");
    command.add_option("--gift-token", options.gift_token,
                       "http: token of the user paying for the gifts (default --token; needs coins)");
}

}  // namespace

void add_bench_options(CLI::App& command, BenchOptions& options) {
    const std::map<std::string, Target> targets{
        {"barrage", Target::barrage}, {"nats", Target::nats}, {"ws", Target::ws}};
    const std::map<std::string, TransportKind> transports{{"ws", TransportKind::websocket},
                                                          {"tcp", TransportKind::tcp}};
    command.add_option("--target", options.target, "Server under test: barrage, nats or ws")
        ->transform(CLI::CheckedTransformer(targets, CLI::ignore_case).description("barrage|nats|ws"));
    command.add_option("--transport", options.transport, "barrage only: ws or tcp")
        ->transform(CLI::CheckedTransformer(transports, CLI::ignore_case).description("ws|tcp"));
    command.add_option("--host", options.host, "Server address (IP)");
    command.add_option("--port", options.port, "Server port (default: barrage 8080 ws / 2243 tcp, nats 8222, ws 9002)");
    command.add_option("--path", options.path, "WebSocket path");
    command.add_option("--room", options.room, "barrage room id");
    command.add_option("--connections", options.connections, "Subscriber connections")
        ->check(CLI::Range(std::size_t{1}, kConnectionsMax));
    command.add_option("--rate", options.rate_per_s, "Published messages per second");
    command.add_option("--size", options.size_bytes, "Bytes of text per message");
    command.add_option("--duration", options.duration_s, "Measured seconds (or idle hold)");
    command.add_option("--warmup", options.warmup_s, "Seconds of publishing before measuring");
    command.add_option("--drain", options.drain_s, "Seconds to wait for late deliveries after the last publish");
    command.add_option("--protover", options.protover, "barrage push compression: 0, 2 or 3");
    command.add_option("--token", options.token, "barrage publisher token (role bot)");
    command.add_option("--server-pid", options.server_pid, "Server process, for CPU and RSS");
    command.add_flag("--idle", options.idle, "Connect, hold for --duration and measure memory; no publishing");
    command.add_option("--sources", options.sources, "Spread connections over source addresses 127.0.0.1..127.0.0.K");
    command.add_option("--connect-concurrency", options.connect_in_flight_max, "Connections being established at once");
    command.add_option("--connect-timeout", options.connect_timeout_s,
                       "Seconds per connection attempt (connect, upgrade, auth)");
    command.add_option("--threads", options.threads, "Subscriber I/O threads")->check(CLI::Range(1u, 16u));
    command.add_flag("--json", options.json, "Also print the result as one JSON line");
    add_publish_and_read_options(command, options);
}

int run_bench(const BenchOptions& requested) {
    if (const auto reason = invalid_reason(requested)) {
        std::cerr << "bench: " << *reason << '\n';
        return 1;
    }
    const BenchOptions options = resolved(requested);
    const std::uint64_t descriptors = raise_open_file_limit();
    if (descriptors < options.connections + options.publishers + kSpareDescriptors) {
        std::cerr << "bench: open-file limit " << descriptors << " is too low for " << options.connections
                  << " connections\n";
        return 1;
    }
    BenchReport report = BenchRunner(options).run();
    print_table(std::cout, report);
    if (options.json) {
        std::cout << to_json_line(report) << '\n';
    }
    const bool measured = report.connections_ready > 0 && (options.idle || report.publisher_failure.empty());
    return measured ? 0 : 2;
}

}  // namespace barrage::loadgen
