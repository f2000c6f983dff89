#pragma once

// A room's built-in bot as the host configured it: a welcome for viewers who enter, keyword
// auto-replies and scheduled announcements. Parsed and compiled once, off the I/O loops, into
// an immutable value that the room's home loop then only reads (RoomBots).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include "base/clock.h"
#include "bot/cron_schedule.h"
#include "bot/reply_matcher.h"

namespace barrage::bot {

// Announcements in one room: a handful of reminders; more is spam, not a schedule.
inline constexpr std::size_t kAnnouncementsMax = 20;
// The bot's name, in code points: Bilibili's user names are at most 16.
inline constexpr std::size_t kBotNameCodePointsMax = 16;
// Code points of a welcome, reply or announcement after "{name}" is filled in: the longest
// danmaku Barrage accepts by default (limits::kDanmakuCodePointsMax). Longer is cut.
inline constexpr std::size_t kBotTextCodePointsMax = 100;
// The shortest time between two welcomes in a room: a room that 50 viewers enter each second
// gets one greeting a second, not a wall of them.
inline constexpr Millis kWelcomeGapMinMs = 1000;

struct Welcome {
    std::string text;  // "{name}" is the entering viewer's name
    // A viewer is greeted at most once per this (reconnects are not new visitors).
    Millis user_cooldown_ms = 600'000;
    // At most one welcome per this in the room; viewers entering in between are not greeted.
    Millis gap_ms = 2'000;
};

struct AutoReply {
    Trigger trigger;
    std::string reply;  // "{name}" is the asker's name; sent as a reply to them
    // The rule answers at most once per this in the room (a question asked by ten viewers at
    // once gets one answer).
    Millis cooldown_ms = 30'000;
};

struct Announcement {
    std::string text;
    // Exactly one of the two: every N ms from when the rules were set, or a cron schedule.
    Millis every_ms = 0;
    std::optional<CronSchedule> cron{};
    bool live_only = false;  // said only while the host is live
};

struct BotRules {
    std::string name = "小助手";
    // The cron schedules' clock: minutes ahead of UTC (480 for China).
    int utc_offset_minutes = 0;
    std::optional<Welcome> welcome{};
    std::vector<AutoReply> replies{};
    std::shared_ptr<const ReplyMatcher> matcher{};  // the replies' triggers, compiled
    std::vector<Announcement> announcements{};

    bool empty() const { return !welcome && replies.empty() && announcements.empty(); }
};

// Why a body did not make rules: the field (a JSON path such as "replies[2].pattern") and a
// message that says what is wrong and, for patterns, where.
struct RulesError {
    std::string field;
    std::string message;
};

[[noreturn]] inline void throw_exception_from_error(const RulesError& error, const boost::source_location&) {
    throw std::invalid_argument(error.field + ": " + error.message);
}

using RulesResult = boost::system::result<std::shared_ptr<const BotRules>, RulesError>;

// Parses and compiles a rules body (docs/bots.md): refuses unknown fields, wrong types, values
// out of range and patterns or cron expressions that do not compile. Compiling regexes costs
// milliseconds: call it off the I/O loops.
RulesResult parse_bot_rules(std::string_view json_body);

// The rules as a JSON object in the shape parse_bot_rules reads (what is stored and listed).
boost::json::object bot_rules_json(const BotRules& rules);

}  // namespace barrage::bot
