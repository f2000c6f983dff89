#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "open/open_code.h"

namespace barrage::open {

// One running game: an app's session in a streamer's room, kept alive by project heartbeats.
struct GameSession {
    std::string game_id;  // a random UUID, the id clients send back
    std::int64_t app_id = 0;
    RoomId room;
    Millis started_ms = 0;    // steady, by the injected Clock
    Millis last_beat_ms = 0;  // steady: the start or the last heartbeat
};

// The game sessions of the open platform (PROTOCOL.md §1.1, §1.4), by the codes clients read:
// a room runs one app's games at a time (another app: 7002), an app holds at most 5 sessions in
// a room (7010), a heartbeat keeps a session alive (unknown, ended or expired: 7003), `end`
// belongs to the session's app (8002), and a session without a heartbeat for 60 s expires
// (expire() hands it back so the room can be sent LIVE_OPEN_PLATFORM_INTERACTION_END; a
// session past its time holds its room no longer, even before expire() collects it). All
// time from the injected Clock. Bounded by rooms × 5 live sessions, plus the expired ones until
// the owner calls expire() (it should, every few seconds). Owner thread only.
class GameSessions {
public:
    struct Options {
        Millis expire_after_ms = 60'000;
        std::size_t sessions_per_app_per_room_max = 5;
    };

    GameSessions(Options options, const Clock& clock) : options_(options), clock_(clock) {}

    std::variant<GameSession, OpenCode> start(std::int64_t app_id, RoomId room);
    OpenCode heartbeat(std::string_view game_id);
    // The ids that are not live sessions (each live one is kept alive).
    std::vector<std::string> batch_heartbeat(const std::vector<std::string>& game_ids);
    OpenCode end(std::int64_t app_id, std::string_view game_id);
    // Takes out every session whose last heartbeat is older than expire_after_ms.
    std::vector<GameSession> expire();

    // The room of a session still held (live, or past its time and not yet collected).
    std::optional<RoomId> room_of(std::string_view game_id) const;
    // The live sessions in `room`, oldest first.
    std::vector<GameSession> in_room(RoomId room) const;

    std::size_t size() const { return sessions_.size(); }

private:
    bool alive(const GameSession& session, Millis now_ms) const {
        return now_ms - session.last_beat_ms < options_.expire_after_ms;
    }
    void remove(std::unordered_map<std::string, GameSession>::iterator found);

    Options options_;
    const Clock& clock_;
    std::unordered_map<std::string, GameSession> sessions_;         // by game_id
    std::unordered_map<RoomId, std::vector<std::string>> by_room_;  // game_ids per room
};

}  // namespace barrage::open
