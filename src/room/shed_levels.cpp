#include "room/shed_levels.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "message/priority.h"

namespace barrage::room {

namespace {

// SplitMix64: a well-mixed 64-bit value from a counter, enough to spread choices over batches.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

}  // namespace

std::vector<std::uint8_t> shed_levels(std::span<const message::MessagePtr> messages, std::uint64_t& batch_number) {
    std::vector<std::uint8_t> levels(messages.size(), 0);
    std::array<std::ptrdiff_t, message::kBodyKinds> last_of_kind;
    last_of_kind.fill(-1);
    // Each sampled sender's messages, in the order the senders first spoke.
    std::vector<std::vector<std::size_t>> senders;
    std::unordered_map<std::uint64_t, std::size_t> sender_slot;
    std::size_t sampled = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& message = *messages[i];
        switch (message::priority_of(message.body)) {
            case message::Priority::critical: levels[i] = kTopLevel; break;
            case message::Priority::low:
                last_of_kind[message::kind_index(message.body)] = static_cast<std::ptrdiff_t>(i);
                break;
            case message::Priority::normal:
                // Stamped with the room's effective role: the host and managers are seen first.
                if (message.sender.role >= message::Role::manager) {
                    levels[i] = kTopLevel;
                    break;
                }
                auto [slot, added] = sender_slot.try_emplace(message.sender.uid.value, senders.size());
                if (added) {
                    senders.emplace_back();
                }
                senders[slot->second].push_back(i);
                ++sampled;
                break;
        }
    }
    for (auto last : last_of_kind) {
        if (last >= 0) {
            levels[static_cast<std::size_t>(last)] = kTopLevel;
        }
    }
    const std::uint64_t random = mix(batch_number++);
    if (senders.empty()) {
        return levels;
    }
    // How many each level keeps: m / 2^L rounded with one uniform draw for every level, so the
    // counts never grow with the level and average exactly m / 2^L.
    const double draw = static_cast<double>(random >> 11) * 0x1.0p-53;
    std::array<std::size_t, kShedLevels> keep{};
    for (std::size_t level = 0; level < kShedLevels; ++level) {
        keep[level] = static_cast<std::size_t>(static_cast<double>(sampled) / static_cast<double>(1U << level) + draw);
    }
    keep[0] = sampled;
    // Round r takes every sender's r-th message; the j-th message taken is kept at the levels
    // that keep more than j.
    const std::size_t start = static_cast<std::size_t>(random % senders.size());
    std::size_t longest = 0;
    for (const auto& said : senders) {
        longest = std::max(longest, said.size());
    }
    std::size_t taken = 0;
    for (std::size_t round = 0; round < longest; ++round) {
        for (std::size_t k = 0; k < senders.size(); ++k) {
            const auto& said = senders[(start + k) % senders.size()];
            if (round >= said.size()) {
                continue;
            }
            std::uint8_t level = 0;
            while (level < kTopLevel && taken < keep[level + 1U]) {
                ++level;
            }
            levels[said[round]] = level;
            ++taken;
        }
    }
    return levels;
}

}  // namespace barrage::room
