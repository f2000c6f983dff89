#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "message/room_message.h"

namespace barrage::message {

// How a connection wants room messages spelled, chosen at auth.
//  web            Bilibili live-room cmds (DANMU_MSG, INTERACT_WORD, ONLINE_RANK_COUNT, ...)
//  native         Barrage's own JSON: {"cmd":"danmaku","seq":..,"room":..,"user":{..},..}
//  open_platform  LIVE_OPEN_PLATFORM_* cmds for a game (message/open_dialect.h: needs its app)
enum class Dialect : std::uint8_t { web = 0, native = 1, open_platform = 2 };
inline constexpr std::size_t kDialectCount = 3;

std::string_view to_string(Dialect dialect);
std::optional<Dialect> parse_dialect(std::string_view text);

// Appends the JSON push bodies (each an object with a string "cmd") that spell `message`
// in `dialect`. Usually one; the web dialect spells an OnlineCount as two
// (ONLINE_RANK_COUNT and WATCHED_CHANGE). A dialect that has no spelling appends nothing.
// Sequenced messages carry their sequence as a root-level "seq" in every dialect.
void encode_message(Dialect dialect, const RoomMessage& message, std::vector<std::string>& bodies);

}  // namespace barrage::message
