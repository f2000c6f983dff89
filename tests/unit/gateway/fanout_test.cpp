#include "gateway/fanout.h"

#include <algorithm>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "net/io_threads.h"

namespace barrage::gateway {
namespace {

struct Delivery {
    std::size_t loop;
    RoomId room;
    std::uint64_t online;
    std::thread::id thread;
    const room::BatchFrames* frames;
};

// A batch reaches every loop with members, with the one shared frame set: on the home loop
// during send(), on the others by one post each, run on that loop's own thread.
TEST(NodeFanout, DeliversTheSharedFramesOnEveryLoopWithMembers) {
    net::IoThreads loops(3);
    loops.start();
    std::mutex mutex;
    std::vector<Delivery> deliveries;
    std::promise<void> all_delivered;
    NodeFanout fanout(loops, [&](std::size_t loop, RoomId room, const room::BatchFrames& frames, std::uint64_t online) {
        std::lock_guard lock(mutex);
        deliveries.push_back({loop, room, online, std::this_thread::get_id(), &frames});
        if (deliveries.size() == 2) {
            all_delivered.set_value();
        }
    });
    auto frames = std::make_shared<const room::BatchFrames>(std::vector<message::MessagePtr>{}, room::FrameSet{},
                                                            std::vector<std::uint8_t>{}, nullptr, 0);
    std::promise<bool> home_delivered_during_send;
    // Sent from loop 0, the room's home: loop 0 delivers at once, loop 2 later; loop 1 has
    // no members and gets nothing.
    boost::asio::post(loops.context(0), [&] {
        fanout.send(0, Fanout::Batch{RoomId{7}, frames, {0, 2}, 5});
        std::lock_guard lock(mutex);
        home_delivered_during_send.set_value(
            std::any_of(deliveries.begin(), deliveries.end(), [](const Delivery& d) { return d.loop == 0; }));
    });
    EXPECT_TRUE(home_delivered_during_send.get_future().get());
    all_delivered.get_future().wait();
    loops.stop();
    ASSERT_EQ(deliveries.size(), 2U);
    // The home delivers before it posts, so loop 0 comes first.
    EXPECT_EQ(deliveries[0].loop, 0U);
    EXPECT_EQ(deliveries[1].loop, 2U);
    EXPECT_NE(deliveries[0].thread, deliveries[1].thread);
    for (const auto& delivery : deliveries) {
        EXPECT_EQ(delivery.room, RoomId{7});
        EXPECT_EQ(delivery.online, 5U);
        EXPECT_EQ(delivery.frames, frames.get());  // shared, never copied
    }
}

}  // namespace
}  // namespace barrage::gateway
