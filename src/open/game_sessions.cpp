#include "open/game_sessions.h"

#include <algorithm>

#include "crypto/random.h"

namespace barrage::open {

namespace {

// 16 random bytes as a version-4 UUID ("8-4-4-4-12" lowercase hex), the form clients have seen.
std::string random_uuid() {
    std::string hex = crypto::random_hex(16);
    hex[12] = '4';
    static constexpr char kVariant[] = "89ab";
    hex[16] = kVariant[(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0') & 3];
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

}  // namespace

void GameSessions::remove(std::unordered_map<std::string, GameSession>::iterator found) {
    auto room = by_room_.find(found->second.room);
    if (room != by_room_.end()) {
        std::erase(room->second, found->first);
        if (room->second.empty()) {
            by_room_.erase(room);
        }
    }
    sessions_.erase(found);
}

std::variant<GameSession, OpenCode> GameSessions::start(std::int64_t app_id, RoomId room) {
    const Millis now = clock_.steady_ms();
    std::size_t own = 0;
    if (auto found = by_room_.find(room); found != by_room_.end()) {
        for (const auto& id : found->second) {
            const auto& session = sessions_.at(id);
            // A session past its time no longer holds the room; it stays until expire() hands
            // it back, so its INTERACTION_END is still sent.
            if (!alive(session, now)) {
                continue;
            }
            if (session.app_id != app_id) {
                return OpenCode::room_has_game;
            }
            ++own;
        }
    }
    if (own >= options_.sessions_per_app_per_room_max) {
        return OpenCode::sessions_limit;
    }
    GameSession session{random_uuid(), app_id, room, now, now};
    by_room_[room].push_back(session.game_id);
    sessions_.emplace(session.game_id, session);
    return session;
}

OpenCode GameSessions::heartbeat(std::string_view game_id) {
    const Millis now = clock_.steady_ms();
    auto found = sessions_.find(std::string(game_id));
    if (found == sessions_.end() || !alive(found->second, now)) {
        return OpenCode::heartbeat_expired;
    }
    found->second.last_beat_ms = now;
    return OpenCode::ok;
}

std::vector<std::string> GameSessions::batch_heartbeat(const std::vector<std::string>& game_ids) {
    std::vector<std::string> failed;
    for (const auto& id : game_ids) {
        if (heartbeat(id) != OpenCode::ok) {
            failed.push_back(id);
        }
    }
    return failed;
}

OpenCode GameSessions::end(std::int64_t app_id, std::string_view game_id) {
    auto found = sessions_.find(std::string(game_id));
    if (found == sessions_.end()) {
        return OpenCode::heartbeat_expired;
    }
    if (found->second.app_id != app_id) {
        return OpenCode::wrong_app;
    }
    remove(found);
    return OpenCode::ok;
}

std::vector<GameSession> GameSessions::in_room(RoomId room) const {
    std::vector<GameSession> live;
    const auto found = by_room_.find(room);
    if (found == by_room_.end()) {
        return live;
    }
    const Millis now_ms = clock_.steady_ms();
    for (const auto& game_id : found->second) {
        if (const auto session = sessions_.find(game_id);
            session != sessions_.end() && alive(session->second, now_ms)) {
            live.push_back(session->second);
        }
    }
    std::ranges::sort(live, {}, &GameSession::started_ms);
    return live;
}

std::optional<RoomId> GameSessions::room_of(std::string_view game_id) const {
    auto found = sessions_.find(std::string(game_id));
    return found == sessions_.end() ? std::nullopt : std::optional(found->second.room);
}

std::vector<GameSession> GameSessions::expire() {
    const Millis now = clock_.steady_ms();
    std::vector<GameSession> expired;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        auto next = std::next(it);
        if (!alive(it->second, now)) {
            expired.push_back(it->second);
            remove(it);
        }
        it = next;
    }
    std::sort(expired.begin(), expired.end(),
              [](const GameSession& a, const GameSession& b) { return a.last_beat_ms < b.last_beat_ms; });
    return expired;
}

}  // namespace barrage::open
