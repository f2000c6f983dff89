#include "loadgen/subscriber_pool.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loadgen/session.h"

namespace barrage::loadgen {
namespace {

// Heartbeats go to 1/30 of the subscribers each second, so each gets one every 30 s without
// a burst from all of them at once disturbing the latency figures.
constexpr int kHeartbeatSpreadS = 30;

net::ip::address source_address(std::size_t ordinal, unsigned sources) {
    const auto host = static_cast<std::uint32_t>(ordinal % std::max(1u, sources)) + 1;
    return net::ip::address_v4((127u << 24) | host);
}

}  // namespace

SubscriberPool::SubscriberPool(net::io_context& io, PoolPlan plan, TransportConfig transport, DialogueConfig dialogue,
                               DeliveryRecorder& recorder, DeliveryRecorder& slow_recorder)
    : io_(io),
      plan_(plan),
      transport_(std::move(transport)),
      dialogue_(std::move(dialogue)),
      recorder_(recorder),
      slow_recorder_(slow_recorder),
      poller_(io) {
    sessions_.reserve(plan_.count);
}

SubscriberPool::~SubscriberPool() = default;

void SubscriberPool::start() {
    net::post(io_, [this] {
        const std::size_t workers = std::min(plan_.in_flight_max, plan_.count);
        for (std::size_t i = 0; i < workers; ++i) {
            net::co_spawn(io_, connect_worker(), net::detached);
        }
        net::co_spawn(io_, heartbeat_loop(), net::detached);
    });
}

net::awaitable<void> SubscriberPool::connect_worker() {
    while (next_ < plan_.count) {
        const std::size_t ordinal = plan_.first_ordinal + next_ * plan_.ordinal_stride;
        ++next_;
        co_await connect_one(ordinal);
    }
}

net::awaitable<void> SubscriberPool::connect_one(std::size_t ordinal) {
    const bool slow = ordinal < plan_.slow_ordinal_end;
    const SessionSinks sinks{
        .recorder = slow ? &slow_recorder_ : &recorder_,
        .lost = slow ? &slow_lost_ : &lost_,
        .lost_reasons = &lost_reasons_,
        .poller = &poller_,
        .read_rate_per_s = slow ? plan_.read_rate_per_s : 0,
    };
    TransportConfig transport = transport_;
    if (slow) {
        transport.receive_buffer_bytes = plan_.slow_receive_buffer_bytes;
    }
    std::string failure;
    for (unsigned attempt = 1; attempt <= plan_.attempts; ++attempt) {
        auto session = std::make_shared<Session>(io_.get_executor(), transport, dialogue_, sinks);
        failure = co_await session->establish(source_address(ordinal, plan_.sources), plan_.timeout);
        if (failure.empty()) {
            sessions_.push_back(std::move(session));
            ready_.fetch_add(1, std::memory_order_relaxed);
            if (slow) {
                slow_ready_.fetch_add(1, std::memory_order_relaxed);
            }
            co_return;
        }
        if (attempt < plan_.attempts) {
            // Back off a little: a refused or reset connection usually means a full accept
            // queue.
            net::steady_timer pause(io_, std::chrono::milliseconds(250 * attempt));
            co_await pause.async_wait(net::use_awaitable);
        }
    }
    ++failures_[failure];
    failed_.fetch_add(1, std::memory_order_relaxed);
}

net::awaitable<void> SubscriberPool::heartbeat_loop() {
    net::steady_timer tick(io_);
    for (std::size_t second = 0;; ++second) {
        tick.expires_after(std::chrono::seconds(1));
        co_await tick.async_wait(net::use_awaitable);
        const std::size_t slot = second % kHeartbeatSpreadS;
        for (std::size_t i = slot; i < sessions_.size(); i += kHeartbeatSpreadS) {
            sessions_[i]->send_heartbeat();
        }
    }
}

}  // namespace barrage::loadgen
