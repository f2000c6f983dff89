#include "room/history_ring.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"

namespace barrage::room {

HistoryRing::HistoryRing(std::size_t capacity) : slots_(capacity) {}

void HistoryRing::start_after(Sequence sequence) {
    BARRAGE_ASSERT(size_ == 0 && last_sequence_ == 0);
    last_sequence_ = sequence;
}

void HistoryRing::push(message::MessagePtr message) {
    BARRAGE_ASSERT(message != nullptr);
    BARRAGE_ASSERT(message->sequence == last_sequence_ + 1);
    last_sequence_ = message->sequence;
    // A zero-capacity ring keeps nothing but still counts, so resumes report a gap.
    if (slots_.empty()) {
        return;
    }
    if (size_ < slots_.size()) {
        slots_[(head_ + size_) % slots_.size()] = std::move(message);
        ++size_;
        return;
    }
    slots_[head_] = std::move(message);
    head_ = (head_ + 1) % slots_.size();
}

HistoryRing::Resume HistoryRing::after(Sequence after, std::size_t limit) const {
    Resume resume;
    const Sequence oldest = size_ == 0 ? last_sequence_ + 1 : slots_[head_]->sequence;
    resume.first_available = size_ == 0 ? 0 : oldest;
    if (after >= last_sequence_) {
        return resume;
    }
    Sequence first = std::max(after + 1, oldest);
    resume.gap = first > after + 1;
    const Sequence wanted = last_sequence_ + 1 - first;  // may be 0 when nothing is kept
    if (wanted > limit) {
        first = last_sequence_ + 1 - limit;
        resume.gap = true;
    }
    const std::size_t count = static_cast<std::size_t>(last_sequence_ + 1 - first);
    const std::size_t offset = static_cast<std::size_t>(first - oldest);
    resume.messages.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        resume.messages.push_back(slots_[(head_ + offset + i) % slots_.size()]);
    }
    BARRAGE_ASSERT(resume.messages.empty() || resume.messages.back()->sequence == last_sequence_);
    return resume;
}

}  // namespace barrage::room
