#pragma once

// The operator's Lua hook (docs/hooks.md): a script's `on_message(msg)` decides on every chat
// message before it is sequenced. The script runs in a sandbox (no io, os, require, debug,
// bytecode) under an instruction budget and a memory budget per call; a script that faults
// gets the configured fallback verdict, and the hook carries on with a fresh state.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/owner_thread.h"
#include "base/result.h"
#include "hook/hook_message.h"

namespace barrage::hook {

class LuaScriptSource;
class LuaSandbox;

struct LuaHookOptions {
    // VM instructions one call (or a script's top level, when loaded) may run, counted in steps
    // of 1000; past it the call is cut off. A trivial hook runs a few dozen.
    std::uint64_t instructions_max = 1'000'000;
    // Bytes one Lua state may hold, the script's globals included.
    std::size_t memory_bytes_max = 4 << 20;
    // Bytes one call may add to its state (net of what the collector frees meanwhile).
    std::size_t call_memory_bytes_max = 1 << 20;
    HookFallback fallback = HookFallback::allow;
};

// One per I/O thread. Owner thread only: a Lua state is not thread-safe.
//
// After an "instructions" or "memory" fault the state is replaced by a fresh one running the
// last good script's top level again (its globals start over); after an "error" or a
// "bad_answer" the state is kept, as Lua leaves it consistent after an error.
class LuaHook {
public:
    explicit LuaHook(LuaHookOptions options);
    // Follows `source` (which must outlive the hook): before each call, a changed generation
    // loads the new script.
    LuaHook(LuaHookOptions options, const LuaScriptSource& source);
    ~LuaHook();
    LuaHook(const LuaHook&) = delete;
    LuaHook& operator=(const LuaHook&) = delete;

    // Compiles `source` (text only: bytecode is refused) in a new sandboxed state, runs its top
    // level within the budgets and checks that it defines a global function `on_message`; only
    // then does the new state replace the old one. Fails with std::errc::invalid_argument and
    // the reason in last_error(), the old script still running.
    Status load(std::string_view source, std::string_view chunk_name);

    // The error load() would report for `source`, or nullopt when it would load. Uses a scratch
    // state; safe from any thread. A publisher calls it before LuaScriptSource::publish.
    static std::optional<std::string> check(std::string_view source, std::string_view chunk_name,
                                            const LuaHookOptions& options);

    // Calls the script's `on_message(msg)`. With no script loaded yet, allows (no hook, no
    // fault). Any fault answers the fallback verdict (fell_back, fault set).
    HookVerdict on_message(const HookMessage& message);

    bool loaded() const { return sandbox_ != nullptr; }
    // The last load error or the last call's fault message ("" when none yet).
    const std::string& last_error() const { return last_error_; }
    const HookCounters& counters() const { return counters_; }
    // Bytes the current state holds (0 with no script).
    std::size_t memory_bytes() const;
    // The LuaScriptSource generation of the script running (0 for load() or none).
    std::uint64_t generation() const { return generation_; }

private:
    void follow_source();
    void reset_after_fault();

    LuaHookOptions options_;
    const LuaScriptSource* source_ = nullptr;
    std::unique_ptr<LuaSandbox> sandbox_;
    // The running script, to start a fresh state from after a fault.
    std::string script_source_;
    std::string script_chunk_name_;
    std::uint64_t generation_ = 0;
    // The source generation last tried, loaded or not: a bad script is tried once per thread.
    std::uint64_t generation_seen_ = 0;
    std::string last_error_;
    HookCounters counters_;
    OwnerThread owner_;
};

}  // namespace barrage::hook
