#include "room/room.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace barrage::room {
namespace {

using message::Role;

constexpr UserId kHost{100};
constexpr UserId kManager{200};
constexpr UserId kViewer{300};

RoomConfig config() {
    return RoomConfig{.id = RoomId{9}, .title = "t", .host = kHost, .managers = {kManager}};
}

RoomOptions options() {
    RoomOptions result;
    result.history_length = 16;
    result.batch_messages_max = 8;
    result.batch_interval_ms = 50;
    result.rate_limit = {.per_second = 1.0, .burst = 2.0, .users_max = 100};
    result.bot_rate_limit = {.per_second = 1.0, .burst = 4.0, .users_max = 100};
    return result;
}

message::Sender sender(UserId uid, Role role = Role::viewer) {
    message::Sender result;
    result.uid = uid;
    result.name = "u" + std::to_string(uid.value);
    result.role = role;
    return result;
}

EncodingKey key(message::Dialect dialect, wire::ProtocolVersion protover) {
    return EncodingKey{.dialect = dialect, .protover = protover};
}

const EncodingKey kWebBrotli = key(message::Dialect::web, wire::ProtocolVersion::brotli);
const EncodingKey kNativeJson = key(message::Dialect::native, wire::ProtocolVersion::json);

class RoomTest : public ::testing::Test {
protected:
    FakeClock clock_;
    Room room_{config(), options(), clock_};
};

TEST_F(RoomTest, NumbersSequencedMessagesAcrossKinds) {
    auto first = room_.publish(sender(kViewer), message::Danmaku{.text = "a"});
    auto second = room_.publish_system(sender(kViewer), message::Enter{});
    auto third = room_.publish(sender(kViewer), message::Custom{.type = "x", .fields_json = "{}"});
    auto fourth = room_.publish_system(sender(UserId{0}, Role::admin), message::System{.text = "s"});
    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(third.has_value());
    EXPECT_EQ((*first)->sequence, 1U);
    EXPECT_EQ(second->sequence, 2U);
    EXPECT_EQ((*third)->sequence, 3U);
    EXPECT_EQ(fourth->sequence, 4U);
    EXPECT_EQ(room_.history().last_sequence(), 4U);
    EXPECT_EQ(room_.history().size(), 4U);
}

TEST_F(RoomTest, OnlineCountIsNotSequencedNorKept) {
    room_.publish_system(sender(kViewer), message::Enter{});
    auto online = room_.publish_system({}, message::OnlineCount{.online = 1, .watched = 1});
    auto next = room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(online->sequence, 0U);
    EXPECT_EQ(next->sequence, 2U);
    EXPECT_EQ(room_.history().size(), 2U);
    const auto batch = room_.take_batch();
    ASSERT_EQ(batch.size(), 3U);
    EXPECT_EQ(batch[1], online);  // unsequenced messages stay where they fell
}

TEST_F(RoomTest, StampsRoomAndWallTime) {
    clock_.advance_ms(1234);
    auto stored = room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(stored->room, RoomId{9});
    EXPECT_EQ(stored->time_ms, clock_.wall_ms());
}

TEST_F(RoomTest, RateLimitsViewers) {
    EXPECT_TRUE(room_.publish(sender(kViewer), message::Danmaku{.text = "1"}).has_value());
    EXPECT_TRUE(room_.publish(sender(kViewer), message::Danmaku{.text = "2"}).has_value());
    auto refused = room_.publish(sender(kViewer), message::Danmaku{.text = "3"});
    ASSERT_TRUE(refused.has_error());
    EXPECT_EQ(refused.error(), make_error_code(Errc::rate_limited));
    // A refused message takes no sequence number.
    auto later = room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(later->sequence, 3U);
    clock_.advance_ms(1000);
    EXPECT_TRUE(room_.publish(sender(kViewer), message::Danmaku{.text = "4"}).has_value());
}

TEST_F(RoomTest, BotsHaveTheirOwnHigherRate) {
    // options(): viewers 2 at once, bots 4 at once (both refilled at 1/s).
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(room_.publish(sender(UserId{50}, Role::bot), message::Danmaku{}).has_value()) << i;
    }
    auto refused = room_.publish(sender(UserId{50}, Role::bot), message::Danmaku{});
    ASSERT_TRUE(refused.has_error());
    EXPECT_EQ(refused.error(), make_error_code(Errc::rate_limited));
    // Another bot has its own bucket, and the viewers' buckets are not the bots'.
    EXPECT_TRUE(room_.publish(sender(UserId{51}, Role::bot), message::Danmaku{}).has_value());
    EXPECT_TRUE(room_.publish(sender(kViewer), message::Danmaku{}).has_value());
    clock_.advance_ms(1000);
    EXPECT_TRUE(room_.publish(sender(UserId{50}, Role::bot), message::Danmaku{}).has_value());
}

