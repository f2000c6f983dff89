#include "gateway/batch_scheduler.h"

#include <gtest/gtest.h>

#include <map>

namespace barrage::gateway {
namespace {

// Rooms whose real due times the test sets, as Room::batch_due_at would answer them; "flushed"
// records what run_due let through, in order.
struct Rooms {
    std::map<std::uint64_t, std::optional<Millis>> due;
    std::vector<std::uint64_t> flushed;

    std::optional<Millis> look(RoomId room, Millis now) {
        auto answer = due[room.value];
        if (answer && *answer <= now) {
            flushed.push_back(room.value);
            due[room.value] = std::nullopt;  // the batch went out
        }
        return answer;
    }
};

TEST(BatchScheduler, RoomsComeDueEarliestFirstAndOnlyOnce) {
    BatchScheduler scheduler;
    Rooms rooms;
    rooms.due = {{1, 150}, {2, 120}, {3, 200}};
    EXPECT_TRUE(scheduler.schedule(RoomId{1}, 150));
    EXPECT_TRUE(scheduler.schedule(RoomId{2}, 120)) << "earlier than every entry: arm sooner";
    EXPECT_FALSE(scheduler.schedule(RoomId{3}, 200));
    EXPECT_FALSE(scheduler.schedule(RoomId{1}, 100)) << "a waiting room keeps its one entry";
    EXPECT_EQ(scheduler.next_due(), 120);

    const auto run = [&](Millis now) { scheduler.run_due(now, [&](RoomId r) { return rooms.look(r, now); }); };
    run(119);
    EXPECT_TRUE(rooms.flushed.empty());
    run(160);
    EXPECT_EQ(rooms.flushed, (std::vector<std::uint64_t>{2, 1}));
    EXPECT_EQ(scheduler.next_due(), 200);
    EXPECT_FALSE(scheduler.waiting(RoomId{1}));
    run(200);
    EXPECT_EQ(rooms.flushed, (std::vector<std::uint64_t>{2, 1, 3}));
    EXPECT_FALSE(scheduler.next_due());
}

TEST(BatchScheduler, ARoomNotYetDueWhenItsEntryComesUpIsScheduledAgain) {
    // Its batch went out full before the entry came up and a new one started later.
    BatchScheduler scheduler;
    Rooms rooms;
    ASSERT_TRUE(scheduler.schedule(RoomId{7}, 100));
    rooms.due[7] = 140;
    scheduler.run_due(100, [&](RoomId r) { return rooms.look(r, 100); });
    EXPECT_TRUE(rooms.flushed.empty());
    EXPECT_TRUE(scheduler.waiting(RoomId{7}));
    EXPECT_EQ(scheduler.next_due(), 140);
    scheduler.run_due(140, [&](RoomId r) { return rooms.look(r, 140); });
    EXPECT_EQ(rooms.flushed, (std::vector<std::uint64_t>{7}));
}

TEST(BatchScheduler, ARoomWithNothingPendingIsDropped) {
    BatchScheduler scheduler;
    ASSERT_TRUE(scheduler.schedule(RoomId{4}, 50));
    scheduler.run_due(60, [](RoomId) -> std::optional<Millis> { return std::nullopt; });
    EXPECT_FALSE(scheduler.waiting(RoomId{4}));
    EXPECT_TRUE(scheduler.schedule(RoomId{4}, 70)) << "it may wait again later";
}

}  // namespace
}  // namespace barrage::gateway
