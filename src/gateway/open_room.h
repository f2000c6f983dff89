#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "message/open_dialect.h"
#include "room/room.h"
#include "room/room_extension.h"

namespace barrage::gateway {

// A room's open-platform state, on its home loop: the app whose games run here (whom the
// room's open-platform pushes are spelled for) and which of its games are live. The game API
// (http/open_api) decides who may start and end; this only remembers, so that a connection
// naming a game that has ended is refused, and the audience goes once its last game ends.
class OpenRoom final : public room::RoomExtension {
public:
    static OpenRoom& of(room::Room& room) {
        return room.extension<OpenRoom>([] { return std::make_unique<OpenRoom>(); });
    }

    // A game of `audience->app_id` is live. Another app's audience (its games all ended) is
    // replaced.
    void start(std::shared_ptr<const message::OpenAudience> audience, std::string game_id);
    // The game is no longer live; false when it was not.
    bool end(std::string_view game_id);
    bool live(std::string_view game_id, std::int64_t app_id) const;

    // Null when no game runs here.
    const message::OpenAudience* audience() const { return audience_.get(); }
    // The same, shared: for encodings made later on other loops (room::BatchFrames).
    const std::shared_ptr<const message::OpenAudience>& audience_ptr() const { return audience_; }

private:
    std::shared_ptr<const message::OpenAudience> audience_;
    std::vector<std::string> games_;  // a handful: GameSessions allows 5 per app per room
};

}  // namespace barrage::gateway
