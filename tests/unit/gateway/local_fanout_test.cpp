#include "gateway/local_fanout.h"

#include "base/errc.h"

#include <gtest/gtest.h>

namespace barrage::gateway {
namespace {

constexpr room::EncodingKey kWeb{};
constexpr room::EncodingKey kNative{.dialect = message::Dialect::native, .protover = wire::ProtocolVersion::json};

// A member that records what it got and may unsubscribe itself on delivery, as a connection
// closed for a full queue does.
struct Member final : Subscriber {
    LocalFanout* fanout = nullptr;
    RoomId room;
    room::EncodingKey key;
    bool leave_on_delivery = false;
    std::vector<wire::FramePtr> got;

    void deliver(const wire::FramePtr& frame) override {
        got.push_back(frame);
        if (leave_on_delivery) {
            fanout->unsubscribe(room, key, *this);
        }
    }
    void kick(std::error_code why) override {
        kicked = why;
        fanout->unsubscribe(room, key, *this);
    }
    std::error_code kicked;
};

TEST(LocalFanout, EachMemberGetsTheSharedFrameOfItsKey) {
    LocalFanout fanout;
    Member web_a, web_b, native;
    fanout.subscribe(RoomId{1}, kWeb, web_a, 3);
    fanout.subscribe(RoomId{1}, kWeb, web_b, 3);
    fanout.subscribe(RoomId{1}, kNative, native, 3);
    room::FrameSet frames{};
    frames[kWeb.index()] = wire::make_frame("web");
    frames[kNative.index()] = wire::make_frame("native!");
    const auto delivered = fanout.deliver(RoomId{1}, frames, 5);
    EXPECT_EQ(delivered.frames, 3U);
    EXPECT_EQ(delivered.bytes, 3U + 3U + 7U);
    EXPECT_EQ(web_a.got.at(0).get(), frames[kWeb.index()].get()) << "shared, not copied";
    EXPECT_EQ(web_b.got.at(0).get(), frames[kWeb.index()].get());
    EXPECT_EQ(native.got.at(0).get(), frames[kNative.index()].get());
    EXPECT_EQ(fanout.online(RoomId{1}), 5U);
    EXPECT_EQ(fanout.online(RoomId{2}), 0U);
}

TEST(LocalFanout, AMemberThatLeavesDuringADeliveryDoesNotCostAnotherItsFrame) {
    LocalFanout fanout;
    Member first, leaving, last;
    leaving.fanout = &fanout;
    leaving.room = RoomId{1};
    leaving.key = kWeb;
    leaving.leave_on_delivery = true;
    fanout.subscribe(RoomId{1}, kWeb, first, 0);
    fanout.subscribe(RoomId{1}, kWeb, leaving, 0);
    fanout.subscribe(RoomId{1}, kWeb, last, 0);
    room::FrameSet frames{};
    frames[kWeb.index()] = wire::make_frame("x");
    (void)fanout.deliver(RoomId{1}, frames, 0);
    EXPECT_EQ(first.got.size(), 1U);
    EXPECT_EQ(leaving.got.size(), 1U);
    EXPECT_EQ(last.got.size(), 1U);
    (void)fanout.deliver(RoomId{1}, frames, 0);
    EXPECT_EQ(leaving.got.size(), 1U) << "gone";
    EXPECT_EQ(first.got.size() + last.got.size(), 4U);
}

TEST(LocalFanout, AKickClosesEveryConnectionOfTheUserInTheRoomAndNoOneElse) {
    LocalFanout fanout;
    Member web, native, other_room, other_user;
    for (auto* member : {&web, &native, &other_room, &other_user}) {
        member->fanout = &fanout;
        member->user = UserId{9};
        member->room = RoomId{1};
        member->key = kWeb;
    }
    native.key = kNative;
    other_room.room = RoomId{2};
    other_user.user = UserId{10};
    for (auto* member : {&web, &native, &other_room, &other_user}) {
        fanout.subscribe(member->room, member->key, *member, 0);
    }
    EXPECT_EQ(fanout.kick(RoomId{1}, UserId{9}, make_error_code(Errc::kicked)), 2U);
    EXPECT_EQ(web.kicked, Errc::kicked);
    EXPECT_EQ(native.kicked, Errc::kicked);
    EXPECT_FALSE(other_room.kicked);
    EXPECT_FALSE(other_user.kicked);
    // A platform ban reaches every room.
    EXPECT_EQ(fanout.kick(std::nullopt, UserId{9}, make_error_code(Errc::banned)), 1U);
    EXPECT_EQ(other_room.kicked, Errc::banned);
    EXPECT_FALSE(other_user.kicked);
}

}  // namespace
}  // namespace barrage::gateway
