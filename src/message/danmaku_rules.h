#pragma once

#include <cstddef>
#include <string_view>

#include <boost/json/object.hpp>

#include "base/limits.h"
#include "base/result.h"
#include "message/room_message.h"

namespace barrage::message {

// A reply's "reply_to.name": Bilibili names are at most 16 code points; 64 bytes holds that in
// any script.
inline constexpr std::size_t kReplyNameBytesMax = 64;

struct DanmakuRules {
    std::size_t code_points_max = limits::kDanmakuCodePointsMax;
    std::uint8_t fontsize_min = 12;
    std::uint8_t fontsize_max = 64;
};

// Parses a send body {"msg":"...","color":N,"mode":1|4|5,"fontsize":N,"reply_to":{"uid":N,"name":"..."}}
// (all but msg optional)
// and validates it: Errc::bad_request (not JSON / msg not a string / fields of the wrong kind),
// Errc::bad_utf8, Errc::message_empty, Errc::message_too_long, Errc::unknown_mode,
// Errc::bad_color, Errc::bad_fontsize.
Result<Danmaku> parse_danmaku(std::string_view json_body, const DanmakuRules& rules);

// The steps of parse_danmaku, for callers that parse a body once and read more from it (the
// send path: gateway::parse_send_body):
// - the body as a JSON object: Errc::bad_request when it is not one, Errc::bad_utf8 when a lone
//   UTF-16 surrogate escape is why (clients that cut text in UTF-16 units split emoji so);
//   invalid UTF-8 inside strings is left to the fields' own checks;
// - the danmaku fields of that object;
// - the text rules alone (a super chat's message obeys them too): bad_utf8, bad_request for
//   control characters, message_empty for blank text, message_too_long.
Result<boost::json::object> parse_send_object(std::string_view json_body);
Result<Danmaku> danmaku_from(const boost::json::object& body, const DanmakuRules& rules);
Result<std::string> check_danmaku_text(std::string_view text, const DanmakuRules& rules);

}  // namespace barrage::message
