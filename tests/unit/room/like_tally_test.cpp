#include "room/like_tally.h"

#include <gtest/gtest.h>

namespace barrage::room {
namespace {

message::Sender user(std::uint64_t uid) {
    message::Sender sender;
    sender.uid = UserId{uid};
    sender.name = "u" + std::to_string(uid);
    return sender;
}

LikeOptions options() {
    return {.window_ms = 300, .per_user_per_second = 50, .clicks_per_window = 3, .open_aggregate_ms = 2000};
}

TEST(LikeTally, CountsOnFromTheRestoredTotal) {
    LikeTally tally(options(), 1000);
    auto receipt = tally.add(user(1), 7, 0, false);
    EXPECT_EQ(receipt.accepted, 7u);
    EXPECT_EQ(receipt.capped, 0u);
    EXPECT_EQ(receipt.total, 1007u);
    auto window = tally.close_window(300);
    ASSERT_TRUE(window.total);
    EXPECT_EQ(*window.total, 1007u);
}

TEST(LikeTally, TapsOverTheUsersCapPerSecondAreCappedNotAdded) {
    LikeTally tally(options(), 0);
    EXPECT_EQ(tally.add(user(1), 30, 0, false).accepted, 30u);
    auto second = tally.add(user(1), 30, 500, false);
    EXPECT_EQ(second.accepted, 20u);
    EXPECT_EQ(second.capped, 10u);
    EXPECT_EQ(tally.add(user(1), 5, 999, false).capped, 5u);
    // Another user has a cap of their own.
    EXPECT_EQ(tally.add(user(2), 50, 999, false).accepted, 50u);
    // A new second, a new cap.
    EXPECT_EQ(tally.add(user(1), 50, 1000, false).accepted, 50u);
    EXPECT_EQ(tally.total(), 150u);
    EXPECT_EQ(tally.capped_total(), 15u);
}

TEST(LikeTally, AWindowSaysTheTotalOnceAndOnlyWhenItMoved) {
    LikeTally tally(options(), 0);
    for (int i = 0; i < 100; ++i) {
        tally.add(user(static_cast<std::uint64_t>(i % 10) + 1), 1, i, false);
    }
    EXPECT_TRUE(tally.pending());
    auto window = tally.close_window(300);
    ASSERT_TRUE(window.total);
    EXPECT_EQ(*window.total, 100u);
    EXPECT_FALSE(tally.pending());
    EXPECT_FALSE(tally.close_window(600).total);
    // Capped taps move nothing.
    tally.add(user(1), 50, 700, false);
    tally.close_window(900);
    tally.add(user(1), 50, 950, false);  // the cap period that began at 0 is used up
    EXPECT_FALSE(tally.pending());
    EXPECT_FALSE(tally.close_window(1200).total);
}

TEST(LikeTally, SamplesAFewDistinctClickersPerWindow) {
    LikeTally tally(options(), 0);
    tally.add(user(1), 1, 0, false);
    tally.add(user(1), 1, 1, false);
    tally.add(user(2), 1, 2, false);
    tally.add(user(3), 1, 3, false);
    tally.add(user(4), 1, 4, false);
    auto window = tally.close_window(300);
    ASSERT_EQ(window.clicks.size(), 3u);
    EXPECT_EQ(window.clicks[0].uid, UserId{1});
    EXPECT_EQ(window.clicks[1].uid, UserId{2});
    EXPECT_EQ(window.clicks[2].uid, UserId{3});
    // The next window samples afresh: user 1 may be a clicker again.
    tally.add(user(1), 1, 1500, false);
    auto next = tally.close_window(1800);
    ASSERT_EQ(next.clicks.size(), 1u);
    EXPECT_EQ(next.clicks[0].uid, UserId{1});
}

TEST(LikeTally, GamesGetEachUsersTapsSummedOverTwoSeconds) {
    LikeTally tally(options(), 0);
    tally.add(user(1), 3, 0, true);
    tally.add(user(2), 4, 100, true);
    tally.add(user(1), 5, 1500, true);
    EXPECT_TRUE(tally.close_window(300).open.empty());
    EXPECT_TRUE(tally.close_window(1999).open.empty());
    EXPECT_TRUE(tally.pending());  // sums not yet due keep the windows going
    auto due = tally.close_window(2000);
    ASSERT_EQ(due.open.size(), 1u);
    EXPECT_EQ(due.open[0].sender.uid, UserId{1});
    EXPECT_EQ(due.open[0].count, 8u);
    auto later = tally.close_window(2100);
    ASSERT_EQ(later.open.size(), 1u);
    EXPECT_EQ(later.open[0].sender.uid, UserId{2});
    EXPECT_EQ(later.open[0].count, 4u);
    EXPECT_FALSE(tally.pending());
    // Taps while no game is live are not summed for games.
    tally.add(user(3), 9, 3000, false);
    EXPECT_TRUE(tally.close_window(6000).open.empty());
}

TEST(LikeTally, ForgetsUsersASecondAfterTheirLastTap) {
    LikeTally tally(options(), 0);
    for (std::uint64_t uid = 1; uid <= 10'000; ++uid) {
        tally.add(user(uid), 1, 0, false);
    }
    EXPECT_EQ(tally.users_remembered(), 10'000u);
    tally.close_window(300);
    EXPECT_EQ(tally.users_remembered(), 10'000u);  // still inside their cap period
    tally.close_window(1000);
    EXPECT_EQ(tally.users_remembered(), 0u);
    EXPECT_EQ(tally.total(), 10'000u);
}

}  // namespace
}  // namespace barrage::room
