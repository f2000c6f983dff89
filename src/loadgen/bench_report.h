#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>

namespace barrage::loadgen {

// What the HTTP publishers' answers said (--publish-via http).
struct HttpPublishReport {
    std::uint64_t publishers = 0;  // keep-alive connections
    std::uint64_t pipeline = 0;    // requests in flight per connection at most
    std::uint64_t answered = 0;    // measured requests answered, any status
    std::uint64_t unanswered = 0;  // measured requests without an answer when the run stopped
    double answered_per_s = 0;     // from the first measured request to the last answer
    double answer_p50_ms = 0;      // request written -> whole answer read
    double answer_p99_ms = 0;
    double answer_max_ms = 0;
    std::map<unsigned, std::uint64_t> error_statuses;  // status (not 2xx) -> answers, warm-up included
};

// The gifts among the messages (--gift-every): sent, accepted, and seen by the subscribers.
struct GiftReport {
    std::uint64_t every = 0;                // one message in `every` was a gift
    std::uint64_t sent = 0;                 // measured gift requests written
    std::uint64_t accepted = 0;             // answered 2xx with an order id
    std::uint64_t answered = 0;             // answered at all
    std::uint64_t deliveries_expected = 0;  // accepted × subscribers measured
    std::uint64_t deliveries_received = 0;  // pushes of accepted gifts, duplicates left out
    std::uint64_t deliveries_duplicated = 0;
    double delivered_percent = 0;
    double latency_p50_ms = 0;  // request written -> push read
    double latency_p99_ms = 0;
    double latency_max_ms = 0;
    double answer_p99_ms = 0;  // request written -> answer read
};

// One class of subscribers (slow readers, or the others) when --read-rate splits them.
struct SubscriberClassReport {
    std::uint64_t subscribers = 0;     // connected (ready) ones
    std::uint64_t received = 0;        // deliveries
    std::uint64_t closed = 0;          // established connections the server (or the network) closed
    std::uint64_t gifts_received = 0;  // pushes of accepted measured gifts (with --gift-every)
    double latency_p50_ms = 0;
    double latency_p99_ms = 0;
    double latency_max_ms = 0;
};

// Everything one run measured. Optional fields are absent when not measured (no --server-pid,
// or an idle run that publishes nothing).
struct BenchReport {
    std::string target;     // barrage, nats, ws
    std::string transport;  // ws, tcp
    int protover = 0;
    bool idle = false;
    double rate_per_s = 0;
    std::size_t size_bytes = 0;
    double duration_s = 0;

    std::uint64_t connections_requested = 0;
    std::uint64_t connections_ready = 0;
    std::uint64_t connections_failed = 0;
    std::uint64_t connections_lost = 0;  // dropped after being established
    double connect_seconds = 0;
    std::map<std::string, std::uint64_t> connect_failures;  // reason -> count
    std::map<std::string, std::uint64_t> lost_reasons;      // reason -> count

    std::uint64_t published = 0;
    double publish_rate_per_s = 0;       // achieved over the measured phase
    std::uint64_t publish_rejected = 0;  // barrage op 1000 with code != 0
    std::string first_rejection;
    std::string publisher_failure;
    std::string publish_via = "op4";        // op4 or http
    std::optional<HttpPublishReport> http;  // --publish-via http
    std::optional<GiftReport> gifts;        // --gift-every

    double read_rate_bytes_per_s = 0;  // slow subscribers' cap; 0 = none
    double slow_fraction = 0;
    std::uint64_t slow_window_bytes = 0;        // their SO_RCVBUF; 0 = the kernel's
    std::optional<SubscriberClassReport> slow;  // with --read-rate
    std::optional<SubscriberClassReport> fast;  // with --read-rate

    std::uint64_t subscribers_measured = 0;  // connected when measuring began
    std::uint64_t deliveries_expected = 0;
    std::uint64_t deliveries_received = 0;
    std::uint64_t deliveries_duplicated = 0;
    double deliveries_per_s = 0;
    double loss_percent = 0;
    double latency_p50_ms = 0;
    double latency_p99_ms = 0;
    double latency_p999_ms = 0;
    double latency_max_ms = 0;

    std::optional<double> server_cpu_seconds;  // over the measured phase and drain (or hold)
    std::optional<double> server_cpu_s_per_million;
    std::optional<std::uint64_t> server_rss_before_bytes;
    std::optional<std::uint64_t> server_rss_connected_bytes;
    std::optional<std::uint64_t> server_rss_end_bytes;
    std::optional<double> server_rss_per_connection_bytes;
    std::optional<double> loadgen_cpu_seconds;  // this process, same window
    std::optional<double> loadgen_cpu_s_per_million;
};

// A human table, one figure per line.
void print_table(std::ostream& out, const BenchReport& report);

// The same figures as one JSON object on one line (no trailing newline).
std::string to_json_line(const BenchReport& report);

}  // namespace barrage::loadgen
