#include "open/game_ticket.h"

#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "crypto/constant_time.h"
#include "crypto/hex.h"
#include "crypto/hmac.h"

namespace barrage::open {

namespace {

constexpr std::string_view kVersion = "g1";
constexpr std::size_t kMacBytes = 16;

template <class Int>
std::optional<Int> parse_int(std::string_view text) {
    Int out{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return out;
}

// A game id is a UUID: hex digits and dashes, nothing that could be confused with a separator.
bool plausible_game_id(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (const char c : id) {
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex && c != '-') {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string GameTickets::mac(const GameTicket& ticket) const {
    const auto digest = crypto::hmac_sha256(
        secret_, fmt::format("{}|{}|{}|{}", kVersion, ticket.game_id, ticket.app_id, ticket.room.value));
    return crypto::to_hex(crypto::bytes_of(digest).substr(0, kMacBytes));
}

std::string GameTickets::issue(const GameTicket& ticket) const {
    return fmt::format("{}.{}.{}.{}.{}", kVersion, ticket.game_id, ticket.app_id, ticket.room.value, mac(ticket));
}

std::optional<GameTicket> GameTickets::verify(std::string_view key) const {
    if (key.size() > kKeyLengthMax) {
        return std::nullopt;
    }
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto dot = key.find('.', start);
        parts.push_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos || parts.size() > 5) {
            break;
        }
        start = dot + 1;
    }
    if (parts.size() != 5 || parts[0] != kVersion || !plausible_game_id(parts[1])) {
        return std::nullopt;
    }
    const auto app = parse_int<std::int64_t>(parts[2]);
    const auto room = parse_int<std::uint64_t>(parts[3]);
    if (!app || !room || *room == 0) {
        return std::nullopt;
    }
    GameTicket ticket{std::string(parts[1]), *app, RoomId{*room}};
    if (!crypto::equal_in_constant_time(mac(ticket), parts[4])) {
        return std::nullopt;
    }
    return ticket;
}

}  // namespace barrage::open
