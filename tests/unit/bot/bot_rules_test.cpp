#include "bot/bot_rules.h"

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace barrage::bot {
namespace {

RulesError refusal(std::string_view body) {
    auto parsed = parse_bot_rules(body);
    EXPECT_FALSE(parsed.has_value()) << body;
    return parsed ? RulesError{} : parsed.error();
}

TEST(BotRules, ParsesEveryPartWithDefaults) {
    auto parsed = parse_bot_rules(R"json({
        "name": "小助手", "utc_offset_minutes": 480,
        "welcome": {"text": "欢迎 {name}"},
        "replies": [{"pattern": "几点", "reply": "八点"},
                    {"match": "regex", "pattern": "^!(song|歌)", "reply": "歌单见简介", "cooldown_s": 5}],
        "announcements": [{"text": "关注", "every_min": 15, "live_only": true}, {"text": "晚安", "cron": "0 23 * * *"}]
    })json");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().field << ": " << parsed.error().message;
    const auto& rules = **parsed;
    EXPECT_EQ(rules.utc_offset_minutes, 480);
    ASSERT_TRUE(rules.welcome);
    EXPECT_EQ(rules.welcome->user_cooldown_ms, 600'000);
    EXPECT_EQ(rules.welcome->gap_ms, 2'000);
    ASSERT_EQ(rules.replies.size(), 2U);
    EXPECT_EQ(rules.replies[0].trigger.kind, MatchKind::contains);
    EXPECT_EQ(rules.replies[0].cooldown_ms, 30'000);
    EXPECT_EQ(rules.replies[1].trigger.kind, MatchKind::regex);
    EXPECT_EQ(rules.replies[1].cooldown_ms, 5'000);
    ASSERT_EQ(rules.announcements.size(), 2U);
    EXPECT_EQ(rules.announcements[0].every_ms, 15 * 60'000);
    EXPECT_TRUE(rules.announcements[0].live_only);
    ASSERT_TRUE(rules.announcements[1].cron);
    EXPECT_FALSE(rules.announcements[1].live_only);
}

TEST(BotRules, RoundTripsThroughItsJson) {
    const std::string body =
        R"({"name":"bot","utc_offset_minutes":-300,"welcome":{"text":"hi {name}","user_cooldown_s":60,"gap_s":5},)"
        R"("replies":[{"match":"exact","pattern":"!a","reply":"b","cooldown_s":0}],)"
        R"("announcements":[{"text":"t","live_only":false,"cron":"*/15 9-17 * * 1-5"},)"
        R"({"text":"u","live_only":true,"every_min":3}]})";
    auto first = parse_bot_rules(body);
    ASSERT_TRUE(first.has_value());
    const auto text = boost::json::serialize(bot_rules_json(**first));
    auto second = parse_bot_rules(text);
    ASSERT_TRUE(second.has_value()) << text;
    EXPECT_EQ(boost::json::serialize(bot_rules_json(**second)), text);
    EXPECT_EQ(boost::json::parse(text), boost::json::parse(body));
}

TEST(BotRules, AnEmptyBodyIsABotThatSaysNothing) {
    auto parsed = parse_bot_rules("{}");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE((*parsed)->empty());
}

TEST(BotRules, RefusesWhatItCannotFollowAndSaysWhere) {
    EXPECT_EQ(refusal("[]").message, "the body must be a JSON object");
    EXPECT_EQ(refusal("{").message, "the body must be a JSON object");
    EXPECT_EQ(refusal(R"({"colour":1})").field, "colour");
    EXPECT_EQ(refusal(R"({"name":""})").field, "name");
    EXPECT_EQ(refusal(R"({"name":"seventeen-letters"})").field, "name");
    EXPECT_EQ(refusal(R"({"utc_offset_minutes":900})").field, "utc_offset_minutes");
    EXPECT_EQ(refusal(R"({"welcome":{"text":"a\u0007b"}})").field, "welcome.text");
    EXPECT_EQ(refusal(R"({"welcome":{"text":"hi","gap_s":0}})").field, "welcome.gap_s");
    EXPECT_EQ(refusal(R"({"welcome":{"text":"hi","extra":1}})").field, "welcome.extra");
    EXPECT_EQ(refusal(R"({"replies":[{"match":"fuzzy","pattern":"a","reply":"b"}]})").field, "replies[0].match");
    EXPECT_EQ(refusal(R"({"replies":[{"pattern":"a"}]})").field, "replies[0].reply");
    EXPECT_EQ(refusal(R"({"replies":[{"pattern":"a","reply":"b","cooldown_s":-1}]})").field, "replies[0].cooldown_s");
    EXPECT_EQ(refusal(R"({"announcements":[{"text":"a"}]})").field, "announcements[0]");
    EXPECT_EQ(refusal(R"({"announcements":[{"text":"a","every_min":5,"cron":"* * * * *"}]})").field,
              "announcements[0]");
    EXPECT_EQ(refusal(R"({"announcements":[{"text":"a","every_min":0}]})").field, "announcements[0].every_min");
    const auto cron = refusal(R"({"announcements":[{"text":"a","cron":"0 25 * * *"}]})");
    EXPECT_EQ(cron.field, "announcements[0].cron");
    EXPECT_NE(cron.message.find("byte 2"), std::string::npos) << cron.message;
    // A regex that does not compile names its rule; the rules before it do not count.
    const auto regex =
        refusal(R"({"replies":[{"pattern":"ok","reply":"b"},{"match":"regex","pattern":"(unclosed","reply":"b"}]})");
    EXPECT_EQ(regex.field, "replies[1].pattern");
}

TEST(BotRules, BoundsItsLists) {
    std::string replies = R"({"replies":[)";
    for (std::size_t i = 0; i <= kTriggersMax; ++i) {
        replies += (i ? "," : "") + std::string(R"({"pattern":"p","reply":"r"})");
    }
    replies += "]}";
    EXPECT_EQ(refusal(replies).field, "replies");
    std::string announcements = R"({"announcements":[)";
    for (std::size_t i = 0; i <= kAnnouncementsMax; ++i) {
        announcements += (i ? "," : "") + std::string(R"({"text":"t","every_min":5})");
    }
    announcements += "]}";
    EXPECT_EQ(refusal(announcements).field, "announcements");
}

}  // namespace
}  // namespace barrage::bot
