#include "gateway/room_shedding.h"

#include <algorithm>

#include "message/priority.h"
#include "room/shed_levels.h"

namespace barrage::gateway {

std::uint8_t RoomShedding::budget_level(std::span<const message::MessagePtr> messages,
                                        std::span<const std::uint8_t> levels, double per_s, Millis now_ms) {
    if (per_s <= 0) {
        return 0;
    }
    std::uint64_t sampled = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        sampled += levels[i] < room::kTopLevel && message::priority_of(messages[i]->body) == message::Priority::normal;
    }
    // The rate over the last whole second, or this second's count so far when it is higher
    // (a storm starting now is shed now, not a second later).
    if (now_ms - window_start_ms_ >= 1000) {
        last_rate_ = static_cast<double>(window_count_) * 1000.0 / static_cast<double>(now_ms - window_start_ms_);
        window_start_ms_ = now_ms;
        window_count_ = 0;
    }
    window_count_ += sampled;
    const double rate = std::max(last_rate_, static_cast<double>(window_count_));
    std::uint8_t level = 0;
    while (level < room::kTopLevel && rate > per_s * static_cast<double>(1U << level)) {
        ++level;
    }
    return level;
}

}  // namespace barrage::gateway