TEST_F(RoomTest, ExemptRolesSkipTheRateLimit) {
    for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(room_.publish(sender(kHost, Role::viewer), message::Danmaku{}).has_value());
        EXPECT_TRUE(room_.publish(sender(kManager, Role::viewer), message::Danmaku{}).has_value());
    }
}

TEST_F(RoomTest, SystemMessagesSkipTheRateLimit) {
    for (int i = 0; i < 10; ++i) {
        room_.publish_system(sender(kViewer), message::Enter{});
    }
    EXPECT_EQ(room_.history().last_sequence(), 10U);
    EXPECT_TRUE(room_.publish(sender(kViewer), message::Danmaku{}).has_value());
}

TEST_F(RoomTest, EffectiveRoleComesFromHostAndManagers) {
    EXPECT_EQ(room_.effective_role(kHost, Role::viewer), Role::host);
    EXPECT_EQ(room_.effective_role(kManager, Role::viewer), Role::manager);
    EXPECT_EQ(room_.effective_role(kViewer, Role::viewer), Role::viewer);
    EXPECT_EQ(room_.effective_role(kManager, Role::admin), Role::admin);  // never lowered
    EXPECT_EQ(room_.effective_role(UserId{0}, Role::anonymous), Role::anonymous);
}

TEST(Room, UnsetHostDoesNotPromoteAnonymous) {
    FakeClock clock;
    const Room room(RoomConfig{.id = RoomId{1}, .title = "", .host = UserId{0}, .managers = {}}, options(), clock);
    EXPECT_EQ(room.effective_role(UserId{0}, Role::anonymous), Role::anonymous);
}

TEST_F(RoomTest, StoredSenderCarriesEffectiveRole) {
    auto stored = room_.publish(sender(kManager, Role::viewer), message::Danmaku{});
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ((*stored)->sender.role, Role::manager);
}

TEST_F(RoomTest, CountsMembersPerThreadAndKey) {
    room_.join(0, kWebBrotli, UserId{1});
    room_.join(0, kWebBrotli, UserId{2});
    room_.join(3, kNativeJson, UserId{3});  // grows past the threads seen so far
    EXPECT_EQ(room_.online(), 3U);
    EXPECT_EQ(room_.threads_with_members(), (std::vector<std::size_t>{0, 3}));

    auto on_zero = room_.keys_in_use_on(0);
    EXPECT_TRUE(on_zero[kWebBrotli.index()]);
    EXPECT_FALSE(on_zero[kNativeJson.index()]);
    auto all = room_.keys_in_use();
    EXPECT_TRUE(all[kWebBrotli.index()]);
    EXPECT_TRUE(all[kNativeJson.index()]);
    EXPECT_EQ(std::count(all.begin(), all.end(), true), 2);
    EXPECT_FALSE(room_.keys_in_use_on(7)[kWebBrotli.index()]);

    room_.leave(0, kWebBrotli);
    EXPECT_TRUE(room_.keys_in_use_on(0)[kWebBrotli.index()]);
    room_.leave(0, kWebBrotli);
    EXPECT_FALSE(room_.keys_in_use()[kWebBrotli.index()]);
    EXPECT_EQ(room_.threads_with_members(), (std::vector<std::size_t>{3}));
    EXPECT_EQ(room_.online(), 1U);
}

TEST_F(RoomTest, WatchedCountsDistinctUsersAndEveryAnonymousJoin) {
    room_.join(0, kWebBrotli, UserId{1});
    room_.join(1, kNativeJson, UserId{1});
    room_.leave(0, kWebBrotli);
    room_.join(0, kWebBrotli, UserId{1});
    room_.join(0, kWebBrotli, UserId{2});
    room_.join(0, kWebBrotli, UserId{0});
    room_.join(0, kWebBrotli, UserId{0});
    EXPECT_EQ(room_.watched(), 4U);
    EXPECT_EQ(room_.online(), 5U);
}

TEST_F(RoomTest, LeaveWithoutJoinIsABug) {
    room_.join(0, kWebBrotli, UserId{1});
    EXPECT_DEATH(room_.leave(0, kNativeJson), "assertion failed");
    EXPECT_DEATH(room_.leave(5, kWebBrotli), "assertion failed");
}

