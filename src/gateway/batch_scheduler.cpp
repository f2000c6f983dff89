#include "gateway/batch_scheduler.h"

namespace barrage::gateway {

bool BatchScheduler::schedule(RoomId room, Millis due_ms) {
    if (!waiting_.insert(room).second) {
        return false;
    }
    const bool earlier = dues_.empty() || due_ms < dues_.top().first;
    dues_.emplace(due_ms, room);
    return earlier;
}

void BatchScheduler::run_due(Millis now_ms, const std::function<std::optional<Millis>(RoomId room)>& look) {
    while (!dues_.empty() && dues_.top().first <= now_ms) {
        const RoomId room = dues_.top().second;
        dues_.pop();
        const auto due = look(room);
        if (!due || *due <= now_ms) {
            waiting_.erase(room);  // flushed by look(), or nothing pending
        } else {
            dues_.emplace(*due, room);
        }
    }
}

std::optional<Millis> BatchScheduler::next_due() const {
    if (dues_.empty()) {
        return std::nullopt;
    }
    return dues_.top().first;
}

void BatchScheduler::clear() {
    waiting_.clear();
    dues_ = {};
}

}  // namespace barrage::gateway
