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
#include "base/limits.h"
#include "room/batch_frames.h"
#include "room/encoding.h"

namespace barrage::gateway {

// When a receiver falls behind (docs/architecture.md, "Shedding"): below `soft_bytes` queued it
// gets whole batches; from there to `hard_bytes` (the session's outbound bound, where it is
// closed) it is served at rising shedding levels, 1 at the soft bound to the top level near the
// hard one.
struct ShedOptions {
    std::size_t soft_bytes = limits::kOutboundBytesDefault / 4;
    std::size_t hard_bytes = limits::kOutboundBytesDefault;

    // The level a receiver with `queued` bytes waiting is served at, by bytes alone.
    std::size_t level_for(std::size_t queued) const;
    // The level a receiver's next batch gets, and `state` remembered for the one after. Past
    // the soft bound (or where the batch's whole frame, `whole_bytes`, would carry it past
    // it), a queue still growing since the last batch climbs one level; otherwise
    // (shrinking, or under the soft bound) the level steps down one; never below level_for.
    // A reader that cannot keep up thus settles near the level whose stream it can read, and
    // one that only stalled (descheduled for a moment) is back to whole batches soon after.
    //
    // Why not bytes alone: a reader that falls behind first gets whole batches (at 10,000 msg/s
    // one is 100 KB and more) until the soft bound, and its queue must then grow most of the
    // way to the hard bound before the level by bytes sends less than it reads: with
    // whole-batch frames still queued ahead, it was closed. Measured, not guessed:
    // docs/PERFORMANCE.md, "Gifts among 10,000 and 20,000 msg/s".
    std::size_t next_level(ShedState& state, std::size_t queued, std::size_t whole_bytes = 0) const;
};

// One loop's members of every room, grouped by encoding key so a delivery is a plain loop over
// receivers that all take the same shared frame: no encoding and no copy per receiver. A
// receiver that fell behind takes its shedding level's frame instead, shared the same way.
// Owner loop only.
class LocalFanout {
public:
    // What one delivery queued, for the loop's counters.
    struct Delivered {
        std::uint64_t frames = 0;
        std::uint64_t bytes = 0;
        std::uint64_t sampled = 0;         // normal messages left out for receivers behind
        std::uint64_t coalesced = 0;       // low messages left out for receivers behind
        std::uint64_t budget_sampled = 0;  // normal messages left out by the room's budget
    };

    // `online` is the count the join reply carried, for heartbeat replies until the next batch.
    void subscribe(RoomId room, room::EncodingKey key, Subscriber& member, std::uint64_t online);
    void unsubscribe(RoomId room, room::EncodingKey key, Subscriber& member);

    // Hands each local member of `room` the frame of its key at its level (the batch's budget
    // level, or higher when the member's queue is past the soft bound), and a sender at a level
    // above 0 its own messages the level left out; remembers `online` for heartbeat replies.
    Delivered deliver(RoomId room, const room::BatchFrames& batch, std::uint64_t online, const ShedOptions& shed);

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
