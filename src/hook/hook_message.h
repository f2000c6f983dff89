#pragma once

// What a server hook (a Lua script or an HTTP webhook, docs/hooks.md) sees of a chat message
// before it is sequenced, and what it answers: allow, reject with a reason the sender gets, or
// rewrite the text. Plain values: they copy cheaply and cross threads.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace barrage::hook {

struct HookMessage {
    std::uint64_t room = 0;
    std::uint64_t uid = 0;
    std::string uname;
    std::string role;  // "viewer", "manager", "host", "admin", "bot"
    std::string kind;  // "danmaku", "super_chat", "gift", ...
    std::string text;
};

enum class HookAction { allow, reject, rewrite };

struct HookVerdict {
    HookAction action = HookAction::allow;
    std::string reason;  // for reject: what the sender is told
    std::string text;    // for rewrite: the new text
    // The hook failed and the configured fallback answered; `fault` says why (hook_fault below).
    bool fell_back = false;
    std::string fault;
};

// What a failing hook answers: let the message through, or refuse it (kFallbackReason).
enum class HookFallback { allow, reject };

// The reason a message refused by the reject fallback carries.
inline constexpr std::string_view kFallbackReason = "moderation unavailable";

// A rewritten text's bytes and a reject reason's bytes: past either the hook's answer is a
// "bad_answer" fault. A danmaku is far shorter; the bound keeps a runaway hook from inflating
// what every viewer of the room receives.
inline constexpr std::size_t kRewriteBytesMax = 1000;
inline constexpr std::size_t kReasonBytesMax = 200;

// Why the fallback applied (HookVerdict::fault), as /metrics and logs name it.
namespace hook_fault {
inline constexpr std::string_view instructions = "instructions";  // Lua: instruction budget spent
inline constexpr std::string_view memory = "memory";              // Lua: memory budget spent
inline constexpr std::string_view error = "error";                // Lua runtime error; webhook I/O error
inline constexpr std::string_view deadline = "deadline";          // webhook: no answer in time
inline constexpr std::string_view http_status = "http_status";    // webhook: answer not 2xx
inline constexpr std::string_view unreachable = "unreachable";    // webhook: connection refused
inline constexpr std::string_view circuit_open = "circuit_open";  // webhook: breaker open
inline constexpr std::string_view busy = "busy";                  // webhook: concurrency limit
inline constexpr std::string_view bad_answer = "bad_answer";      // answer outside the contract
}  // namespace hook_fault

// The fallback verdict for `fault`.
HookVerdict fallback_verdict(HookFallback fallback, std::string_view fault);

// True when `text` may replace a message's text: 1..kRewriteBytesMax bytes of valid UTF-8.
bool is_valid_rewrite(std::string_view text);
// True when `reason` may go to a sender: at most kReasonBytesMax bytes of valid UTF-8.
bool is_valid_reason(std::string_view reason);

// Plain counters of one hook (one per I/O thread: the owner's thread only); /metrics sums them.
struct HookCounters {
    std::uint64_t calls = 0;
    std::uint64_t allowed = 0;    // verdicts, fallbacks included
    std::uint64_t rejected = 0;   // verdicts, fallbacks included
    std::uint64_t rewritten = 0;  // verdicts
    std::uint64_t fell_back = 0;  // all faults
    std::uint64_t fault_instructions = 0;
    std::uint64_t fault_memory = 0;
    std::uint64_t fault_error = 0;
    std::uint64_t fault_deadline = 0;
    std::uint64_t fault_http_status = 0;
    std::uint64_t fault_unreachable = 0;
    std::uint64_t fault_circuit_open = 0;
    std::uint64_t fault_busy = 0;
    std::uint64_t fault_bad_answer = 0;
    std::uint64_t reloads = 0;          // Lua: scripts loaded (after a publish or a fault)
    std::uint64_t reload_failures = 0;  // Lua: scripts refused (the old one kept running)

    // Counts one call and its verdict.
    void record(const HookVerdict& verdict);
    // Adds another loop's counters (for totals).
    HookCounters& operator+=(const HookCounters& other);
};

}  // namespace barrage::hook
