#pragma once

// Private to message/: one encoder per dialect, dispatched by encode_message (dialect.cpp).
// Adding a dialect is one more file implementing one more function declared here, and one
// more row in dialect.cpp's table.

#include <string>
#include <vector>

#include "message/room_message.h"

namespace barrage::message::detail {

// Each appends the push bodies spelling `message` (see encode_message in dialect.h).
void encode_web(const RoomMessage& message, std::vector<std::string>& bodies);
void encode_native(const RoomMessage& message, std::vector<std::string>& bodies);

// Marks the bodies from `first` on with a root-level "test": true when `message` is the debug
// tool's (Sender::debug). Each body is a JSON object, so the mark goes right after its '{'.
void mark_debug(const RoomMessage& message, std::vector<std::string>& bodies, std::size_t first);

}  // namespace barrage::message::detail
