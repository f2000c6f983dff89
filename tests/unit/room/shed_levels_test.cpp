#include "room/shed_levels.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace barrage::room {
namespace {

using message::Role;

message::MessagePtr said(std::uint64_t uid, message::Body body, Role role = Role::viewer) {
    message::RoomMessage stored;
    stored.room = RoomId{1};
    stored.sender.uid = UserId{uid};
    stored.sender.role = role;
    stored.body = std::move(body);
    return std::make_shared<const message::RoomMessage>(std::move(stored));
}

message::Body danmaku() {
    return message::Danmaku{.text = "x"};
}

// How many of `uid`'s messages each level carries, over `levels`.
std::size_t kept(const std::vector<message::MessagePtr>& messages, const std::vector<std::uint8_t>& levels,
                 std::uint64_t uid, std::size_t level) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        count += messages[i]->sender.uid.value == uid && levels[i] >= level;
    }
    return count;
}

TEST(ShedLevels, CriticalMessagesAndTheHostAndManagersAreAtEveryLevel) {
    std::vector<message::MessagePtr> batch{
        said(1, message::Gift{.gift_id = 1}),
        said(1, message::SuperChat{.id = 1}),
        said(1, message::GuardBuy{}),
        said(1, message::Moderation{}),
        said(1, message::LiveStatus{.live = true}),
        said(1, message::System{.text = "notice"}),
        said(2, danmaku(), Role::host),
        said(3, danmaku(), Role::manager),
        said(4, message::LikeBurst{.count = 3}),
    };
    std::uint64_t count = 0;
    const auto levels = shed_levels(batch, count);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        EXPECT_EQ(levels[i], kTopLevel) << i;
    }
    EXPECT_EQ(count, 1U) << "one batch";
}

TEST(ShedLevels, OnlyTheLatestOfEachLowKindIsKeptAboveLevelZero) {
    std::vector<message::MessagePtr> batch{
        said(0, message::OnlineCount{.online = 1}),
        said(5, message::Enter{}),
        said(0, message::LikeTotal{1}),
        said(0, message::OnlineCount{.online = 2}),
        said(6, message::Enter{}),
        said(7, message::LikeClick{}),
        said(0, message::LikeTotal{2}),
        said(8, message::LikeClick{}),
    };
    std::uint64_t count = 0;
    const auto levels = shed_levels(batch, count);
    const std::vector<std::uint8_t> expected{0, 0, 0, kTopLevel, kTopLevel, 0, kTopLevel, kTopLevel};
    EXPECT_EQ(levels, expected);
}

TEST(ShedLevels, EachLevelKeepsItsShareOfEverySendersMessages) {
    // A flooder sends 900 danmaku, nine others 10 each, in one batch.
    std::vector<message::MessagePtr> batch;
    for (int i = 0; i < 900; ++i) {
        batch.push_back(said(100, danmaku()));
        if (i % 90 == 0) {
            for (std::uint64_t uid = 1; uid <= 9; ++uid) {
                batch.push_back(said(uid, danmaku()));
            }
        }
    }
    std::uint64_t count = 0;
    const auto levels = shed_levels(batch, count);
    // Level 3 keeps 1 in 8 of 990 (123 or 124), taken in rounds: the nine quiet senders' ten
    // messages each fit in the first ten rounds, so they are all kept and the flooder gets
    // the rest.
    for (std::uint64_t uid = 1; uid <= 9; ++uid) {
        EXPECT_EQ(kept(batch, levels, uid, 3), 10U) << uid;
    }
    const auto flooder = kept(batch, levels, 100, 3);
    EXPECT_TRUE(flooder == 33U || flooder == 34U) << flooder;
    // At level 6 (15 or 16) the round gives each quiet sender one or two, the flooder as much.
    for (std::uint64_t uid = 1; uid <= 9; ++uid) {
        EXPECT_GE(kept(batch, levels, uid, 6), 1U) << uid;
        EXPECT_LE(kept(batch, levels, uid, 6), 2U) << uid;
    }
    // Levels nest and halve.
    for (std::size_t level = 1; level < kShedLevels; ++level) {
        std::size_t at = 0;
        std::size_t below = 0;
        for (auto l : levels) {
            at += l >= level;
            below += l >= level - 1;
        }
        EXPECT_LE(at, below);
        EXPECT_NEAR(static_cast<double>(at), 990.0 / static_cast<double>(1U << level), 1.0) << level;
    }
}

TEST(ShedLevels, OneSenderPerBatchStillGetsItsShareAcrossBatches) {
    // Two viewers taking turns, one danmaku per batch each: at level 1 each keeps half of theirs.
    std::uint64_t count = 0;
    std::map<std::uint64_t, std::size_t> at_one;
    for (int round = 0; round < 100; ++round) {
        for (std::uint64_t uid : {1, 2}) {
            std::vector<message::MessagePtr> batch{said(uid, danmaku())};
            at_one[uid] += shed_levels(batch, count)[0] >= 1;
        }
    }
    // Half on average each, whichever batch they fall in (a fixed stride would keep one and
    // never the other).
    EXPECT_NEAR(static_cast<double>(at_one[1]), 50.0, 15.0);
    EXPECT_NEAR(static_cast<double>(at_one[2]), 50.0, 15.0);
}

TEST(ShedLevels, TheSenderWhoStartsTheRoundMovesOn) {
    // Ten senders, one danmaku each per batch, kept at level 3 (1 in 8): over 80 batches every
    // sender is kept about ten times, not only the first ones of each batch.
    std::uint64_t count = 0;
    std::map<std::uint64_t, std::size_t> at_three;
    for (int round = 0; round < 80; ++round) {
        std::vector<message::MessagePtr> batch;
        for (std::uint64_t uid = 1; uid <= 10; ++uid) {
            batch.push_back(said(uid, danmaku()));
        }
        const auto levels = shed_levels(batch, count);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            at_three[batch[i]->sender.uid.value] += levels[i] >= 3;
        }
    }
    for (std::uint64_t uid = 1; uid <= 10; ++uid) {
        EXPECT_GE(at_three[uid], 4U) << uid;
        EXPECT_LE(at_three[uid], 18U) << uid;
    }
}

}  // namespace
}  // namespace barrage::room
