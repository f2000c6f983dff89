#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "gateway/subscriber.h"
#include "room/encoding.h"

namespace barrage::gateway {

// One loop's members of every room, grouped by encoding key so a delivery is a plain loop over
// receivers that all take the same shared frame: no encoding and no copy per receiver.
// Owner loop only.
class LocalFanout {
public:
    // What one delivery queued, for the loop's counters.
    struct Delivered {
        std::uint64_t frames = 0;
        std::uint64_t bytes = 0;
    };

    // `online` is the count the join reply carried, for heartbeat replies until the next batch.
    void subscribe(RoomId room, room::EncodingKey key, Subscriber& member, std::uint64_t online);
    void unsubscribe(RoomId room, room::EncodingKey key, Subscriber& member);

    // Hands each local member of `room` the frame of its key; remembers `online` for
    // heartbeat replies.
    Delivered deliver(RoomId room, const room::FrameSet& frames, std::uint64_t online);

    // Kicks every connection of `user` in `room` (every room when nullopt) on this loop.
    // Returns how many.
    std::size_t kick(std::optional<RoomId> room, UserId user, std::error_code why);

    // The room's online count as the home loop last told this loop.
    std::uint64_t online(RoomId room) const;

private:
    struct LocalRoom {
        std::array<std::vector<Subscriber*>, room::kEncodingKeyCount> members;
        std::uint64_t online = 0;
    };
    std::unordered_map<RoomId, LocalRoom> rooms_;
};

}  // namespace barrage::gateway
