#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/clock.h"
#include "message/room_message.h"
#include "room/room.h"
#include "room/room_extension.h"

namespace barrage::gateway {

// A room's shedding state on its home loop: how many batches it sent (which seeds each batch's
// sampling, room/shed_levels.h) and how fast its sampled danmaku come, for the per-viewer budget.
class RoomShedding final : public room::RoomExtension {
public:
    static RoomShedding& of(room::Room& room) {
        return room.extension<RoomShedding>([] { return std::make_unique<RoomShedding>(); });
    }

    std::uint64_t batches = 0;  // seeds each batch's sampling (room::shed_levels)

    // The lowest level every receiver of this batch gets so that the room's sampled danmaku,
    // at the rate they came in over the last second, fit `per_s` a receiver (0: no budget).
    std::uint8_t budget_level(std::span<const message::MessagePtr> messages, std::span<const std::uint8_t> levels,
                              double per_s, Millis now_ms);

private:
    Millis window_start_ms_ = 0;
    std::uint64_t window_count_ = 0;
    double last_rate_ = 0;
};

}  // namespace barrage::gateway
