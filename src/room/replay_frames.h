#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "base/ids.h"
#include "message/room_message.h"
#include "room/encoding.h"

namespace barrage::room {

// A room's history encoded for joiners, the way live batches are: once per block of history
// and encoding key, shared by every joiner that replays it. History is cut into blocks of
// kReplayBlockMessages aligned sequences (1..64, 65..128, ...): a whole block, once encoded,
// stays valid until the ring drops it; the newest, partial block is kept encoded until a
// message joins it; only the partial block a joiner's resume point falls in is encoded for
// that joiner alone (at most kReplayBlockMessages - 1 messages). So a join storm on a busy
// room costs a few lookups per joiner, not a re-encode (and brotli) of the whole ring.
//
// Owner thread only (the room's home loop).
class ReplayFrames {
public:
    // Frames that replay `messages` for `key`, in order. `messages` are consecutive sequenced
    // messages, oldest first, as HistoryRing::after returns them.
    std::vector<wire::FramePtr> frames(std::span<const message::MessagePtr> messages, EncodingKey key);

    // Forgets blocks holding messages older than `oldest_kept` (the ring dropped them).
    void forget_before(Sequence oldest_kept);

    // Encodings made so far (for tests: a join served from the cache makes none).
    std::uint64_t encodings() const { return encodings_; }
    std::size_t blocks_kept() const { return blocks_.size(); }

private:
    // One block's frames per key; `encoded` tells a key not yet encoded from one whose
    // dialect spells none of the messages (a null frame).
    struct Encoded {
        std::array<wire::FramePtr, kEncodingKeyCount> frames{};
        std::bitset<kEncodingKeyCount> encoded;
    };
    const wire::FramePtr& frame_of(Encoded& cached, std::span<const message::MessagePtr> block, EncodingKey key);

    std::map<Sequence, Encoded> blocks_;  // whole blocks, by their first sequence
    Sequence tail_first_ = 0;             // the partial newest block: first sequence and length
    std::size_t tail_size_ = 0;
    Encoded tail_;
    std::uint64_t encodings_ = 0;
};

// Messages per replay block: small enough that a joiner's own partial block is cheap to
// encode, large enough that a 1,000-message replay is a handful of frames.
inline constexpr std::size_t kReplayBlockMessages = 64;

}  // namespace barrage::room
