#pragma once

#include <memory>
#include <string>

#include "wire/websocket_frame.h"

namespace barrage::wire {

// Whole packets, encoded once and shared read-only by every connection that sends them:
// a room batch reaches thousands of receivers without a copy. A WebSocket sends the frame as
// one binary message; its header is made here once, so no receiver frames anything.
struct Frame {
    std::string bytes;
    WebSocketHeader websocket_header;
};
using FramePtr = std::shared_ptr<const Frame>;

inline FramePtr make_frame(std::string bytes) {
    auto header = websocket_header(WebSocketOpcode::binary, bytes.size());
    return std::make_shared<const Frame>(Frame{std::move(bytes), header});
}

}  // namespace barrage::wire
