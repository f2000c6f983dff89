#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/ids.h"
#include "base/result.h"
#include "message/dialect.h"

namespace barrage::gateway {

// The op 7 body. Web clients send {"uid":0,"roomid":1,"protover":3,"platform":"web","type":2,
// "key":"..."}; only roomid is required. Barrage adds "dialect" ("web" default, "native") and
// "last_seq" (resume after this sequence).
struct AuthRequest {
    RoomId room;
    std::string key;  // user token; empty = anonymous, read-only
    int protover = 0;
    message::Dialect dialect = message::Dialect::web;
    std::optional<Sequence> last_sequence;
};

// Parses the JSON (never byte-compares): Errc::bad_request when it is not a JSON object, roomid
// is missing or not a positive integer (a decimal string is accepted, as some clients send
// one), or a known field has the wrong kind.
Result<AuthRequest> parse_auth_request(std::string_view body);

}  // namespace barrage::gateway
