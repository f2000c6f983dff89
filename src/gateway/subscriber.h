#pragma once

#include <cstddef>
#include <string_view>
#include <system_error>

#include "base/ids.h"
#include "wire/frame.h"

namespace barrage::gateway {

// A connection that receives a room's frames. Owner thread only: it lives on one loop and is
// only ever called there.
// What shedding remembers of a member between batches (gateway/local_fanout.h): the level its
// last batch got and the bytes it had queued then.
struct ShedState {
    std::size_t level = 0;
    std::size_t queued = 0;
};

class Subscriber {
public:
    virtual ~Subscriber() = default;
    // Queues a shared frame for writing (no copy). May close the connection when its
    // outbound bound is passed.
    virtual void deliver(const wire::FramePtr& frame) = 0;
    // Bytes queued for writing and not yet written: how far behind it is (its shedding level).
    virtual std::size_t queued_bytes() const = 0;
    // Its user was kicked or banned: closes the connection with `why` once what is queued for
    // it (the moderation event among it) is written.
    virtual void kick(std::error_code why) = 0;

    // Position in the loop's member list, kept by LocalRoom for O(1) removal.
    std::size_t member_slot = 0;
    // Who is signed in on it (0: anonymous), so a kick finds the user's connections.
    UserId user{};
    // Kept by LocalFanout::deliver.
    ShedState shed{};
};

// A connection that serves one open-platform game (its auth_body key named it). Owner thread
// only, like Subscriber.
class GameMember {
public:
    virtual ~GameMember() = default;
    // The game ended: sends `body` (LIVE_OPEN_PLATFORM_INTERACTION_END) as the connection's
    // last push and closes it, so nothing reaches the game after it.
    virtual void end_game(std::string_view body) = 0;
};

}  // namespace barrage::gateway
