#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "bot/bot_rules.h"
#include "bot/reply_matcher.h"
#include "message/room_message.h"
#include "room/room.h"
#include "room/room_extension.h"

namespace barrage::bot {

// What a room's bot said and held back since the rules were set (GET .../bots, /metrics).
struct BotCounters {
    std::uint64_t welcomes = 0;
    std::uint64_t welcomes_skipped = 0;  // a viewer entered within the gap or their cool-down
    std::uint64_t replies = 0;
    std::uint64_t replies_cooling = 0;  // a trigger matched while its rule was cooling down
    std::uint64_t announcements = 0;
    std::uint64_t announcements_offline = 0;  // came due while the host was not live (live_only)
};

// A room's built-in bot on its home loop: the rules it follows and what it remembers to follow
// them (whom it greeted and when, when each reply rule last answered, when each announcement
// is next due). Owner thread only, like the room it lives in.
//
// Times: cool-downs and "every N minutes" run on the steady clock, cron schedules on the wall
// clock (they name times of day). The caller passes both.
class RoomBots final : public room::RoomExtension {
public:
    static RoomBots& of(room::Room& room) {
        return room.extension<RoomBots>([] { return std::make_unique<RoomBots>(); });
    }
    static RoomBots* find(room::Room& room) { return room.find_extension<RoomBots>(); }

    // Replaces the rules (null or empty: the bot is off). Cool-downs and greetings start
    // afresh; announcements count from now.
    void set_rules(std::shared_ptr<const BotRules> rules, Millis steady_ms, Millis wall_ms);
    const std::shared_ptr<const BotRules>& rules() const { return rules_; }
    bool scheduled() const { return rules_ && !rules_->announcements.empty(); }

    // Who the bot speaks as: uid 0 (no user is behind it), the configured name, role bot.
    message::Sender speaker() const;

    // The welcome for `viewer` entering now, if one is due.
    std::optional<message::Danmaku> welcome(const message::Sender& viewer, Millis steady_ms);
    // The auto-reply to `text` that `author` sent, if a rule matches and is not cooling down.
    // Bots are never answered, so two bots cannot talk to each other forever.
    std::optional<message::Danmaku> reply(const message::Sender& author, std::string_view text, Millis steady_ms);
    // Appends the announcements that came due to `out`; `live`: whether the host is live now.
    void due_announcements(Millis steady_ms, Millis wall_ms, bool live, std::vector<message::Danmaku>& out);

    const BotCounters& counters() const { return counters_; }

private:
    message::Danmaku say(std::string_view text, const message::Sender* about) const;
    Millis next_due(const Announcement& announcement, Millis steady_ms, Millis wall_ms) const;

    std::shared_ptr<const BotRules> rules_;
    // Whom the welcome greeted, and when (steady). Only greeted viewers are remembered, and
    // welcomes are at least kWelcomeGapMinMs apart, so this holds at most a cool-down's worth
    // of greetings (a day at one a second: 86,400); older ones are pruned as it doubles.
    std::unordered_map<UserId, Millis> greeted_;
    std::size_t prune_at_ = 1024;
    std::optional<Millis> last_welcome_ms_;
    std::vector<std::optional<Millis>> answered_ms_;  // per reply rule
    std::vector<Millis> due_ms_;                      // per announcement (steady or wall, by kind)
    std::unique_ptr<MatchScratch> scratch_;           // made by the first reply() that scans
    std::vector<std::uint32_t> hits_;
    BotCounters counters_;
};

}  // namespace barrage::bot
