#pragma once

#include <cstdint>
#include <unordered_map>

#include "base/ids.h"

namespace barrage::gateway {

// When a room's online count goes out (ONLINE_RANK_COUNT / WATCHED_CHANGE): when it changed,
// and at least every kRefreshMs while anyone listens, as Bilibili's rooms do — clients show a
// live number and some treat silence as a dead link. Pure; one per loop, for its homed rooms.
// Owner loop only.
class OnlineCounts {
public:
    static constexpr Millis kRefreshMs = 30'000;

    // True (and remembered as pushed) when `room`'s count should go out at `now_ms`.
    bool due(RoomId room, std::uint64_t online, Millis now_ms);

private:
    struct Pushed {
        std::uint64_t online = 0;
        Millis at_ms = 0;  // steady
    };
    std::unordered_map<RoomId, Pushed> last_pushed_;
};

}  // namespace barrage::gateway
