#pragma once

// A room message as values: what happened in a room, independent of any wire dialect.
// Plain structs that copy cheaply; shared across threads as shared_ptr<const RoomMessage>.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "base/ids.h"
#include "message/role.h"

namespace barrage::message {

struct Sender {
    UserId uid;
    std::string name;
    std::string face;  // avatar URL
    Role role = Role::anonymous;
};

// Danmaku display modes, as in DANMU_MSG info[0][1].
enum class DanmakuMode : std::uint8_t { scroll = 1, bottom = 4, top = 5 };

struct Danmaku {
    std::string text;
    std::uint32_t color = 0xFFFFFF;  // RGB
    DanmakuMode mode = DanmakuMode::scroll;
    std::uint8_t fontsize = 25;
};

// A user joined the room (INTERACT_WORD msg_type 1 in the web dialect).
struct Enter {};

// An operator-declared custom type; `fields_json` is a JSON object already validated
// against its declaration (message/custom_schema.h).
struct Custom {
    std::string type;
    std::string fields_json;
};

// A notice from the server or an operator.
struct System {
    std::string text;
};

// State, not an event: carries no sequence number and is not kept in history.
struct OnlineCount {
    std::uint64_t online = 0;   // connections in the room now
    std::uint64_t watched = 0;  // distinct viewers seen since the room started
};

// Sent to a resuming client whose last sequence is older than the history ring.
// Not sequenced, not kept.
struct HistoryGap {
    Sequence requested_after = 0;  // the client's last_seq
    Sequence first_available = 0;  // oldest sequence still in the ring
};

using Body = std::variant<Danmaku, Enter, Custom, System, OnlineCount, HistoryGap>;

// True for bodies that get a sequence number and go into history.
bool is_sequenced(const Body& body);

struct RoomMessage {
    RoomId room;
    Sequence sequence = 0;  // 0 for unsequenced bodies
    Millis time_ms = 0;     // wall clock when the room accepted it
    Sender sender;
    Body body;
};

using MessagePtr = std::shared_ptr<const RoomMessage>;

}  // namespace barrage::message
