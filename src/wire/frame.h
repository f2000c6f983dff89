#pragma once

#include <memory>
#include <string>

namespace barrage::wire {

// Whole packets, encoded once and shared read-only by every connection that sends them:
// a room batch reaches thousands of receivers without a copy.
struct Frame {
    std::string bytes;
};
using FramePtr = std::shared_ptr<const Frame>;

inline FramePtr make_frame(std::string bytes) {
    return std::make_shared<const Frame>(Frame{std::move(bytes)});
}

}  // namespace barrage::wire
