#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace barrage::gateway {

// Counters of one loop. Written only by the owner loop (relaxed, no contention); read by any
// thread for /metrics, which sums the loops.
struct LoopCounters {
    std::atomic<std::uint64_t> connections_open{0};
    std::atomic<std::uint64_t> connections_total{0};
    std::atomic<std::uint64_t> auth_failures_total{0};
    std::atomic<std::uint64_t> messages_published_total{0};
    std::atomic<std::uint64_t> publish_rejected_total{0};
    std::atomic<std::uint64_t> batches_encoded_total{0};
    std::atomic<std::uint64_t> frames_delivered_total{0};
    std::atomic<std::uint64_t> bytes_delivered_total{0};
    std::atomic<std::uint64_t> outbound_overflow_total{0};
    std::atomic<std::uint64_t> writes_waited_total{0};  // the socket was full: a write waited
    std::atomic<std::uint64_t> protocol_errors_total{0};
    std::atomic<std::uint64_t> heartbeats_total{0};

    static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
        counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    static void sub(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
        counter.store(counter.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
    }
};

// Prometheus text exposition of the summed counters plus `extra` lines (already formatted).
std::string render_metrics(const std::vector<const LoopCounters*>& loops, std::uint64_t rooms);

}  // namespace barrage::gateway
