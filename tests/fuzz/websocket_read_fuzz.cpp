// libFuzzer target for the server's WebSocket reader: hostile bytes as a client's frame stream,
// read whole and cut in two at every point the first byte picks.
//
// Properties checked besides "no crash, no sanitizer report":
//   - the reader reports the same messages, pings and verdict however the bytes are cut;
//   - no message is longer than the limit;
//   - after an error or a close frame nothing more is reported.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "wire/websocket_reader.h"

namespace {

using barrage::Status;
using barrage::wire::WebSocketReader;

constexpr std::size_t kMessageBytesMax = 4096;

struct Seen final : WebSocketReader::Events {
    Status on_message(std::string_view payload) override {
        BARRAGE_ASSERT(!stopped);
        BARRAGE_ASSERT(payload.size() <= kMessageBytesMax);
        events.push_back("m" + std::string(payload));
        return {};
    }
    void on_ping(std::string_view payload) override {
        BARRAGE_ASSERT(!stopped);
        events.push_back("p" + std::string(payload));
    }
    void on_close(std::string_view payload) override {
        BARRAGE_ASSERT(!stopped);
        events.push_back("c" + std::string(payload));
        stopped = true;
    }
    std::vector<std::string> events;
    bool stopped = false;
};

// Feeds `parts` in order; returns what was seen and whether every feed succeeded.
std::pair<std::vector<std::string>, bool> read(const std::vector<std::string_view>& parts) {
    WebSocketReader reader({.message_bytes_max = kMessageBytesMax, .require_masked = true, .whole_messages = true});
    Seen seen;
    bool ok = true;
    for (auto part : parts) {
        std::string copy(part);  // unmasked in place
        auto fed = reader.feed(std::span<char>(copy.data(), copy.size()), seen);
        if (!fed) {
            ok = false;
            seen.stopped = true;
            break;
        }
    }
    return {seen.events, ok};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto whole = read({bytes});
    if (size < 2) {
        return 0;
    }
    std::size_t cut = static_cast<std::size_t>(data[0]) % size;
    auto split = read({bytes.substr(0, cut), bytes.substr(cut)});
    BARRAGE_ASSERT(split.second == whole.second);
    BARRAGE_ASSERT(split.first == whole.first);
    return 0;
}
