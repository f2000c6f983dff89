#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "message/custom_schema.h"
#include "message/danmaku_rules.h"
#include "message/room_message.h"

namespace barrage::message {

// What a viewer sends to a room (HTTP POST .../messages or op 4), parsed once at the edge.
struct SendBody {
    Body body;               // a Danmaku, or a Custom when the body names a type other than "danmaku"
    std::string request_id;  // the client's idempotency key, "" when absent (a paid danmaku needs one)
};

// {"msg":…,"color":…,…,"request_id":"…"} is a danmaku (danmaku_rules.h);
// {"type":"name","fields":{…}} a custom message (custom_schema.h). The body is parsed once;
// the errors are theirs.
Result<SendBody> parse_send_body(std::string_view json_body, const DanmakuRules& danmaku_rules,
                                 const CustomSchemas& custom);

}  // namespace barrage::message
