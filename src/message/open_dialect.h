#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "message/room_message.h"

namespace barrage::message {

// Who a room's open-platform pushes are for: the app whose games run in the room now (a room
// runs one app's games at a time) and what that app may know of the streamer. Every user in
// these pushes is named by an open_id for this app, never by uid.
struct OpenAudience {
    std::int64_t app_id = 0;
    std::string open_id_key;  // the server's secret behind every open_id
    std::string anchor_open_id;
    std::string anchor_name;
    std::string anchor_face;
};

// A user's open_id for an app: 32 hex digits of HMAC-SHA256(key, "app:uid"). Stable per (app,
// user), different between apps, and no app can turn it back into the uid.
std::string open_id_of(std::string_view key, std::int64_t app_id, UserId uid);

// Appends the LIVE_OPEN_PLATFORM_* body spelling `message` for `audience` (PROTOCOL.md §4):
// danmaku → DM, gift → SEND_GIFT (an interactive gift only to its own app), super chat →
// SUPER_CHAT, its removal → SUPER_CHAT_DEL, guard → GUARD, enter → LIVE_ROOM_ENTER, going live
// or stopping → LIVE_START / LIVE_END, and a
// resume gap → BARRAGE_HISTORY_GAP. Other kinds have no open-platform spelling and append
// nothing. Sequenced bodies carry the room's sequence as a root-level "seq" (Barrage's own;
// Bilibili's clients ignore it) so a game can resume with last_seq.
void encode_open_platform(const RoomMessage& message, const OpenAudience& audience, std::vector<std::string>& bodies);

// LIVE_OPEN_PLATFORM_INTERACTION_END {game_id, timestamp}: the last push a game's connection
// receives.
std::string interaction_end_body(std::string_view game_id, std::int64_t timestamp_s);

}  // namespace barrage::message
