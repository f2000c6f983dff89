#include "loadgen/publisher.h"

#include <algorithm>
#include <cmath>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loadgen/marker.h"
#include "loadgen/session.h"

namespace barrage::loadgen {
namespace {

// Past this many unsent bytes the publisher stops producing until the socket drains: the
// server (or loopback) is the bottleneck and a growing client queue would only hide it.
// Messages produced later carry their real send time, so the delay shows as latency.
constexpr std::size_t kQueueBytesMax = 1024 * 1024;

// Timer granularity: at high rates each tick sends every message that has come due.
constexpr auto kTickMin = std::chrono::microseconds(500);

// Clients heartbeat every 30 s (PROTOCOL.md 3.4).
constexpr auto kHeartbeatInterval = std::chrono::seconds(30);

}  // namespace

Publisher::Publisher(net::io_context& io, TransportConfig transport, DialogueConfig dialogue, PublishPlan plan)
    : io_(io), transport_(std::move(transport)), dialogue_(std::move(dialogue)), plan_(plan) {}

Publisher::~Publisher() = default;

std::uint64_t Publisher::accepted() const {
    return session_ ? session_->publish_accepted() : 0;
}
std::uint64_t Publisher::rejected() const {
    return session_ ? session_->publish_rejected() : 0;
}
std::string Publisher::first_rejection() const {
    return session_ ? session_->first_rejection() : std::string{};
}

void Publisher::start() {
    net::post(io_, [this] { net::co_spawn(io_, run(), net::detached); });
}

net::awaitable<void> Publisher::run() {
    session_ = std::make_shared<Session>(io_.get_executor(), transport_, dialogue_, SessionSinks{});
    failure_ = co_await session_->establish(net::ip::address_v4::loopback(), plan_.connect_timeout);
    if (!failure_.empty()) {
        phase_.store(PublishPhase::failed, std::memory_order_release);
        co_return;
    }
    net::co_spawn(io_, keep_alive(), net::detached);
    phase_.store(PublishPhase::warming_up, std::memory_order_release);
    co_await publish_at_rate(kWarmupPrefix, plan_.warmup_s, nullptr);

    measure_start_ns_.store(steady_now_ns());
    phase_.store(PublishPhase::measuring, std::memory_order_release);
    co_await publish_at_rate(kMeasuredPrefix, plan_.duration_s, &published_);
    measure_end_ns_.store(steady_now_ns());
    if (session_->closed()) {
        failure_ = "publisher connection closed";
    }
    phase_.store(PublishPhase::done, std::memory_order_release);
}

// The publisher is a client like any other: Barrage drops it without heartbeats.
net::awaitable<void> Publisher::keep_alive() {
    net::steady_timer tick(io_);
    while (!session_->closed()) {
        tick.expires_after(kHeartbeatInterval);
        co_await tick.async_wait(net::use_awaitable);
        session_->send_heartbeat();
    }
}

// Sends rate * seconds messages evenly: message i is due at start + i / rate. Returns how
// many were sent (fewer only if the connection closed).
net::awaitable<std::uint64_t> Publisher::publish_at_rate(std::string_view prefix, double seconds,
                                                         std::atomic<std::uint64_t>* progress) {
    const auto total = static_cast<std::uint64_t>(std::llround(plan_.rate_per_s * seconds));
    const double interval_ns = 1e9 / plan_.rate_per_s;
    const std::int64_t start_ns = steady_now_ns();
    net::steady_timer tick(io_);
    std::uint64_t sent = 0;
    while (sent < total && !session_->closed()) {
        const auto elapsed_ns = static_cast<double>(steady_now_ns() - start_ns);
        const auto due = std::min(total, static_cast<std::uint64_t>(elapsed_ns / interval_ns) + 1);
        if (due > sent && session_->queued_bytes() < kQueueBytesMax) {
            publish_batch(prefix, sent, due - sent);
            sent = due;
            if (progress != nullptr) {
                progress->store(sent, std::memory_order_relaxed);
            }
        }
        const auto next_due_ns = start_ns + static_cast<std::int64_t>(static_cast<double>(sent) * interval_ns);
        const auto wait =
            std::max<std::chrono::nanoseconds>(std::chrono::nanoseconds(next_due_ns - steady_now_ns()), kTickMin);
        tick.expires_after(wait);
        co_await tick.async_wait(net::use_awaitable);
    }
    co_return sent;
}

// Each publish is its own message; the session writes all of a tick's messages at once.
void Publisher::publish_batch(std::string_view prefix, std::uint64_t first, std::uint64_t count) {
    Dialogue& dialogue = session_->dialogue();
    for (std::uint64_t index = first; index < first + count; ++index) {
        compose_marker_text(text_, prefix, index, steady_now_ns(), plan_.size_bytes);
        payload_.clear();
        dialogue.append_publish(payload_, text_);
        session_->send(payload_);
    }
}

}  // namespace barrage::loadgen
