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

// What the bench runner sees of whoever publishes: the op 4 publisher or the HTTP publishers.
// start() and the progress getters are safe from any thread; read failure() and the reply
// counts after the publishing thread has stopped.
class PublishSource {
public:
    virtual ~PublishSource() = default;

    virtual void start() = 0;
    virtual PublishPhase phase() const = 0;
    // Measured messages handed to the connection(s) so far.
    virtual std::uint64_t published() const = 0;
    // steady_now_ns() at the first and after the last measured message; valid from the
    // measuring and done phases on.
    virtual std::int64_t measure_start_ns() const = 0;
    virtual std::int64_t measure_end_ns() const = 0;
    virtual const std::string& failure() const = 0;
    virtual std::uint64_t rejected() const = 0;
    virtual std::string first_rejection() const = 0;
};

// The one publisher: a connection of its own that sends marked messages at a steady rate,
// first the warm-up ("LW" markers, not counted), then the measured phase ("LG", indices
// 0..N-1).
// Owner thread only (the io_context's), except start() and the progress getters, which are
// safe from any thread; read failure() and the reply counts after the thread has stopped.
class Publisher final : public PublishSource {
public:
    Publisher(net::io_context& io, TransportConfig transport, DialogueConfig dialogue, PublishPlan plan);
    ~Publisher() override;

    void start() override;

    PublishPhase phase() const override { return phase_.load(std::memory_order_acquire); }
    std::uint64_t published() const override { return published_.load(std::memory_order_relaxed); }
    std::int64_t measure_start_ns() const override { return measure_start_ns_.load(); }
    std::int64_t measure_end_ns() const override { return measure_end_ns_.load(); }

    const std::string& failure() const override { return failure_; }
    std::uint64_t accepted() const;
    std::uint64_t rejected() const override;
    std::string first_rejection() const override;

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
