#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/ids.h"

namespace barrage::open {

// What the `key` of a game's auth_body proves: that `start` gave this game, of this app, in
// this room. Whether the game is still running is the room's to say (its home loop keeps the
// live games), so a ticket needs no shared table between the API and the gateway.
struct GameTicket {
    std::string game_id;
    std::int64_t app_id = 0;
    RoomId room;
    auto operator<=>(const GameTicket&) const = default;
};

// Makes and checks auth_body keys: "g1.<game_id>.<app_id>.<room>.<mac>", the MAC being the
// first 16 bytes of HMAC-SHA256 under a server secret, in hex. Opaque to clients (Bilibili's
// key is an opaque string too), unforgeable without the secret, checked in constant time.
class GameTickets {
public:
    explicit GameTickets(std::string secret) : secret_(std::move(secret)) {}

    std::string issue(const GameTicket& ticket) const;
    // The ticket a key names, or nullopt when it is malformed or its MAC does not verify.
    std::optional<GameTicket> verify(std::string_view key) const;

    // Keys longer than this are refused before any work (a real one is about 100 bytes).
    static constexpr std::size_t kKeyLengthMax = 256;

private:
    std::string mac(const GameTicket& ticket) const;

    std::string secret_;
};

}  // namespace barrage::open
