#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "base/result.h"
#include "message/custom_schema.h"
#include "message/danmaku_rules.h"
#include "message/room_message.h"

namespace barrage::message {

// Taps in one like batch: a client that batches every 300 ms at an auto-clicker's pace sends
// a few hundred; more in one body is a mistake or a lie (Errc::bad_count).
inline constexpr std::uint32_t kLikeTapsMax = 1000;

// What a viewer sends to a room (HTTP POST .../messages or op 4), parsed once at the edge.
struct SendBody {
    Body body;               // a Danmaku, a System, or a Custom when the body names another type
    std::string request_id;  // the client's idempotency key, "" when absent (a paid danmaku needs one)
    // > 0: a batch of like taps ({"type":"like","count":N}); `body` is then unused.
    std::uint32_t like_taps = 0;
};

// {"msg":…,"color":…,…,"request_id":"…"} is a danmaku (danmaku_rules.h);
// {"type":"like","count":N} a batch of N like taps (like_count_from);
// {"type":"system","msg":"…"} a system notice (NOTICE_MSG on the web dialect), which the room
// accepts from bots and above only (Hub::publish);
// {"type":"name","fields":{…}} a custom message (custom_schema.h). The body is parsed once;
// the errors are theirs.
// The "count" of a like batch: an integer in 1..kLikeTapsMax, else Errc::bad_count (missing or
// not an integer: Errc::bad_request). Shared by op 4 and POST .../likes {"count":N}.
Result<std::uint32_t> like_count_from(const boost::json::object& body);

Result<SendBody> parse_send_body(std::string_view json_body, const DanmakuRules& danmaku_rules,
                                 const CustomSchemas& custom);

}  // namespace barrage::message
