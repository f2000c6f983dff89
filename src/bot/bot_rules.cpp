#include "bot/bot_rules.h"

#include <initializer_list>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "message/danmaku_rules.h"

namespace barrage::bot {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDaySeconds = 24 * 3600;

// Reads one rules body; the first problem found ends the parse.
class RulesReader {
public:
    std::optional<RulesError> error;

    bool fail(std::string field, std::string message) {
        if (!error) {
            error = RulesError{std::move(field), std::move(message)};
        }
        return false;
    }

    bool only_keys(const json::object& object, const std::string& where, std::initializer_list<std::string_view> keys) {
        for (const auto& [key, value] : object) {
            bool known = false;
            for (auto allowed : keys) {
                known = known || key == allowed;
            }
            if (!known) {
                return fail(where.empty() ? std::string(key) : where + "." + std::string(key), "unknown field");
            }
        }
        return true;
    }

    // Display text: what a danmaku may hold, at most `code_points` long.
    bool text(const json::object& object, const std::string& where, std::string_view key, std::size_t code_points,
              std::string& out) {
        const auto* value = object.if_contains(key);
        const std::string field = where + "." + std::string(key);
        if (value == nullptr || !value->is_string()) {
            return fail(field, "must be a string");
        }
        auto checked = message::check_danmaku_text(value->get_string(), {.code_points_max = code_points});
        if (!checked) {
            return fail(field,
                        fmt::format("must be 1 to {} code points of text without control characters", code_points));
        }
        out = std::move(*checked);
        return true;
    }

    // An optional integer in [low, high]; `out` keeps its default when absent.
    bool integer(const json::object& object, const std::string& where, std::string_view key, std::int64_t low,
                 std::int64_t high, std::int64_t& out) {
        const auto* value = object.if_contains(key);
        if (value == nullptr) {
            return true;
        }
        if (!value->is_int64() || value->get_int64() < low || value->get_int64() > high) {
            return fail(where + "." + std::string(key), fmt::format("must be an integer from {} to {}", low, high));
        }
        out = value->get_int64();
        return true;
    }

    bool boolean(const json::object& object, const std::string& where, std::string_view key, bool& out) {
        const auto* value = object.if_contains(key);
        if (value == nullptr) {
            return true;
        }
        if (!value->is_bool()) {
            return fail(where + "." + std::string(key), "must be true or false");
        }
        out = value->get_bool();
        return true;
    }

    const json::object* object_at(const json::value& value, const std::string& where) {
        if (!value.is_object()) {
            fail(where, "must be an object");
            return nullptr;
        }
        return &value.get_object();
    }

    const json::array* array_of(const json::object& object, std::string_view key, std::size_t max) {
        const auto* value = object.if_contains(key);
        if (value == nullptr) {
            return nullptr;
        }
        if (!value->is_array()) {
            fail(std::string(key), "must be an array");
            return nullptr;
        }
        if (value->get_array().size() > max) {
            fail(std::string(key), fmt::format("at most {} entries", max));
            return nullptr;
        }
        return &value->get_array();
    }

    bool welcome(const json::value& value, BotRules& rules) {
        if (value.is_null()) {
            return true;
        }
        const auto* object = object_at(value, "welcome");
        if (object == nullptr || !only_keys(*object, "welcome", {"text", "user_cooldown_s", "gap_s"})) {
            return false;
        }
        Welcome welcome;
        std::int64_t cooldown_s = welcome.user_cooldown_ms / 1000;
        std::int64_t gap_s = welcome.gap_ms / 1000;
        if (!text(*object, "welcome", "text", kBotTextCodePointsMax, welcome.text) ||
            !integer(*object, "welcome", "user_cooldown_s", 0, kDaySeconds, cooldown_s) ||
            !integer(*object, "welcome", "gap_s", kWelcomeGapMinMs / 1000, 3600, gap_s)) {
            return false;
        }
        welcome.user_cooldown_ms = cooldown_s * 1000;
        welcome.gap_ms = gap_s * 1000;
        rules.welcome = std::move(welcome);
        return true;
    }

