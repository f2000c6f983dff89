#include "gateway/local_fanout.h"

#include "base/errc.h"

#include <map>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "room/shed_levels.h"
#include "wire/codec.h"

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
    std::size_t queued_bytes() const override { return queued; }
    void kick(std::error_code why) override {
        kicked = why;
        fanout->unsubscribe(room, key, *this);
    }
    std::error_code kicked;
    std::size_t queued = 0;
};

// A batch of ready frames and no messages: what every member at level 0 takes as is.
room::BatchFrames batch_of(const room::FrameSet& frames) {
    return room::BatchFrames({}, frames, {}, nullptr, 0);
}

const ShedOptions kShed{};

TEST(LocalFanout, EachMemberGetsTheSharedFrameOfItsKey) {
    LocalFanout fanout;
    Member web_a, web_b, native;
    fanout.subscribe(RoomId{1}, kWeb, web_a, 3);
    fanout.subscribe(RoomId{1}, kWeb, web_b, 3);
    fanout.subscribe(RoomId{1}, kNative, native, 3);
    room::FrameSet frames{};
    frames[kWeb.index()] = wire::make_frame("web");
    frames[kNative.index()] = wire::make_frame("native!");
    const auto delivered = fanout.deliver(RoomId{1}, batch_of(frames), 5, kShed);
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
    (void)fanout.deliver(RoomId{1}, batch_of(frames), 0, kShed);
    EXPECT_EQ(first.got.size(), 1U);
    EXPECT_EQ(leaving.got.size(), 1U);
    EXPECT_EQ(last.got.size(), 1U);
    (void)fanout.deliver(RoomId{1}, batch_of(frames), 0, kShed);
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

message::MessagePtr said(Sequence sequence, std::uint64_t uid, message::Body body) {
    message::RoomMessage stored;
    stored.room = RoomId{1};
    stored.sequence = sequence;
    stored.sender.uid = UserId{uid};
    stored.sender.role = message::Role::viewer;
    stored.body = std::move(body);
    return std::make_shared<const message::RoomMessage>(std::move(stored));
}

// 100 danmaku from viewers 1..10 (the tenth from viewer 10), a gift, and two online counts.
room::BatchFrames busy_batch(std::uint8_t budget_level = 0) {
    std::vector<message::MessagePtr> messages;
    Sequence seq = 0;
    messages.push_back(said(0, 0, message::OnlineCount{.online = 1}));
    for (int i = 0; i < 100; ++i) {
        messages.push_back(said(++seq, 1 + static_cast<std::uint64_t>(i % 10), message::Danmaku{.text = "d"}));
    }
    messages.push_back(said(++seq, 20, message::Gift{.gift_id = 1}));
    messages.push_back(said(0, 0, message::OnlineCount{.online = 2}));
    std::array<bool, room::kEncodingKeyCount> in_use{};
    in_use[kNative.index()] = true;
    auto full = room::encode_for_keys(messages, in_use);
    std::uint64_t batches = 0;
    auto levels = room::shed_levels(messages, batches);
    return room::BatchFrames(std::move(messages), std::move(full), std::move(levels), nullptr, budget_level);
}

// How many pushes of each native kind the frames a member got hold (of one sender's, when
// `from` is given).
std::map<std::string, std::size_t> kinds(const Member& member, std::optional<std::uint64_t> from = std::nullopt) {
    std::map<std::string, std::size_t> count;
    for (const auto& frame : member.got) {
        std::vector<wire::Packet> packets;
        EXPECT_TRUE(wire::decode_packets(frame->bytes, wire::push_decode_limits(), packets).has_value());
        for (const auto& packet : packets) {
            const auto body = boost::json::parse(packet.body).as_object();
            if (from && (!body.contains("user") || body.at("user").at("uid").to_number<std::uint64_t>() != *from)) {
                continue;
            }
            ++count[std::string(body.at("cmd").as_string())];
        }
    }
    return count;
}

TEST(LocalFanout, AMemberBehindGetsEveryGiftTheLatestCountAndASampleOfDanmaku) {
    LocalFanout fanout;
    const ShedOptions shed{.soft_bytes = 1000, .hard_bytes = 8000};
    Member fast, behind, far_behind;
    behind.queued = 1000;      // at the soft bound: level 1
    far_behind.queued = 7000;  // near the hard bound: the top level
    for (auto* member : {&fast, &behind, &far_behind}) {
        fanout.subscribe(RoomId{1}, kNative, *member, 0);
    }
    const auto batch = busy_batch();
    const auto delivered = fanout.deliver(RoomId{1}, batch, 3, shed);
    EXPECT_EQ(fast.got.at(0).get(), batch.full()[kNative.index()].get()) << "the shared whole batch";
    EXPECT_EQ(kinds(fast), (std::map<std::string, std::size_t>{{"danmaku", 100}, {"gift", 1}, {"online", 2}}));
    auto half = kinds(behind);
    EXPECT_EQ(half["gift"], 1U);
    EXPECT_EQ(half["online"], 1U) << "the latest count only";
    EXPECT_EQ(half["danmaku"], 50U);
    auto least = kinds(far_behind);
    EXPECT_EQ(least["gift"], 1U);
    EXPECT_EQ(least["online"], 1U);
    EXPECT_LE(least["danmaku"], 1U) << "1 in 128 of 100";
    EXPECT_EQ(delivered.coalesced, 2U);
    EXPECT_EQ(delivered.sampled, 50U + 100U - least["danmaku"]);
    EXPECT_EQ(delivered.budget_sampled, 0U);
}

TEST(LocalFanout, ASenderBehindStillSeesItsOwnMessages) {
    LocalFanout fanout;
    const ShedOptions shed{.soft_bytes = 1000, .hard_bytes = 8000};
    Member sender;
    sender.user = UserId{10};
    sender.queued = 7000;
    fanout.subscribe(RoomId{1}, kNative, sender, 0);
    (void)fanout.deliver(RoomId{1}, busy_batch(), 3, shed);
    EXPECT_EQ(kinds(sender, 10)["danmaku"], 10U) << "its ten danmaku, whatever the sample kept";
    EXPECT_LE(kinds(sender)["danmaku"], 12U) << "and others' only as sampled";
    EXPECT_EQ(kinds(sender)["gift"], 1U);
}

TEST(LocalFanout, TheRoomsBudgetSamplesEveryMemberEvenWithAnEmptyQueue) {
    LocalFanout fanout;
    Member viewer;
    fanout.subscribe(RoomId{1}, kNative, viewer, 0);
    const auto delivered = fanout.deliver(RoomId{1}, busy_batch(2), 3, ShedOptions{});
    EXPECT_EQ(kinds(viewer)["danmaku"], 25U);
    EXPECT_EQ(kinds(viewer)["gift"], 1U);
    EXPECT_EQ(delivered.budget_sampled, 75U);
    EXPECT_EQ(delivered.sampled, 0U);
}

TEST(ShedOptions, AQueueStillGrowingPastTheSoftBoundClimbsALevelABatchAndSettles) {
    const ShedOptions shed{.soft_bytes = 1000, .hard_bytes = 8000};
    ShedState state;
    EXPECT_EQ(shed.next_level(state, 500), 0U);
    // Bytes alone would say level 1 all along (under 2000 queued): growth says more.
    EXPECT_EQ(shed.next_level(state, 1100), 1U);
    EXPECT_EQ(shed.next_level(state, 1200), 2U);
    EXPECT_EQ(shed.next_level(state, 1300), 3U);
    // Shrinking: one level down a batch, so it settles where its stream fits.
    EXPECT_EQ(shed.next_level(state, 1250), 2U);
    EXPECT_EQ(shed.next_level(state, 1300), 3U);
    // Far behind, bytes lead.
    EXPECT_EQ(shed.next_level(state, 7500), room::kTopLevel);
    EXPECT_EQ(shed.next_level(state, 7600), room::kTopLevel) << "never past the top";
    EXPECT_EQ(shed.next_level(state, 7000), room::kTopLevel) << "shrinking, but bytes still say the top";
    // Caught up: one level down a batch, so whole batches do not rush back in at once.
    EXPECT_EQ(shed.next_level(state, 100), room::kTopLevel - 1);
    EXPECT_EQ(shed.next_level(state, 0), room::kTopLevel - 2);
    for (int i = 0; i < 10; ++i) {
        (void)shed.next_level(state, 0);
    }
    EXPECT_EQ(shed.next_level(state, 0), 0U);
    EXPECT_EQ(state.queued, 0U);
}

TEST(ShedOptions, AWholeBatchThatWouldCarryAGrowingQueuePastTheSoftBoundIsNotSentWhole) {
    const ShedOptions shed{.soft_bytes = 1000, .hard_bytes = 8000};
    ShedState state;
    EXPECT_EQ(shed.next_level(state, 0, 5000), 0U) << "an empty queue takes even a huge batch whole";
    EXPECT_EQ(shed.next_level(state, 200, 300), 0U) << "growing, but the batch fits under the soft bound";
    EXPECT_EQ(shed.next_level(state, 400, 700), 1U) << "400 + 700 would pass it";
    EXPECT_EQ(shed.next_level(state, 300, 700), 0U) << "shrinking again";
}

TEST(LocalFanout, AMemberWhoseQueueKeepsGrowingIsServedLessEachBatch) {
    LocalFanout fanout;
    const ShedOptions shed{.soft_bytes = 1000, .hard_bytes = 8000};
    Member behind;
    fanout.subscribe(RoomId{1}, kNative, behind, 0);
    behind.queued = 1000;
    (void)fanout.deliver(RoomId{1}, busy_batch(), 3, shed);
    behind.queued = 1500;
    (void)fanout.deliver(RoomId{1}, busy_batch(), 3, shed);
    EXPECT_EQ(behind.shed.level, 2U);
    const auto counts = kinds(behind);
    EXPECT_EQ(counts.at("gift"), 2U) << "every gift, whatever the level";
    EXPECT_EQ(counts.at("danmaku"), 50U + 25U) << "half of the first batch, a quarter of the second";
}

TEST(ShedOptions, LevelsRiseFromTheSoftBoundToTheTopNearTheHardOne) {
    const ShedOptions shed{.soft_bytes = 1000, .hard_bytes = 7000};
    EXPECT_EQ(shed.level_for(0), 0U);
    EXPECT_EQ(shed.level_for(999), 0U);
    EXPECT_EQ(shed.level_for(1000), 1U);
    EXPECT_EQ(shed.level_for(4000), 4U);  // halfway: 1 + 7 / 2
    EXPECT_EQ(shed.level_for(6999), room::kTopLevel);
    EXPECT_EQ(shed.level_for(1'000'000), room::kTopLevel);
}

}  // namespace
}  // namespace barrage::gateway
