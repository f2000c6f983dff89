#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "message/open_dialect.h"
#include "message/room_message.h"
#include "room/encoding.h"
#include "room/shed_levels.h"

namespace barrage::room {

// One flushed batch as its receivers get it, at every shedding level (shed_levels.h). Level 0
// is the whole batch, encoded once per key in use by the room's home loop before the batch
// leaves it: the frames nearly every receiver takes. A level above 0 is encoded for a key the
// first time a receiver at that level needs it, on whichever loop that is, and then shared by
// every receiver of that level and key on every loop. A batch has at most
// kShedLevels × kEncodingKeyCount encodings, and only those some receiver needed.
//
// Immutable apart from that cache: safe from any thread.
class BatchFrames {
public:
    BatchFrames(std::vector<message::MessagePtr> messages, FrameSet full, std::vector<std::uint8_t> levels,
                std::shared_ptr<const message::OpenAudience> open, std::uint8_t budget_level);

    const std::vector<message::MessagePtr>& messages() const { return messages_; }
    const FrameSet& full() const { return full_; }
    // The lowest level every receiver gets: the room's per-viewer danmaku budget (0: none).
    std::uint8_t budget_level() const { return budget_level_; }

    // The batch as `level` carries it, encoded for `key`: full()[key] at level 0; null when
    // the level carries nothing this key spells.
    FramePtr frame(std::size_t level, EncodingKey key) const;
    // The messages of `user` that `level` leaves out, encoded for `key` (the sender always sees
    // its own); null when there are none. Encoded per call: only senders among the receivers
    // that fell behind ask, and only when the level sampled them.
    FramePtr own(std::size_t level, UserId user, EncodingKey key) const;

    // What a receiver at `level` is not sent: normal messages sampled out, low ones coalesced.
    struct Shed {
        std::uint32_t sampled = 0;
        std::uint32_t coalesced = 0;
    };
    Shed shed(std::size_t level) const { return shed_[level]; }

private:
    std::vector<message::MessagePtr> messages_;
    FrameSet full_;
    std::vector<std::uint8_t> levels_;  // per message, the highest level that carries it
    std::shared_ptr<const message::OpenAudience> open_;
    std::uint8_t budget_level_ = 0;
    std::array<Shed, kShedLevels> shed_{};
    // The indexes of each sampled sender's normal messages (those not at kTopLevel).
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> sampled_by_user_;

    mutable std::mutex mutex_;
    mutable std::array<FrameSet, kShedLevels> leveled_{};
    mutable std::array<std::array<bool, kEncodingKeyCount>, kShedLevels> encoded_{};
};

}  // namespace barrage::room
