#pragma once

#include <cstddef>
#include <vector>

#include "base/ids.h"
#include "message/room_message.h"

namespace barrage::room {

// The last `capacity` sequenced messages of one room, oldest first. Owner thread only
// (the room's home thread).
class HistoryRing {
public:
    explicit HistoryRing(std::size_t capacity);

    // Before the first push: the history begins after `sequence` (a room whose earlier messages
    // are kept elsewhere); resuming from before it is a gap.
    void start_after(Sequence sequence);
    // Appends a sequenced message; its sequence must be exactly last_sequence() + 1
    // (asserted). Drops the oldest past capacity.
    void push(message::MessagePtr message);

    struct Resume {
        std::vector<message::MessagePtr> messages;  // every kept message with sequence > after
        bool gap = false;                           // true when some message after `after` is no longer kept
        Sequence first_available = 0;               // oldest kept sequence (0 if empty)
    };

    // What a client that last saw `after` missed. after >= last_sequence() → nothing.
    // When the oldest kept sequence is > after + 1, `gap` is set and `messages` holds all
    // that is kept. At most `limit` messages (the newest ones are kept when cut, and gap set).
    Resume after(Sequence after, std::size_t limit) const;

    Sequence last_sequence() const { return last_sequence_; }
    // The oldest kept sequence, 0 when nothing is kept.
    Sequence oldest_sequence() const { return size_ == 0 ? 0 : slots_[head_]->sequence; }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return slots_.size(); }

private:
    std::vector<message::MessagePtr> slots_;
    std::size_t head_ = 0;  // index of the oldest
    std::size_t size_ = 0;
    Sequence last_sequence_ = 0;
};

}  // namespace barrage::room
