#pragma once

#include <cstddef>
#include <cstdint>

#include "message/room_message.h"

namespace barrage::message {

// What a message is worth to a receiver that cannot keep up (docs/architecture.md,
// "Shedding"):
// - critical: money and authority — gifts, super chats and their removal, guards, moderation
//   actions, live start and end, system notices, games' like sums and resume gaps. Never
//   dropped; a connection too slow even for these is closed and resumes from history.
// - normal: what people say (danmaku, custom messages). Sampled fairly across senders when a
//   connection falls behind, or by a room's per-viewer budget.
// - low: state that the next value replaces (online counts, like totals, sampled like clicks,
//   enter events). Only the latest of each kind is kept when a connection falls behind.
enum class Priority : std::uint8_t { critical, normal, low };

Priority priority_of(const Body& body);

// The body's index among the kinds, for "the latest of each kind" (low messages).
inline std::size_t kind_index(const Body& body) {
    return body.index();
}
inline constexpr std::size_t kBodyKinds = std::variant_size_v<Body>;

}  // namespace barrage::message
