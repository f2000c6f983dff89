#pragma once

#include <memory>
#include <utility>

#include "base/mutex.h"
#include "moderation/word_list.h"

namespace barrage::moderation {

// The platform-wide word list every room's messages pass, swapped whole when an admin replaces
// it: senders take the snapshot they hold (one shared_ptr copy under a short lock) and a new
// list takes effect on the next message. Thread-safe.
class SharedWordList {
public:
    std::shared_ptr<const WordList> get() const {
        MutexLock lock(mutex_);
        return list_;
    }
    void set(std::shared_ptr<const WordList> list) {
        MutexLock lock(mutex_);
        list_ = std::move(list);
    }

private:
    mutable Mutex mutex_;
    std::shared_ptr<const WordList> list_ BARRAGE_GUARDED_BY(mutex_);
};

}  // namespace barrage::moderation
