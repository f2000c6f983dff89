#pragma once

#include <cstddef>
#include <string_view>

#include "base/limits.h"
#include "base/result.h"
#include "message/room_message.h"

namespace barrage::message {

struct DanmakuRules {
    std::size_t code_points_max = limits::kDanmakuCodePointsMax;
    std::uint8_t fontsize_min = 12;
    std::uint8_t fontsize_max = 64;
};

// Parses a send body {"msg":"...","color":N,"mode":1|4|5,"fontsize":N} (all but msg optional)
// and validates it: Errc::bad_request (not JSON / msg not a string / fields of the wrong kind),
// Errc::bad_utf8, Errc::message_empty, Errc::message_too_long, Errc::unknown_mode,
// Errc::bad_color, Errc::bad_fontsize.
Result<Danmaku> parse_danmaku(std::string_view json_body, const DanmakuRules& rules);

}  // namespace barrage::message
