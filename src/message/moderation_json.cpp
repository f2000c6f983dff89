#include "message/moderation_json.h"

#include <boost/json/array.hpp>

namespace barrage::message {

std::string_view action_name(ModerationKind kind) {
    switch (kind) {
        case ModerationKind::mute: return "mute";
        case ModerationKind::unmute: return "unmute";
        case ModerationKind::ban: return "ban";
        case ModerationKind::unban: return "unban";
        case ModerationKind::kick: return "kick";
        case ModerationKind::room_mute: return "room_mute";
        case ModerationKind::room_unmute: return "room_unmute";
        case ModerationKind::chat_mode: return "chat_mode";
        case ModerationKind::managers: return "managers";
        case ModerationKind::message_delete: return "message_delete";
        case ModerationKind::warning: return "warning";
        case ModerationKind::cut_off: return "cut_off";
    }
    return "unknown";
}

boost::json::object moderation_data(const Moderation& moderation) {
    boost::json::array managers;
    for (const auto uid : moderation.managers) {
        managers.emplace_back(uid.value);
    }
    const auto& modes = moderation.modes;
    return boost::json::object{
        {"action", action_name(moderation.kind)},
        {"target", boost::json::object{{"uid", moderation.target.value}, {"name", moderation.target_name}}},
        {"until_ms", moderation.until_ms},
        {"reason", moderation.reason},
        {"global", moderation.global},
        {"appointed", moderation.appointed},
        {"managers", std::move(managers)},
        {"message", moderation.message},
        {"modes", boost::json::object{{"slow_s", modes.slow_s},
                                      {"followers_only_min", modes.followers_only_min},
                                      {"guards_only", modes.guards_only},
                                      {"min_level", modes.min_level}}},
    };
}

}  // namespace barrage::message
