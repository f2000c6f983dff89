#include "gateway/online_counts.h"

namespace barrage::gateway {

bool OnlineCounts::due(RoomId room, std::uint64_t online, Millis now_ms) {
    auto& last = last_pushed_[room];
    const bool changed = online != last.online;
    const bool stale = online > 0 && now_ms - last.at_ms >= kRefreshMs;
    if (!changed && !stale) {
        return false;
    }
    last = {online, now_ms};
    return true;
}

}  // namespace barrage::gateway
