// The web dialect's moderation cmds: every action as BARRAGE_MODERATION (message/
// moderation_json.h), and where Bilibili has a cmd of its own, that too, shaped as its live
// servers send it (PROTOCOL.md §5) so blivedm, bilibili-live-ws and blive-message-listener
// clients react: ROOM_BLOCK_MSG for mutes and bans, ROOM_SILENT_ON/OFF for the room mute and
// the minimum-level chat mode, room_admin_entrance / ROOM_ADMIN_REVOKE and ROOM_ADMINS for
// managers, WARNING and CUT_OFF for the operator's actions.

#include <boost/json.hpp>

#include "message/moderation_json.h"
#include "message/web_dialect_parts.h"

namespace barrage::message::detail::web {

namespace json = boost::json;

namespace {

// ROOM_BLOCK_MSG's operator: 1 a manager (房管), 2 the streamer or the platform.
int operator_of(Role role) {
    return role >= Role::host ? 2 : 1;
}

std::int64_t silent_second(Millis until_ms) {
    return until_ms == 0 ? -1 : seconds_of(until_ms);
}

json::array uid_list(const std::vector<UserId>& uids) {
    json::array out;
    for (const auto uid : uids) {
        out.emplace_back(uid.value);
    }
    return out;
}

}  // namespace

void encode_moderation(const RoomMessage& message, const Moderation& moderation, std::vector<std::string>& bodies) {
    const auto seq = message.sequence;
    const auto room = message.room.value;
    switch (moderation.kind) {
        case ModerationKind::mute:
        case ModerationKind::ban:
            append(bodies, json::object{{"cmd", "ROOM_BLOCK_MSG"},
                                        {"seq", seq},
                                        {"uid", std::to_string(moderation.target.value)},
                                        {"uname", moderation.target_name},
                                        {"data", json::object{{"uid", moderation.target.value},
                                                              {"uname", moderation.target_name},
                                                              {"operator", operator_of(message.sender.role)},
                                                              {"dmscore", 30},
                                                              {"block_expired", seconds_of(moderation.until_ms)}}}});
            break;
        case ModerationKind::room_mute:
            append(bodies, json::object{{"cmd", "ROOM_SILENT_ON"},
                                        {"seq", seq},
                                        {"data", json::object{{"type", "member"},
                                                              {"level", 0},
                                                              {"second", silent_second(moderation.until_ms)}}}});
            break;
        case ModerationKind::room_unmute:
            append(bodies, json::object{{"cmd", "ROOM_SILENT_OFF"},
                                        {"seq", seq},
                                        {"data", json::object{{"type", ""}, {"level", 0}, {"second", 0}}}});
            break;
        case ModerationKind::chat_mode:
            if (moderation.modes.min_level > 0) {
                append(bodies, json::object{{"cmd", "ROOM_SILENT_ON"},
                                            {"seq", seq},
                                            {"data", json::object{{"type", "level"},
                                                                  {"level", moderation.modes.min_level},
                                                                  {"second", -1}}}});
            }
            break;
        case ModerationKind::managers:
            if (moderation.appointed) {
                append(bodies, json::object{{"cmd", "room_admin_entrance"},
                                            {"seq", seq},
                                            {"uid", moderation.target.value},
                                            {"level", 1},
                                            {"msg", "系统提示：你已被主播设为房管"}});
            } else {
                append(bodies, json::object{{"cmd", "ROOM_ADMIN_REVOKE"},
                                            {"seq", seq},
                                            {"uid", moderation.target.value},
                                            {"msg", "撤销房管"}});
            }
            append(bodies, json::object{{"cmd", "ROOM_ADMINS"}, {"seq", seq}, {"uids", uid_list(moderation.managers)}});
            break;
        case ModerationKind::warning:
        case ModerationKind::cut_off:
            append(bodies, json::object{{"cmd", moderation.kind == ModerationKind::warning ? "WARNING" : "CUT_OFF"},
                                        {"seq", seq},
                                        {"msg", moderation.reason},
                                        {"roomid", room}});
            break;
        case ModerationKind::unmute:
        case ModerationKind::unban:
        case ModerationKind::kick:
        case ModerationKind::message_delete: break;  // Bilibili has no cmd: BARRAGE_MODERATION only
    }
    append(bodies,
           json::object{
               {"cmd", "BARRAGE_MODERATION"}, {"seq", seq}, {"roomid", room}, {"data", moderation_data(moderation)}});
}

}  // namespace barrage::message::detail::web
