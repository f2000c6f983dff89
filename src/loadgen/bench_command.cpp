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
    return std::nullopt;
}

// Fills in defaults that depend on other options and clamps what the target cannot carry.
BenchOptions resolved(BenchOptions options) {
    if (options.port == 0) {
        options.port = default_port(options.target, options.transport);
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
}

int run_bench(const BenchOptions& requested) {
    if (const auto reason = invalid_reason(requested)) {
        std::cerr << "bench: " << *reason << '\n';
        return 1;
    }
    const BenchOptions options = resolved(requested);
    const std::uint64_t descriptors = raise_open_file_limit();
    if (descriptors < options.connections + kSpareDescriptors) {
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
