#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/ids.h"
#include "hook/hook_message.h"

namespace barrage::hook {

// The operator's HTTP webhook (docs/hooks.md, "Webhook").
struct WebhookOptions {
    // http://host[:port]/path (no https: the hook is expected on the operator's own network).
    std::string url;
    // Signs every request (X-Barrage-Signature); the hook verifies it.
    std::string secret;
    // One whole call: connect, write and read. A chat message waits for it before it is
    // sequenced, so it is short.
    Millis deadline_ms = 200;
    // Calls in flight over all threads; past it a call falls back at once ("busy") rather than
    // queue behind a slow hook.
    std::size_t concurrency_max = 64;
    // Consecutive failed calls that open the circuit breaker (0: never open it) ...
    std::uint32_t breaker_failures = 5;
    // ... and how long it stays open before one probe call may try the hook again.
    Millis breaker_open_ms = 5000;
    HookFallback fallback = HookFallback::allow;
};

}  // namespace barrage::hook
