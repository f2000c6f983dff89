#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace barrage {

// Distinct id types so a UserId can never be passed where a RoomId is meant.
struct RoomId {
    std::uint64_t value = 0;
    auto operator<=>(const RoomId&) const = default;
};

struct UserId {
    std::uint64_t value = 0;  // 0 means anonymous
    auto operator<=>(const UserId&) const = default;
};

// Per-room message sequence number; the first message of a room is 1, 0 means "none yet".
using Sequence = std::uint64_t;

// Milliseconds since the Unix epoch (wall clock) or since an arbitrary start (steady clock).
using Millis = std::int64_t;

}  // namespace barrage

template <>
struct std::hash<barrage::RoomId> {
    std::size_t operator()(barrage::RoomId id) const noexcept { return std::hash<std::uint64_t>{}(id.value); }
};

template <>
struct std::hash<barrage::UserId> {
    std::size_t operator()(barrage::UserId id) const noexcept { return std::hash<std::uint64_t>{}(id.value); }
};
