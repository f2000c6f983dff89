#include "room/replay_frames.h"

#include "base/assert.h"

namespace barrage::room {

namespace {

constexpr Sequence kBlock = kReplayBlockMessages;

// The first sequence of the block `sequence` falls in (sequences start at 1).
Sequence block_start(Sequence sequence) {
    return (sequence - 1) / kBlock * kBlock + 1;
}

void append(std::vector<wire::FramePtr>& out, const wire::FramePtr& frame) {
    if (frame) {
        out.push_back(frame);
    }
}

}  // namespace

const wire::FramePtr& ReplayFrames::frame_of(Encoded& cached, std::span<const message::MessagePtr> block,
                                             EncodingKey key) {
    const auto index = key.index();
    if (!cached.encoded.test(index)) {
        cached.frames[index] = encode_for_key(block, key);
        cached.encoded.set(index);
        ++encodings_;
    }
    return cached.frames[index];
}

std::vector<wire::FramePtr> ReplayFrames::frames(std::span<const message::MessagePtr> messages, EncodingKey key) {
    std::vector<wire::FramePtr> out;
    std::size_t at = 0;
    while (at < messages.size()) {
        const Sequence first = messages[at]->sequence;
        const Sequence start = block_start(first);
        const std::size_t block_size = static_cast<std::size_t>(start + kBlock - first);
        const std::size_t taken = std::min(block_size, messages.size() - at);
        const auto block = messages.subspan(at, taken);
        BARRAGE_ASSERT(block.back()->sequence == first + taken - 1);
        if (first != start) {
            // The joiner's own partial block: encoded for this joiner alone.
            ++encodings_;
            append(out, encode_for_key(block, key));
        } else if (taken == kBlock) {
            append(out, frame_of(blocks_[start], block, key));
        } else {
            // The newest block, not yet whole: kept while no message joins it.
            if (tail_first_ != start || tail_size_ != taken) {
                tail_ = {};
                tail_first_ = start;
                tail_size_ = taken;
            }
            append(out, frame_of(tail_, block, key));
        }
        at += taken;
    }
    return out;
}

void ReplayFrames::forget_before(Sequence oldest_kept) {
    while (!blocks_.empty() && blocks_.begin()->first < oldest_kept) {
        blocks_.erase(blocks_.begin());
    }
}

}  // namespace barrage::room
