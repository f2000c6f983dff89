#pragma once

namespace barrage::room {

// State another module keeps for one room: today the purchases' combos, pinned super chats and
// guard histories; next mutes, slow mode, like totals and game sessions. It lives inside the
// Room (Room::extension), so it is on the room's home loop with the rest of the room's state,
// guarded by the same owner check, and goes away with the room: no module keeps a side table
// keyed by room.
class RoomExtension {
public:
    virtual ~RoomExtension() = default;
};

}  // namespace barrage::room