TEST_F(RoomTest, QuietRoomSendsAfterTheGather) {
    EXPECT_EQ(room_.batch_due_at(), std::nullopt);
    EXPECT_FALSE(room_.batch_due());
    const Millis arrived = clock_.steady_ms();
    room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(room_.batch_due_at(), arrived + kBatchGatherMs);
    clock_.advance_ms(kBatchGatherMs - 1);
    room_.publish_system(sender(kViewer), message::Enter{});  // joins; does not restart the wait
    EXPECT_FALSE(room_.batch_due());
    clock_.advance_ms(1);
    EXPECT_TRUE(room_.batch_due());
    EXPECT_EQ(room_.take_batch().size(), 2U);
    EXPECT_TRUE(room_.batch_empty());
    EXPECT_EQ(room_.batch_due_at(), std::nullopt);
}

TEST_F(RoomTest, AtMostOneBatchPerInterval) {
    room_.publish_system(sender(kViewer), message::Enter{});
    const Millis sent = clock_.steady_ms();
    room_.take_batch();
    clock_.advance_ms(10);
    room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(room_.batch_due_at(), sent + options().batch_interval_ms);
    clock_.advance_ms(39);
    EXPECT_FALSE(room_.batch_due());
    clock_.advance_ms(1);
    EXPECT_TRUE(room_.batch_due());
}

// Whenever a message arrives after the last batch, it goes out no sooner than one interval
// after that batch and no later than one interval after it arrived.
TEST_F(RoomTest, DueTimeForEveryArrivalAfterABatch) {
    const Millis interval = options().batch_interval_ms;
    for (Millis gap = 0; gap <= 2 * interval; ++gap) {
        room_.publish_system(sender(kViewer), message::Enter{});
        const Millis sent = clock_.steady_ms();
        room_.take_batch();
        clock_.advance_ms(gap);
        const Millis arrived = clock_.steady_ms();
        room_.publish_system(sender(kViewer), message::Enter{});
        const auto due = room_.batch_due_at();
        ASSERT_TRUE(due.has_value());
        EXPECT_EQ(*due, std::max(sent + interval, arrived + kBatchGatherMs)) << "gap " << gap;
        EXPECT_LE(*due - arrived, interval) << "gap " << gap;
        clock_.advance_ms(*due - arrived);
        room_.take_batch();
    }
}

// A batch whose delivery took the home loop long holds the next one apart, so the loop keeps
// time for everything else (docs/architecture.md, "Batches under load"); a quick one lets the
// interval fall back.
TEST_F(RoomTest, ALongDeliveryStretchesTheNextInterval) {
    const Millis interval = options().batch_interval_ms;
    ASSERT_EQ(options().delivery_share_max, 0.8);
    room_.publish_system(sender(kViewer), message::Enter{});
    const Millis sent = clock_.steady_ms();
    room_.take_batch();
    clock_.advance_ms(80);
    room_.batch_delivered(80);  // 80 ms at 0.8: the next starts 100 ms after this one
    EXPECT_EQ(room_.batch_interval(), 100);
    EXPECT_TRUE(room_.batch_stretched());
    room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(room_.batch_due_at(), sent + 100);
    clock_.advance_ms(19);
    EXPECT_FALSE(room_.batch_due());
    clock_.advance_ms(1);
    EXPECT_TRUE(room_.batch_due());

    // A delivery short enough for the configured interval: back to it, and to its promise.
    const Millis next = clock_.steady_ms();
    room_.take_batch();
    room_.batch_delivered(39);  // 39 / 0.8 is under the 50 ms interval
    EXPECT_EQ(room_.batch_interval(), interval);
    EXPECT_FALSE(room_.batch_stretched());
    clock_.advance_ms(1);
    room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(room_.batch_due_at(), next + interval);
}

TEST(Room, NoStretchWhenSharingIsOffOrBatchingIs) {
    FakeClock clock;
    RoomOptions never = options();
    never.delivery_share_max = 1.0;
    Room whole(config(), never, clock);
    whole.batch_delivered(70);
    EXPECT_EQ(whole.batch_interval(), 70);  // one delivery after another, as before stretching
    whole.batch_delivered(30);
    EXPECT_EQ(whole.batch_interval(), never.batch_interval_ms);

    RoomOptions at_once = options();
    at_once.batch_interval_ms = 0;
    Room immediate(config(), at_once, clock);
    immediate.batch_delivered(500);
    EXPECT_EQ(immediate.batch_interval(), 0);
    immediate.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(immediate.batch_due_at(), clock.steady_ms());
}

TEST(Room, GatherNeverExceedsAShortInterval) {
    FakeClock clock;
    RoomOptions fast = options();
    fast.batch_interval_ms = 1;
    Room room(config(), fast, clock);
    room.publish_system(sender(kViewer), message::Enter{});
    EXPECT_EQ(room.batch_due_at(), clock.steady_ms() + 1);
}

