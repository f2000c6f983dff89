#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/ids.h"

namespace barrage::gateway {

// One loop's rooms with a pending batch, and when each is due, earliest first. Pure: no timer
// and no clock. The Hub tells it when a room's batch becomes pending, asks it at the injected
// Clock's time which rooms to look at, and arms one asio timer for next_due(); so batching is
// unit-tested on plain numbers. Owner loop only.
class BatchScheduler {
public:
    // `room` has a pending batch due at `due_ms`. A room already waiting keeps its entry (it
    // is looked at again when that comes up). True when this made next_due() earlier.
    bool schedule(RoomId room, Millis due_ms);

    // Calls `look(room)` for every room whose entry has come due by `now_ms`, earliest first.
    // `look` answers the room's real due time now (nullopt: nothing pending any more): a room
    // that is not yet due (its batch went out full and a new one started) is scheduled again.
    // `look` flushes the rooms that are due.
    void run_due(Millis now_ms, const std::function<std::optional<Millis>(RoomId room)>& look);

    // The earliest entry, when any room waits.
    std::optional<Millis> next_due() const;
    bool waiting(RoomId room) const { return waiting_.contains(room); }
    void clear();

private:
    using Due = std::pair<Millis, RoomId>;
    std::unordered_set<RoomId> waiting_;  // rooms with one entry in dues_
    std::priority_queue<Due, std::vector<Due>, std::greater<>> dues_;
};

}  // namespace barrage::gateway
