#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "room/room.h"

namespace barrage::room {
namespace {

struct Likes final : RoomExtension {
    explicit Likes(int start) : total(start) {}
    int total;
};
struct Mutes final : RoomExtension {
    int muted = 0;
};

Room make_room(const Clock& clock) {
    RoomConfig config;
    config.id = RoomId{9};
    config.host = UserId{1};
    return Room(config, {}, clock);
}

TEST(RoomExtension, MadeOnceAndKeptWithTheRoom) {
    FakeClock clock(0);
    Room room = make_room(clock);
    int made = 0;
    auto make_likes = [&made] {
        ++made;
        return std::make_unique<Likes>(5);
    };
    room.extension<Likes>(make_likes).total += 1;
    EXPECT_EQ(room.extension<Likes>(make_likes).total, 6);
    EXPECT_EQ(made, 1);
    // Another type has its own slot.
    room.extension<Mutes>([] { return std::make_unique<Mutes>(); }).muted = 3;
    EXPECT_EQ(room.extension<Likes>(make_likes).total, 6);
    EXPECT_EQ(room.extension<Mutes>([] { return std::make_unique<Mutes>(); }).muted, 3);
    // Another room starts afresh.
    Room other = make_room(clock);
    EXPECT_EQ(other.extension<Likes>(make_likes).total, 5);
    EXPECT_EQ(made, 2);
}

#ifdef BARRAGE_OWNER_CHECKS
// A room bound to one thread aborts when another touches it, unless it was handed over.
TEST(RoomOwnerDeathTest, AnotherThreadTouchingTheRoomAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    FakeClock clock(0);
    Room room = make_room(clock);
    room.join(0, EncodingKey{}, UserId{2});  // binds the room to this thread
    EXPECT_DEATH(std::thread([&room] { room.join(0, EncodingKey{}, UserId{3}); }).join(), "assertion failed");
    room.release_owner();
    std::thread([&room] { room.join(0, EncodingKey{}, UserId{3}); }).join();  // the new owner
    EXPECT_EQ(room.online(), 2U);
}
#endif

}  // namespace
}  // namespace barrage::room