    bool replies(const json::array& list, BotRules& rules, std::vector<Trigger>& triggers) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string where = fmt::format("replies[{}]", i);
            const auto* object = object_at(list[i], where);
            if (object == nullptr || !only_keys(*object, where, {"match", "pattern", "reply", "cooldown_s"})) {
                return false;
            }
            AutoReply reply;
            if (const auto* match = object->if_contains("match")) {
                const auto kind = match->is_string() ? parse_match_kind(match->get_string()) : std::nullopt;
                if (!kind) {
                    return fail(where + ".match", "must be \"exact\", \"contains\" or \"regex\"");
                }
                reply.trigger.kind = *kind;
            }
            const auto* pattern = object->if_contains("pattern");
            if (pattern == nullptr || !pattern->is_string()) {
                return fail(where + ".pattern", "must be a string");
            }
            reply.trigger.pattern = std::string(pattern->get_string());
            std::int64_t cooldown_s = reply.cooldown_ms / 1000;
            if (!text(*object, where, "reply", kBotTextCodePointsMax, reply.reply) ||
                !integer(*object, where, "cooldown_s", 0, kDaySeconds, cooldown_s)) {
                return false;
            }
            reply.cooldown_ms = cooldown_s * 1000;
            triggers.push_back(reply.trigger);
            rules.replies.push_back(std::move(reply));
        }
        return true;
    }

    bool announcements(const json::array& list, BotRules& rules) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string where = fmt::format("announcements[{}]", i);
            const auto* object = object_at(list[i], where);
            if (object == nullptr || !only_keys(*object, where, {"text", "every_min", "cron", "live_only"})) {
                return false;
            }
            Announcement announcement;
            if (!text(*object, where, "text", kBotTextCodePointsMax, announcement.text) ||
                !boolean(*object, where, "live_only", announcement.live_only)) {
                return false;
            }
            const auto* cron = object->if_contains("cron");
            const bool every = object->contains("every_min");
            if ((cron != nullptr) == every) {
                return fail(where, "needs exactly one of every_min and cron");
            }
            if (every) {
                std::int64_t minutes = 0;
                if (!integer(*object, where, "every_min", 1, 24 * 60, minutes)) {
                    return false;
                }
                announcement.every_ms = minutes * 60'000;
            } else {
                if (!cron->is_string()) {
                    return fail(where + ".cron", "must be a string");
                }
                auto parsed = CronSchedule::parse(cron->get_string());
                if (!parsed) {
                    return fail(where + ".cron",
                                fmt::format("byte {}: {}", parsed.error().position, parsed.error().message));
                }
                announcement.cron = std::move(*parsed);
            }
            rules.announcements.push_back(std::move(announcement));
        }
        return true;
    }
};

}  // namespace

RulesResult parse_bot_rules(std::string_view json_body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(json_body, ec);
    if (ec || !parsed.is_object()) {
        return RulesError{"", "the body must be a JSON object"};
    }
    const auto& body = parsed.get_object();
    RulesReader reader;
    auto rules = std::make_shared<BotRules>();
    std::vector<Trigger> triggers;
    bool ok = reader.only_keys(body, "", {"name", "utc_offset_minutes", "welcome", "replies", "announcements"});
    if (ok && body.contains("name")) {
        ok = reader.text(body, "", "name", kBotNameCodePointsMax, rules->name);
    }
    std::int64_t offset = rules->utc_offset_minutes;
    ok = ok && reader.integer(body, "", "utc_offset_minutes", -12 * 60, 14 * 60, offset);
    rules->utc_offset_minutes = static_cast<int>(offset);
    if (const auto* welcome = body.if_contains("welcome"); ok && welcome != nullptr) {
        ok = reader.welcome(*welcome, *rules);
    }
    if (ok) {
        if (const auto* list = reader.array_of(body, "replies", kTriggersMax)) {
            ok = reader.replies(*list, *rules, triggers);
        }
    }
    if (ok) {
        if (const auto* list = reader.array_of(body, "announcements", kAnnouncementsMax)) {
            ok = reader.announcements(*list, *rules);
        }
    }
    if (reader.error) {
        // Fields were read as "where.key" with an empty top-level "where": drop the lone dot.
        auto error = std::move(*reader.error);
        if (error.field.starts_with('.')) {
            error.field.erase(0, 1);
        }
        return error;
    }
    auto matcher = ReplyMatcher::compile(std::move(triggers));
    if (!matcher) {
        const auto& failed = matcher.error();
        return RulesError{fmt::format("replies[{}].pattern", failed.trigger),
                          fmt::format("byte {}: {}", failed.position, failed.message)};
    }
    rules->matcher = std::move(*matcher);
    return std::shared_ptr<const BotRules>(std::move(rules));
}

json::object bot_rules_json(const BotRules& rules) {
    json::object out{{"name", rules.name}, {"utc_offset_minutes", rules.utc_offset_minutes}};
    if (rules.welcome) {
        out["welcome"] = json::object{{"text", rules.welcome->text},
                                      {"user_cooldown_s", rules.welcome->user_cooldown_ms / 1000},
                                      {"gap_s", rules.welcome->gap_ms / 1000}};
    } else {
        out["welcome"] = nullptr;
    }
    json::array replies;
    for (const auto& reply : rules.replies) {
        replies.push_back(json::object{{"match", to_string(reply.trigger.kind)},
                                       {"pattern", reply.trigger.pattern},
                                       {"reply", reply.reply},
                                       {"cooldown_s", reply.cooldown_ms / 1000}});
    }
    out["replies"] = std::move(replies);
    json::array announcements;
    for (const auto& announcement : rules.announcements) {
        json::object entry{{"text", announcement.text}, {"live_only", announcement.live_only}};
        if (announcement.cron) {
            entry["cron"] = announcement.cron->text();
        } else {
            entry["every_min"] = announcement.every_ms / 60'000;
        }
        announcements.push_back(std::move(entry));
    }
    out["announcements"] = std::move(announcements);
    return out;
}

}  // namespace barrage::bot
