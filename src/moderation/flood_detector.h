#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"

namespace barrage::moderation {

struct FloodOptions {
    Millis window_ms = 10'000;    // texts are remembered this long; 0 turns detection off
    std::uint32_t users_max = 5;  // this many users may send the same text per window
    // Shorter texts are never a flood: "666" and "哈哈哈" from a whole room are applause.
    std::size_t min_bytes = 10;
    std::size_t texts_max = 4096;  // remembered texts per room; the oldest go first
};

// Duplicate-flood detection for one room: the same or nearly the same text (compared by
// fingerprint: case, spaces, punctuation and digits ignored, repeated characters collapsed)
// from more than users_max distinct users within window_ms. A user repeating their own text
// is the rate limit's and slow mode's business, not this. Owner thread only.
class FloodDetector {
public:
    explicit FloodDetector(FloodOptions options) : options_(options) {}

    // True when `user` sending `text` now would make a flood. Does not record it.
    bool floods(UserId user, std::string_view text, Millis now_ms);
    // Remembers an accepted text.
    void record(UserId user, std::string_view text, Millis now_ms);

    // The fingerprint texts are compared by (exposed for tests); 0 for texts too short to count.
    std::uint64_t fingerprint(std::string_view text) const;

private:
    struct Seen {
        Millis at_ms;
        std::uint64_t print;
        UserId user;
    };
    void forget_before(Millis cutoff_ms);
    void forget_oldest();

    FloodOptions options_;
    std::deque<Seen> seen_;
    struct Sender {
        UserId user;
        std::uint32_t texts = 0;  // how many of `seen_` are this user's
    };
    // Per fingerprint: the distinct users who sent it within the window. A flood stops at
    // users_max + 1, so the lists stay short.
    std::unordered_map<std::uint64_t, std::vector<Sender>> senders_;
};

}  // namespace barrage::moderation
