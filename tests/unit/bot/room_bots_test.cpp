#include "bot/room_bots.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/clock.h"
#include "bot/bot_rules.h"

namespace barrage::bot {
namespace {

using message::Role;
using message::Sender;

// 2023-11-14T22:13:20Z (a Tuesday), FakeClock's default start.
constexpr Millis kStart = 1'700'000'000'000;

std::shared_ptr<const BotRules> rules(std::string_view body) {
    auto parsed = parse_bot_rules(body);
    EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().field + ": " + parsed.error().message);
    return parsed ? *parsed : nullptr;
}

Sender viewer(std::uint64_t uid, std::string name) {
    return Sender{.uid = UserId{uid}, .name = std::move(name), .face = "", .role = Role::viewer};
}

class RoomBotsTest : public ::testing::Test {
protected:
    void set(std::string_view body) { bots_.set_rules(rules(body), clock_.steady_ms(), clock_.wall_ms()); }
    std::vector<std::string> due(bool live = true) {
        std::vector<message::Danmaku> out;
        bots_.due_announcements(clock_.steady_ms(), clock_.wall_ms(), live, out);
        std::vector<std::string> texts;
        for (auto& said : out) {
            texts.push_back(said.text);
        }
        return texts;
    }

    FakeClock clock_{kStart};
    RoomBots bots_;
};

TEST_F(RoomBotsTest, SpeaksAsUidZeroWithItsNameAndTheBotRole) {
    set(R"({"name":"房管小助手","welcome":{"text":"hi"}})");
    const auto speaker = bots_.speaker();
    EXPECT_EQ(speaker.uid, UserId{0});
    EXPECT_EQ(speaker.name, "房管小助手");
    EXPECT_EQ(speaker.role, Role::bot);
}

TEST_F(RoomBotsTest, WelcomesByNameOncePerCooldownAndAtMostOncePerGap) {
    set(R"({"welcome":{"text":"欢迎 {name} 进入直播间，{name}!","user_cooldown_s":600,"gap_s":2}})");
    auto first = bots_.welcome(viewer(3, "alice"), clock_.steady_ms());
    ASSERT_TRUE(first);
    EXPECT_EQ(first->text, "欢迎 alice 进入直播间，alice!");
    EXPECT_EQ(first->reply_uid, UserId{0});
    // Bob enters within the room's gap: not greeted (a crowd gets one greeting a gap).
    clock_.advance_ms(1'999);
    EXPECT_FALSE(bots_.welcome(viewer(4, "bob"), clock_.steady_ms()));
    clock_.advance_ms(1);
    ASSERT_TRUE(bots_.welcome(viewer(4, "bob"), clock_.steady_ms()));
    // Alice reconnects: not a new visitor until her cool-down is over.
    clock_.advance_ms(10'000);
    EXPECT_FALSE(bots_.welcome(viewer(3, "alice"), clock_.steady_ms()));
    clock_.advance_ms(600'000);
    EXPECT_TRUE(bots_.welcome(viewer(3, "alice"), clock_.steady_ms()));
    // Anonymous viewers have no name to greet.
    clock_.advance_ms(5'000);
    EXPECT_FALSE(bots_.welcome(viewer(0, ""), clock_.steady_ms()));
    EXPECT_EQ(bots_.counters().welcomes, 3U);
    EXPECT_EQ(bots_.counters().welcomes_skipped, 2U);
}

TEST_F(RoomBotsTest, PruningForgetsOnlyViewersPastTheirCooldown) {
    set(R"({"welcome":{"text":"hi {name}","user_cooldown_s":10,"gap_s":1}})");
    // A viewer a second for a day: every one greeted, each forgotten after the cool-down.
    for (std::uint64_t uid = 1; uid <= 86'400; ++uid) {
        ASSERT_TRUE(bots_.welcome(viewer(uid, "v"), clock_.steady_ms())) << uid;
        clock_.advance_ms(1'000);
    }
    EXPECT_EQ(bots_.counters().welcomes, 86'400U);
    // The last one, greeted a second ago, is still remembered through the prunes...
    EXPECT_FALSE(bots_.welcome(viewer(86'400, "v"), clock_.steady_ms()));
    // ...and the first one is long forgotten and greeted again.
    EXPECT_TRUE(bots_.welcome(viewer(1, "v"), clock_.steady_ms()));
}

TEST_F(RoomBotsTest, RepliesToTheFirstMatchingRuleWithItsCooldown) {
    set(R"json({"replies":[
        {"match":"exact","pattern":"!time","reply":"@{name} 每晚八点开播","cooldown_s":30},
        {"match":"contains","pattern":"几点下播","reply":"十一点下播","cooldown_s":60},
        {"match":"regex","pattern":"^(hi|hello)","reply":"hello {name}","cooldown_s":0}]})json");
    const auto alice = viewer(3, "alice");
    auto reply = bots_.reply(alice, "  !TIME ", clock_.steady_ms());
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->text, "@alice 每晚八点开播");
    EXPECT_EQ(reply->reply_uid, UserId{3});
    EXPECT_EQ(reply->reply_name, "alice");
    // Exact means the whole text.
    EXPECT_FALSE(bots_.reply(alice, "what is !time", clock_.steady_ms()));
    // The rule cools down for the whole room: Bob asking at once gets no second answer.
    EXPECT_FALSE(bots_.reply(viewer(4, "bob"), "!time", clock_.steady_ms()));
    EXPECT_EQ(bots_.counters().replies_cooling, 1U);
    clock_.advance_ms(30'000);
    EXPECT_TRUE(bots_.reply(viewer(4, "bob"), "!time", clock_.steady_ms()));
    auto contains = bots_.reply(alice, "主播今天几点下播呀", clock_.steady_ms());
    ASSERT_TRUE(contains);
    EXPECT_EQ(contains->text, "十一点下播");
    EXPECT_EQ(bots_.reply(alice, "Hello there", clock_.steady_ms())->text, "hello alice");
    EXPECT_TRUE(bots_.reply(alice, "hi", clock_.steady_ms()));  // cool-down 0
    EXPECT_FALSE(bots_.reply(alice, "nothing to see", clock_.steady_ms()));
    EXPECT_EQ(bots_.counters().replies, 5U);
}

TEST_F(RoomBotsTest, ALaterRuleAnswersWhileAnEarlierOneCoolsDown) {
    set(R"({"replies":[{"pattern":"gift","reply":"first","cooldown_s":60},
                       {"pattern":"gift","reply":"second","cooldown_s":60}]})");
    EXPECT_EQ(bots_.reply(viewer(3, "a"), "gift?", clock_.steady_ms())->text, "first");
    EXPECT_EQ(bots_.reply(viewer(3, "a"), "gift?", clock_.steady_ms())->text, "second");
    EXPECT_FALSE(bots_.reply(viewer(3, "a"), "gift?", clock_.steady_ms()));
}

TEST_F(RoomBotsTest, NeverAnswersABot) {
    set(R"({"replies":[{"pattern":"ping","reply":"ping","cooldown_s":0}]})");
    Sender other_bot{.uid = UserId{9}, .name = "bot", .face = "", .role = Role::bot};
    EXPECT_FALSE(bots_.reply(other_bot, "ping", clock_.steady_ms()));
    EXPECT_FALSE(bots_.reply(bots_.speaker(), "ping", clock_.steady_ms()));
    EXPECT_TRUE(bots_.reply(viewer(3, "a"), "ping", clock_.steady_ms()));
}

TEST_F(RoomBotsTest, LongNamesAreCutToADanmakusLength) {
    set(R"({"welcome":{"text":"{name}{name}{name}{name}{name}{name}{name}"}})");
    const std::string name(20, 'n');  // 7 x 20 = 140 code points
    auto said = bots_.welcome(viewer(3, name), clock_.steady_ms());
    ASSERT_TRUE(said);
    EXPECT_EQ(said->text.size(), kBotTextCodePointsMax);
}

TEST_F(RoomBotsTest, AnnouncesEveryNMinutesWithoutCatchingUp) {
    set(R"({"announcements":[{"text":"关注主播","every_min":10}]})");
    EXPECT_TRUE(due().empty());
    clock_.advance_ms(10 * 60'000 - 1);
    EXPECT_TRUE(due().empty());
    clock_.advance_ms(1);
    EXPECT_EQ(due(), std::vector<std::string>{"关注主播"});
    EXPECT_TRUE(due().empty());
    // An hour with nobody asking (a stalled loop): one announcement, not six.
    clock_.advance_ms(60 * 60'000);
    EXPECT_EQ(due().size(), 1U);
    EXPECT_TRUE(due().empty());
    clock_.advance_ms(10 * 60'000);
    EXPECT_EQ(due().size(), 1U);
}

TEST_F(RoomBotsTest, LiveOnlyAnnouncementsWaitForTheHost) {
    set(R"({"announcements":[{"text":"live","every_min":1,"live_only":true},{"text":"always","every_min":1}]})");
    clock_.advance_ms(60'000);
    EXPECT_EQ(due(false), std::vector<std::string>{"always"});
    EXPECT_EQ(bots_.counters().announcements_offline, 1U);
    clock_.advance_ms(60'000);
    EXPECT_EQ(due(true), (std::vector<std::string>{"live", "always"}));
}

TEST_F(RoomBotsTest, CronAnnouncementsFollowTheRoomsClock) {
    // 20:00 at UTC+8 is 12:00 UTC. The clock starts at 22:13:20 UTC on 2023-11-14.
    set(R"({"utc_offset_minutes":480,"announcements":[{"text":"八点档","cron":"0 20 * * *"}]})");
    const Millis next_noon_utc = 1'700'049'600'000;  // 2023-11-15T12:00:00Z
    clock_.advance_ms(next_noon_utc - kStart - 1);
    EXPECT_TRUE(due().empty());
    clock_.advance_ms(1);
    EXPECT_EQ(due(), std::vector<std::string>{"八点档"});
    clock_.advance_ms(59'000);
    EXPECT_TRUE(due().empty());
    clock_.advance_ms(24 * 3'600'000);
    EXPECT_EQ(due().size(), 1U);
}

TEST_F(RoomBotsTest, NewRulesStartAfreshAndEmptyRulesTurnTheBotOff) {
    set(R"({"replies":[{"pattern":"x","reply":"y","cooldown_s":600}],"announcements":[{"text":"a","every_min":5}]})");
    EXPECT_TRUE(bots_.reply(viewer(3, "a"), "x", clock_.steady_ms()));
    EXPECT_TRUE(bots_.scheduled());
    set(R"({"replies":[{"pattern":"x","reply":"z","cooldown_s":600}]})");
    EXPECT_FALSE(bots_.scheduled());
    EXPECT_EQ(bots_.reply(viewer(3, "a"), "x", clock_.steady_ms())->text, "z");
    set("{}");
    EXPECT_EQ(bots_.rules(), nullptr);
    EXPECT_FALSE(bots_.reply(viewer(3, "a"), "x", clock_.steady_ms()));
    EXPECT_FALSE(bots_.welcome(viewer(3, "a"), clock_.steady_ms()));
}

}  // namespace
}  // namespace barrage::bot
