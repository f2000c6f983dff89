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
// "last_seq" (resume after this sequence). An open-platform game sends the auth_body that
// /v2/app/start gave it: {"roomid","protover":2,"uid":0,"key":<game key>,"group":"open"}; its
// group makes the dialect open_platform and its key a game's (open/game_ticket.h), not a user's.
struct AuthRequest {
    RoomId room;
    std::string key;         // user token (empty = anonymous, read-only), or a game's key
    bool open_game = false;  // "group":"open"
    int protover = 0;
    message::Dialect dialect = message::Dialect::web;
    std::optional<Sequence> last_sequence;
    // "receive": false: the connection only sends (a bot, a load generator) and gets nothing of
    // the room but its answers, so a publisher behind at 20,000 msg/s is not fed its own
    // messages back (never shed) until it is closed. Not with "group":"open" or last_seq.
    bool receive = true;
};

// "receive":false (default true) asks for nothing of the room but replies (above).
// Parses the JSON (never byte-compares): Errc::bad_request when it is not a JSON object, roomid
// is missing or not a positive integer (a decimal string is accepted, as some clients send
// one), a known field has the wrong kind, or the open_platform dialect is asked for without the
// open group (its pushes are spelled for a game's app, so only a game may have them).
Result<AuthRequest> parse_auth_request(std::string_view body);

}  // namespace barrage::gateway
