#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "loadgen/dialogue.h"
#include "loadgen/transport.h"

namespace barrage::loadgen {

class Session;

struct PublishPlan {
    double rate_per_s = 1000;
    double warmup_s = 0;
    double duration_s = 10;
    std::size_t size_bytes = 100;
    std::chrono::milliseconds connect_timeout{10'000};
};

enum class PublishPhase : int { connecting, warming_up, measuring, done, failed };

// The one publisher: a connection of its own that sends marked messages at a steady rate,
// first the warm-up ("LW" markers, not counted), then the measured phase ("LG", indices
// 0..N-1).
// Owner thread only (the io_context's), except start() and the progress getters, which are
// safe from any thread; read failure() and the reply counts after the thread has stopped.
class Publisher {
public:
    Publisher(net::io_context& io, TransportConfig transport, DialogueConfig dialogue, PublishPlan plan);
    ~Publisher();

    void start();

    PublishPhase phase() const { return phase_.load(std::memory_order_acquire); }
    // Measured messages handed to the connection so far.
    std::uint64_t published() const { return published_.load(std::memory_order_relaxed); }
    // steady_now_ns() at the first and after the last measured message; valid from the
    // measuring and done phases on.
    std::int64_t measure_start_ns() const { return measure_start_ns_.load(); }
    std::int64_t measure_end_ns() const { return measure_end_ns_.load(); }

    const std::string& failure() const { return failure_; }
    std::uint64_t accepted() const;
    std::uint64_t rejected() const;
    std::string first_rejection() const;

private:
    net::awaitable<void> run();
    net::awaitable<void> keep_alive();
    net::awaitable<std::uint64_t> publish_at_rate(std::string_view prefix, double seconds,
                                                  std::atomic<std::uint64_t>* progress);
    void publish_batch(std::string_view prefix, std::uint64_t first, std::uint64_t count);

    net::io_context& io_;
    TransportConfig transport_;
    DialogueConfig dialogue_;
    PublishPlan plan_;
    std::shared_ptr<Session> session_;
    std::string text_;     // marker text scratch, reused
    std::string payload_;  // one publish in the target's protocol, reused
    std::string failure_;
    std::atomic<PublishPhase> phase_{PublishPhase::connecting};
    std::atomic<std::uint64_t> published_{0};
    std::atomic<std::int64_t> measure_start_ns_{0};
    std::atomic<std::int64_t> measure_end_ns_{0};
};

}  // namespace barrage::loadgen
