#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace barrage::wire {

// The start of an incomplete unit (WebSocket frame, packet, NATS line or payload) carried
// from one read to the next. Once emptied it gives its memory back if it had grown past
// kRetainedBytesMax: a lagging reader sees frames of 100+ KiB split across reads, and
// 19,000 connections must not each keep the largest they ever carried.
// Owner thread only.
class CarryBuffer {
public:
    static constexpr std::size_t kRetainedBytesMax = 4 * 1024;

    bool empty() const { return bytes_.empty(); }
    std::size_t size() const { return bytes_.size(); }
    char* data() { return bytes_.data(); }
    std::string_view view() const { return bytes_; }

    void append(std::string_view bytes) { bytes_.append(bytes); }

    // Drops the first `count` bytes (the units now handled).
    void consume(std::size_t count) {
        bytes_.erase(0, count);
        if (bytes_.empty() && bytes_.capacity() > kRetainedBytesMax) {
            std::string().swap(bytes_);
        }
    }

private:
    std::string bytes_;
};

}  // namespace barrage::wire
