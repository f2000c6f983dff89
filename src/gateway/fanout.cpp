#include "gateway/fanout.h"

#include <utility>

#include <boost/asio/post.hpp>

namespace barrage::gateway {

NodeFanout::NodeFanout(net::IoThreads& loops, Deliver deliver) : loops_(loops), deliver_(std::move(deliver)) {}

void NodeFanout::send(std::size_t home, Batch batch) {
    for (const std::size_t loop : batch.loops) {
        if (loop == home) {
            deliver_(loop, batch.room, *batch.frames, batch.online);
            continue;
        }
        boost::asio::post(loops_.context(loop), [this, loop, room = batch.room, frames = batch.frames,
                                                 online = batch.online] { deliver_(loop, room, *frames, online); });
    }
}

}  // namespace barrage::gateway