TEST_F(RoomTest, FullBatchIsDueAtOnce) {
    for (std::size_t i = 0; i + 1 < options().batch_messages_max; ++i) {
        room_.publish_system(sender(kViewer), message::Enter{});
    }
    EXPECT_FALSE(room_.batch_full());
    EXPECT_FALSE(room_.batch_due());
    room_.publish_system(sender(kViewer), message::Enter{});
    EXPECT_TRUE(room_.batch_full());
    EXPECT_TRUE(room_.batch_due());
}

TEST_F(RoomTest, FullBatchIsDueAtOnceWithinTheInterval) {
    room_.publish_system(sender(kViewer), message::Enter{});
    room_.take_batch();
    clock_.advance_ms(1);
    for (std::size_t i = 0; i < options().batch_messages_max; ++i) {
        room_.publish_system(sender(kViewer), message::Enter{});
    }
    EXPECT_TRUE(room_.batch_due());  // the interval since the last batch is not up
}

TEST(Room, ZeroIntervalIsDueWhenNotEmpty) {
    FakeClock clock;
    RoomOptions zero = options();
    zero.batch_interval_ms = 0;
    Room room(config(), zero, clock);
    EXPECT_FALSE(room.batch_due());
    room.publish_system(sender(kViewer), message::Enter{});
    EXPECT_TRUE(room.batch_due());
}

TEST_F(RoomTest, BatchKeepsPublishOrder) {
    room_.publish_system(sender(kViewer), message::Enter{});
    room_.publish_system({}, message::OnlineCount{});
    room_.publish_system(sender(kViewer), message::System{.text = "x"});
    const auto batch = room_.take_batch();
    ASSERT_EQ(batch.size(), 3U);
    EXPECT_EQ(batch[0]->sequence, 1U);
    EXPECT_EQ(batch[1]->sequence, 0U);
    EXPECT_EQ(batch[2]->sequence, 2U);
}

}  // namespace
}  // namespace barrage::room

namespace barrage::room {
namespace {

TEST(Room, GuardLevelShowsOnMessagesUntilItExpires) {
    FakeClock clock(1'000'000);
    Room room(config(), options(), clock);
    room.set_guard(kViewer, 3, 1'000'000 + 60'000);
    auto first = room.publish(sender(kViewer), message::Danmaku{.text = "hi"});
    ASSERT_TRUE(first);
    EXPECT_EQ((*first)->sender.guard_level, 3);
    EXPECT_EQ(room.guard_level(kHost), 0);

    clock.advance_ms(60'000);  // the membership ends exactly now
    auto second = room.publish_system(sender(kViewer), message::Danmaku{.text = "later"});
    EXPECT_EQ(second->sender.guard_level, 0);
}

TEST(Room, GuardLevelZeroRemovesTheMark) {
    FakeClock clock(1'000'000);
    Room room(config(), options(), clock);
    room.set_guard(kViewer, 1, 2'000'000);
    EXPECT_EQ(room.guard_level(kViewer), 1);
    room.set_guard(kViewer, 0, 0);
    EXPECT_EQ(room.guard_level(kViewer), 0);
}

// The room's sequence numbers come from its Sequencer, asked once per sequenced message:
// one that continues from 41 (a room moved from another node) gives 42, 43.
TEST(RoomSequencer, SequencedMessagesTakeTheSequencersNumbersInOrder) {
    struct Counting final : Sequencer {
        Sequence given = 41;
        int asked = 0;
        Sequence next() override {
            ++asked;
            return ++given;
        }
        Sequence last() const override { return given; }
    };
    auto owned = std::make_unique<Counting>();
    auto* sequencer = owned.get();
    FakeClock clock;
    Room room(config(), options(), clock, std::move(owned));
    auto first = room.publish(sender(kHost, Role::host), message::Danmaku{.text = "a"});
    room.publish_system(sender(kHost, Role::host), message::OnlineCount{});  // not sequenced
    auto second = room.publish(sender(kHost, Role::host), message::Danmaku{.text = "b"});
    ASSERT_TRUE(first && second);
    EXPECT_EQ((*first)->sequence, 42U);
    EXPECT_EQ((*second)->sequence, 43U);
    EXPECT_EQ(sequencer->asked, 2);
    EXPECT_EQ(room.history().last_sequence(), 43U);
    // Its history starts at 42: resuming from 10 is a gap, from 42 gives 43.
    const auto from_ten = room.history().after(10, 100);
    EXPECT_TRUE(from_ten.gap);
    EXPECT_EQ(from_ten.first_available, 42U);
    EXPECT_EQ(room.history().after(42, 100).messages.size(), 1U);
}

}  // namespace
}  // namespace barrage::room
