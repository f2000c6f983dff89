#pragma once

#include <cstdint>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>

#include "base/ids.h"
#include "base/mutex.h"
#include "store/directory.h"

namespace barrage::store {

// Saves rooms' running like totals off the I/O threads. The hub tells a room's latest total
// once per like window (Hub::set_like_sink); at most one save is queued on the store pool at a
// time, and it writes the latest total of every room told since in one transaction. A storm
// therefore costs one write per window however many taps it has, and a crash loses at most
// the window being said and the save in flight. Safe from any thread.
class LikeTotals {
public:
    LikeTotals(Directory& directory, boost::asio::any_io_executor store) : directory_(directory), store_(store) {}

    void update(RoomId room, std::uint64_t total) BARRAGE_EXCLUDES(mutex_);

    std::uint64_t saves() const BARRAGE_EXCLUDES(mutex_);  // transactions written (tests)

private:
    void save() BARRAGE_EXCLUDES(mutex_);

    Directory& directory_;
    boost::asio::any_io_executor store_;
    mutable Mutex mutex_;
    std::unordered_map<RoomId, std::uint64_t> unsaved_ BARRAGE_GUARDED_BY(mutex_);
    bool queued_ BARRAGE_GUARDED_BY(mutex_) = false;
    std::uint64_t saves_ BARRAGE_GUARDED_BY(mutex_) = 0;
};

}  // namespace barrage::store
