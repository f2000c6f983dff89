#include "store/like_totals.h"

#include <utility>
#include <vector>

#include <boost/asio/post.hpp>

#include "base/log.h"

namespace barrage::store {

void LikeTotals::update(RoomId room, std::uint64_t total) {
    bool queue = false;
    {
        MutexLock lock(mutex_);
        unsaved_[room] = total;
        queue = !std::exchange(queued_, true);
    }
    if (queue) {
        boost::asio::post(store_, [this] { save(); });
    }
}

void LikeTotals::save() {
    std::vector<std::pair<RoomId, std::uint64_t>> totals;
    {
        MutexLock lock(mutex_);
        totals.assign(unsaved_.begin(), unsaved_.end());
        unsaved_.clear();
        queued_ = false;
    }
    if (auto saved = directory_.save_like_totals(totals); !saved) {
        // The next window's save carries the rooms on; a restart loses at most what they add.
        log::warn("like totals of {} rooms not saved: {}", totals.size(), saved.error().message());
        return;
    }
    MutexLock lock(mutex_);
    ++saves_;
}

std::uint64_t LikeTotals::saves() const {
    MutexLock lock(mutex_);
    return saves_;
}

}  // namespace barrage::store
