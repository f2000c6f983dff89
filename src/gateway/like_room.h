#pragma once

#include <memory>

#include "room/like_tally.h"
#include "room/room.h"
#include "room/room_extension.h"

namespace barrage::gateway {

// A room's likes on its home loop: the tally, counting on from the total saved when the room
// was loaded, and whether the loop's like windows already visit the room.
class LikeRoom final : public room::RoomExtension {
public:
    LikeRoom(const room::LikeOptions& options, std::uint64_t restored_total) : tally(options, restored_total) {}

    static LikeRoom& of(room::Room& room, const room::LikeOptions& options) {
        return room.extension<LikeRoom>([&] { return std::make_unique<LikeRoom>(options, room.config().like_total); });
    }

    room::LikeTally tally;
    bool in_windows = false;  // listed in the loop's rooms with likes to say
};

}  // namespace barrage::gateway
