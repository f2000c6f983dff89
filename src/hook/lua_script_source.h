#pragma once

// The Lua hook's current script, shared by every I/O thread's LuaHook: an operator publishes a
// new script here and each thread switches to it before its next call, without dropping a
// message (docs/hooks.md, "Reload").

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/mutex.h"

namespace barrage::hook {

struct LuaScript {
    std::string source;
    std::string chunk_name;        // shown in error messages ("name:3: ...")
    std::uint64_t generation = 0;  // 1 for the first script published, then one more each time
};

// Safe from any thread. A publisher validates a script first (LuaHook::check) so a bad script
// is refused with its error before any thread sees it; should one still fail on a thread, that
// thread keeps running its old script.
class LuaScriptSource {
public:
    // Makes `source` the current script; answers its generation.
    std::uint64_t publish(std::string source, std::string chunk_name);
    // The current generation (0: nothing published yet). One atomic load: LuaHook asks before
    // every call.
    std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }
    // The current script, or null when nothing was published yet.
    std::shared_ptr<const LuaScript> current() const;

private:
    mutable Mutex mutex_;
    std::shared_ptr<const LuaScript> script_ BARRAGE_GUARDED_BY(mutex_);
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace barrage::hook
