// Batches under load (docs/architecture.md): the hub times each batch's delivery on the room's
// home loop, and a delivery that took the loop long holds the room's next batch apart.

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "gateway/fanout.h"
#include "gateway/hub.h"
#include "gateway/metrics.h"
#include "net/io_threads.h"

namespace barrage::gateway {
namespace {

constexpr RoomId kRoom{1};

// Records the fake time of each batch it is sent, and takes `took_ms` of that clock to
// deliver it, as a pass over thousands of sockets takes the loop.
class SlowFanout final : public Fanout {
public:
    SlowFanout(FakeClock& clock, Millis took_ms) : clock_(clock), took_ms_(took_ms) {}

    void send(std::size_t /*home*/, Batch /*batch*/) override {
        std::lock_guard lock(mutex_);
        sent_at_.push_back(clock_.steady_ms());
        clock_.advance_ms(took_ms_);
        sent_.notify_all();
    }

    // The fake time batch `n` (1-based) was sent at, once it has been (-1: not within 10 s).
    Millis sent_at(std::size_t n) {
        std::unique_lock lock(mutex_);
        if (!sent_.wait_for(lock, std::chrono::seconds(10), [&] { return sent_at_.size() >= n; })) {
            return -1;
        }
        return sent_at_[n - 1];
    }

private:
    FakeClock& clock_;
    Millis took_ms_;
    std::mutex mutex_;
    std::condition_variable sent_;
    std::vector<Millis> sent_at_;
};

void publish(Hub& hub, net::IoThreads& loops, std::string text) {
    message::Sender alice;
    alice.uid = UserId{3};
    alice.name = "alice";
    alice.role = message::Role::viewer;
    message::Danmaku danmaku;
    danmaku.text = std::move(text);
    auto published = boost::asio::co_spawn(loops.context(hub.home_of(kRoom)), hub.publish(kRoom, alice, danmaku),
                                           boost::asio::use_future);
    ASSERT_TRUE(published.get());
}

TEST(HubBatching, ABatchWhoseDeliveryTookTheLoopLongHoldsTheNextApart) {
    net::IoThreads loops(1);
    FakeClock clock;
    HubOptions options;
    ASSERT_EQ(options.room.batch_interval_ms, 50);
    ASSERT_EQ(options.room.delivery_share_max, 0.8);
    Hub hub(loops, options, clock);
    auto fanout = std::make_unique<SlowFanout>(clock, 80);
    auto& sends = *fanout;
    hub.set_fanout(std::move(fanout));
    room::RoomConfig room;
    room.id = kRoom;
    room.host = UserId{1};
    hub.add_room(room);
    loops.start();
    hub.start();

    const Millis t0 = clock.steady_ms();
    publish(hub, loops, "one");
    clock.advance_ms(room::kBatchGatherMs);
    EXPECT_EQ(sends.sent_at(1), t0 + room::kBatchGatherMs);  // a quiet room's gather; 80 ms to deliver

    // At t0 + 82 the configured interval (due t0 + 52) has passed, but 80 ms at 0.8 hold the
    // next batch until 100 ms after the first (unstretched it would go after the 2 ms gather,
    // at t0 + 84). The counter is the room's own word that it was stretched.
    publish(hub, loops, "two");
    clock.advance_ms(20);
    EXPECT_EQ(sends.sent_at(2), t0 + room::kBatchGatherMs + 100);
    EXPECT_EQ(hub.counters(0).batches_stretched_total.load(), 1U);

    hub.stop();
    loops.stop();
}

}  // namespace
}  // namespace barrage::gateway
