#pragma once

#include <atomic>
#include <thread>

#include "base/assert.h"

namespace barrage {

// Checks that an object is used from one thread only (a room from its home loop): the first
// check() binds it to the calling thread and later ones assert that they run there. release()
// lets the next check() bind again, for state set up on the main thread before its loop takes
// it over. Compiled in where BARRAGE_OWNER_CHECKS is defined (Debug builds and the CI build,
// see the top-level CMakeLists.txt); elsewhere it is empty and costs nothing.
class OwnerThread {
public:
#ifdef BARRAGE_OWNER_CHECKS
    void check() const {
        const auto me = std::this_thread::get_id();
        auto owner = owner_.load(std::memory_order_relaxed);
        if (owner == std::thread::id{} && owner_.compare_exchange_strong(owner, me, std::memory_order_relaxed)) {
            return;
        }
        BARRAGE_ASSERT(owner == me);
    }
    void release() {
        owner_.store(std::thread::id{}, std::memory_order_relaxed);
    }

private:
    mutable std::atomic<std::thread::id> owner_{};
#else
    void check() const {}
    void release() {}
#endif
};

}  // namespace barrage
