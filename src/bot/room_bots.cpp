#include "bot/room_bots.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "base/utf8.h"

namespace barrage::bot {

namespace {

constexpr std::string_view kNameField = "{name}";
constexpr Millis kNever = std::numeric_limits<Millis>::max();

// `text` cut to at most `code_points` whole code points (text is valid UTF-8).
void cut_to(std::string& text, std::size_t code_points) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80 && seen++ == code_points) {
            text.resize(i);
            return;
        }
    }
}

}  // namespace

void RoomBots::set_rules(std::shared_ptr<const BotRules> rules, Millis steady_ms, Millis wall_ms) {
    rules_ = rules && !rules->empty() ? std::move(rules) : nullptr;
    greeted_.clear();
    prune_at_ = 1024;
    last_welcome_ms_.reset();
    answered_ms_.assign(rules_ ? rules_->replies.size() : 0, std::nullopt);
    due_ms_.clear();
    if (rules_) {
        for (const auto& announcement : rules_->announcements) {
            due_ms_.push_back(next_due(announcement, steady_ms, wall_ms));
        }
    }
    counters_ = {};
}

message::Sender RoomBots::speaker() const {
    message::Sender bot;
    bot.name = rules_ ? rules_->name : std::string();
    bot.role = message::Role::bot;
    return bot;
}

message::Danmaku RoomBots::say(std::string_view text, const message::Sender* about) const {
    std::string said;
    said.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (about != nullptr && text.substr(at).starts_with(kNameField)) {
            said += about->name;
            at += kNameField.size();
        } else {
            said += text[at++];
        }
    }
    cut_to(said, kBotTextCodePointsMax);
    message::Danmaku danmaku{.text = std::move(said)};
    return danmaku;
}

Millis RoomBots::next_due(const Announcement& announcement, Millis steady_ms, Millis wall_ms) const {
    if (announcement.cron) {
        // A schedule with no next minute within its search bound never comes due.
        return announcement.cron->next_after(wall_ms, rules_->utc_offset_minutes).value_or(kNever);
    }
    return steady_ms + announcement.every_ms;
}

std::optional<message::Danmaku> RoomBots::welcome(const message::Sender& viewer, Millis steady_ms) {
    if (!rules_ || !rules_->welcome || viewer.uid.value == 0) {
        return std::nullopt;
    }
    const auto& rule = *rules_->welcome;
    const auto greeted = greeted_.find(viewer.uid);
    if ((last_welcome_ms_ && steady_ms - *last_welcome_ms_ < rule.gap_ms) ||
        (greeted != greeted_.end() && steady_ms - greeted->second < rule.user_cooldown_ms)) {
        ++counters_.welcomes_skipped;
        return std::nullopt;
    }
    last_welcome_ms_ = steady_ms;
    greeted_[viewer.uid] = steady_ms;
    if (greeted_.size() >= prune_at_) {
        std::erase_if(greeted_, [&](const auto& entry) { return steady_ms - entry.second >= rule.user_cooldown_ms; });
        prune_at_ = std::max<std::size_t>(1024, greeted_.size() * 2);
    }
    ++counters_.welcomes;
    return say(rule.text, &viewer);
}

std::optional<message::Danmaku> RoomBots::reply(const message::Sender& author, std::string_view text,
                                                Millis steady_ms) {
    if (!rules_ || rules_->replies.empty() || author.role == message::Role::bot) {
        return std::nullopt;
    }
    if (!scratch_) {
        // Made here, on the home loop that scans with it (rules may be set on the main thread
        // at start-up).
        scratch_ = std::make_unique<MatchScratch>();
    }
    rules_->matcher->matches(text, *scratch_, hits_);
    for (const std::uint32_t rule : hits_) {
        auto& answered = answered_ms_[rule];
        if (answered && steady_ms - *answered < rules_->replies[rule].cooldown_ms) {
            ++counters_.replies_cooling;
            continue;
        }
        answered = steady_ms;
        ++counters_.replies;
        auto danmaku = say(rules_->replies[rule].reply, &author);
        danmaku.reply_uid = author.uid;
        danmaku.reply_name = author.name;
        return danmaku;
    }
    return std::nullopt;
}

void RoomBots::due_announcements(Millis steady_ms, Millis wall_ms, bool live, std::vector<message::Danmaku>& out) {
    if (!rules_) {
        return;
    }
    for (std::size_t i = 0; i < due_ms_.size(); ++i) {
        const auto& announcement = rules_->announcements[i];
        const Millis now = announcement.cron ? wall_ms : steady_ms;
        if (now < due_ms_[i]) {
            continue;
        }
        // The next time counts from now: a loop that was busy, or a host who was offline, does
        // not get a burst of the announcements it missed.
        due_ms_[i] = next_due(announcement, steady_ms, wall_ms);
        if (announcement.live_only && !live) {
            ++counters_.announcements_offline;
            continue;
        }
        ++counters_.announcements;
        out.push_back(say(announcement.text, nullptr));
    }
}

}  // namespace barrage::bot
