#pragma once

// A moderation event's fields as JSON, shared by the native dialect ("moderation") and the web
// dialect's own BARRAGE_MODERATION, which carries every action (Bilibili's own cmds cover only
// some: ROOM_BLOCK_MSG, ROOM_SILENT_*, ROOM_ADMINS, WARNING, CUT_OFF).
//
//   {"action": "mute"|"unmute"|"ban"|"unban"|"kick"|"room_mute"|"room_unmute"|"chat_mode"|
//              "managers"|"message_delete"|"warning"|"cut_off",
//    "target": {"uid": int, "name": str},   (0 and "" for room-wide actions)
//    "until_ms": int (wall clock; 0 = until lifted), "reason": str, "global": bool,
//    "appointed": bool, "managers": [uid, ...], "message": seq (message_delete),
//    "modes": {"slow_s": int, "followers_only_min": int (-1 off), "guards_only": bool,
//              "min_level": int}}

#include <string_view>

#include <boost/json/object.hpp>

#include "message/room_message.h"

namespace barrage::message {

std::string_view action_name(ModerationKind kind);
boost::json::object moderation_data(const Moderation& moderation);

}  // namespace barrage::message
