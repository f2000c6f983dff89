#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "loadgen/dialogue.h"
#include "loadgen/readiness_poller.h"
#include "loadgen/transport.h"

namespace barrage::loadgen {

class DeliveryRecorder;
class Session;

struct PoolPlan {
    std::size_t count = 0;                      // subscribers on this thread
    std::size_t first_ordinal = 0;              // run-wide number of the first; picks source addresses
    std::size_t ordinal_stride = 1;             // run-wide numbers go first, first + stride, ...
    unsigned sources = 1;                       // source addresses 127.0.0.1 .. 127.0.0.<sources>
    std::size_t in_flight_max = 100;            // connections being established at once on this thread
    unsigned attempts = 3;                      // per subscriber, before it counts as failed
    std::chrono::milliseconds timeout{10'000};  // per attempt
    // Subscribers with a run-wide number below this read slowly, at read_rate_per_s bytes a
    // second at most; the others as fast as the bytes come.
    std::size_t slow_ordinal_end = 0;
    double read_rate_per_s = 0;
    std::size_t slow_receive_buffer_bytes = 0;  // slow readers' SO_RCVBUF; 0 = the kernel's
};

// The subscribers of one client thread: connects them with bounded concurrency and retries,
// keeps them alive (heartbeats spread over 30 s) and counts what became of them.
// Owner thread only (the io_context's), except start() and the counters, which are safe
// from any thread; read failures() after the thread has stopped.
class SubscriberPool {
public:
    // Slow subscribers record into `slow_recorder`, the others into `recorder`.
    SubscriberPool(net::io_context& io, PoolPlan plan, TransportConfig transport, DialogueConfig dialogue,
                   DeliveryRecorder& recorder, DeliveryRecorder& slow_recorder);
    ~SubscriberPool();

    void start();

    std::uint64_t ready() const { return ready_.load(std::memory_order_relaxed); }
    std::uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }
    std::uint64_t lost() const { return lost_.load(std::memory_order_relaxed) + slow_lost(); }
    // Of ready() and lost(), the slow readers.
    std::uint64_t slow_ready() const { return slow_ready_.load(std::memory_order_relaxed); }
    std::uint64_t slow_lost() const { return slow_lost_.load(std::memory_order_relaxed); }
    // Failure reasons of subscribers that never became ready, with counts.
    const std::map<std::string, std::uint64_t>& failures() const { return failures_; }
    // Why established subscribers dropped, with counts.
    const std::map<std::string, std::uint64_t>& lost_reasons() const { return lost_reasons_; }

private:
    net::awaitable<void> connect_worker();
    net::awaitable<void> connect_one(std::size_t ordinal);
    net::awaitable<void> heartbeat_loop();

    net::io_context& io_;
    PoolPlan plan_;
    TransportConfig transport_;
    DialogueConfig dialogue_;
    DeliveryRecorder& recorder_;
    DeliveryRecorder& slow_recorder_;
    ReadinessPoller poller_;  // before sessions_: outlives them
    std::vector<std::shared_ptr<Session>> sessions_;
    std::size_t next_ = 0;  // next subscriber to connect, 0..count-1
    std::map<std::string, std::uint64_t> failures_;
    std::map<std::string, std::uint64_t> lost_reasons_;
    std::atomic<std::uint64_t> ready_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::atomic<std::uint64_t> lost_{0};  // fast subscribers only
    std::atomic<std::uint64_t> slow_ready_{0};
    std::atomic<std::uint64_t> slow_lost_{0};
};

}  // namespace barrage::loadgen
