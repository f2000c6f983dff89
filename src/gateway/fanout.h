#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "base/ids.h"
#include "message/room_message.h"
#include "net/io_threads.h"
#include "room/batch_frames.h"
#include "room/encoding.h"

namespace barrage::gateway {

// A room's flushed batch on its way to the connections that receive it: the seam between a
// room's home loop and its members. NodeFanout (the members on this node's loops) is the one
// implementation today. A cluster's (docs/architecture.md, "Two nodes") would wrap it: deliver
// here through it, and also publish the batch's messages to the room's channel (Redis pub/sub)
// for the other nodes with members, which encode them for their own keys and deliver them
// through their NodeFanout.
class Fanout {
public:
    struct Batch {
        RoomId room;
        // The messages in sequence order, encoded for the keys in use here at every shedding
        // level a receiver needs (room/batch_frames.h).
        std::shared_ptr<const room::BatchFrames> frames;
        std::vector<std::size_t> loops;  // this node's loops with members
        std::uint64_t online = 0;        // the room's online count
    };

    virtual ~Fanout() = default;
    // On the room's home loop `home`, once per batch, in the room's order.
    virtual void send(std::size_t home, Batch batch) = 0;
};

// This node's fan-out: the same shared frames to every loop with members, delivered at once
// on the home loop and posted to the others (one post per loop, not per receiver).
class NodeFanout final : public Fanout {
public:
    // Hands a loop's members their frames; runs on that loop (Hub::deliver).
    using Deliver =
        std::function<void(std::size_t loop, RoomId room, const room::BatchFrames& frames, std::uint64_t online)>;

    NodeFanout(net::IoThreads& loops, Deliver deliver);
    void send(std::size_t home, Batch batch) override;

private:
    net::IoThreads& loops_;
    Deliver deliver_;
};

}  // namespace barrage::gateway
