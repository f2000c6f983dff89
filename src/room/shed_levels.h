#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "message/room_message.h"

namespace barrage::room {

// Levels a receiver of a batch can be served at (docs/architecture.md, "Shedding"). Level 0 gets
// every message. Level L gets every critical message, the latest message of each low kind,
// every normal message of the room's host and managers, and 1 in 2^L of the other normal
// messages, taken round-robin across their senders so that a flooding sender does not crowd
// the others out.
inline constexpr std::size_t kShedLevels = 8;  // 0..7: down to 1 in 128
inline constexpr std::uint8_t kTopLevel = kShedLevels - 1;

// For each message of a batch, the highest level that still carries it (kTopLevel: every
// level). Levels nest: what level L carries, every level below carries too.
//
// Level L keeps m / 2^L of the batch's m sampled messages (rounded up or down at random, so
// the share holds on average over batches), taken in rounds: every sender's first message,
// then every sender's second, ... from a sender picked at random each batch. Within a batch
// no sender is crowded out by a louder one; across batches a sender who says one thing a batch
// gets its share too. `batch_number` seeds the randomness (deterministic: tests repeat) and
// is advanced by this call. Pure apart from that counter.
std::vector<std::uint8_t> shed_levels(std::span<const message::MessagePtr> messages, std::uint64_t& batch_number);

}  // namespace barrage::room
