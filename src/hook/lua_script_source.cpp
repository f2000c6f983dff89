#include "hook/lua_script_source.h"

#include <utility>

namespace barrage::hook {

std::uint64_t LuaScriptSource::publish(std::string source, std::string chunk_name) {
    MutexLock lock(mutex_);
    const std::uint64_t generation = generation_.load(std::memory_order_relaxed) + 1;
    script_ = std::make_shared<const LuaScript>(
        LuaScript{.source = std::move(source), .chunk_name = std::move(chunk_name), .generation = generation});
    // After the script: a thread that sees the new generation finds its script under the lock.
    generation_.store(generation, std::memory_order_release);
    return generation;
}

std::shared_ptr<const LuaScript> LuaScriptSource::current() const {
    MutexLock lock(mutex_);
    return script_;
}

}  // namespace barrage::hook
