#pragma once

// Names of the counters behind room gift leaderboards and gift numbers.
//
// The ledger keeps these counters in the same transaction as the gift's journal rows, so a
// leaderboard is always exactly what the journal says (no second, drifting tally). This file
// only names them; the counters hold coins (boards) or gift counts (gift numbers).
//
//   key                                        value
//   -----------------------------------------  ----------------------------------------------
//   board:day:<room>:<yyyymmdd>:<uid>          coins the user gave in the room that UTC day
//   board:all:<room>:<uid>                     coins the user gave in the room, all time
//   gift_number:<room>:<uid>:<gift>            gifts of that kind the user sent in the room
//                                              (seed 003's giftNum: the running count)
//
// Numbers are plain decimal without leading zeros. Every key of one board starts with that
// board's prefix, and the prefix ends in ':', so room 1's prefix never matches room 12.
// Days are UTC calendar days: one boundary for every node and viewer, whatever their zone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/ids.h"

namespace barrage::economy {

std::string day_key(RoomId room, std::int32_t yyyymmdd, UserId user);
// The ledger's marker for "the UTC day this order commits" (ledger::kCommitDay), which the
// writer replaces in a counter name: a purchase's day board is then the day its journal rows
// carry, so a refund can find it again from the journal, even across midnight.
inline constexpr std::string_view kCommitDayMarker = "{utc_day}";
// day_key() of the day the order commits: for an order's counter bumps only.
std::string commit_day_key(RoomId room, UserId user);
std::string all_time_key(RoomId room, UserId user);
std::string gift_number_key(RoomId room, UserId user, std::uint64_t gift_id);

// Prefixes that list one board's keys (a room's day board, a room's all-time board).
std::string day_prefix(RoomId room, std::int32_t yyyymmdd);
std::string all_time_prefix(RoomId room);

// The UTC calendar day of a wall-clock time, as yyyymmdd (e.g. 20240229).
std::int32_t utc_day(Millis wall_ms);

// A key taken apart again. Fields a kind does not have stay zero.
struct BoardKey {
    enum class Kind : std::uint8_t { day, all_time, gift_number };
    Kind kind = Kind::all_time;
    RoomId room{};
    std::int32_t yyyymmdd = 0;  // day keys only
    UserId user{};
    std::uint64_t gift_id = 0;  // gift number keys only
    bool operator==(const BoardKey&) const = default;
};

// The parts of a key made by the functions above; nullopt for anything else (another
// prefix, a missing or extra part, a non-decimal or zero-padded number, an impossible day).
std::optional<BoardKey> parse_key(std::string_view key);

// The user a board or gift-number key belongs to: what a board listing needs per row.
std::optional<UserId> user_of_key(std::string_view key);

}  // namespace barrage::economy
