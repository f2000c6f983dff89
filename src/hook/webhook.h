#pragma once

// The operator's HTTP webhook (docs/hooks.md, "Webhook"): every chat message is POSTed as JSON,
// signed with HMAC-SHA256, and the hook answers allow, reject or rewrite within a deadline.
// Beast stays inside webhook.cpp.
//
// Request:  POST <path>  Content-Type: application/json
//           X-Barrage-Timestamp: <unix ms>
//           X-Barrage-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//           {"room":1,"uid":2,"uname":"..","role":"viewer","kind":"danmaku","text":".."}
// Answer:   2xx with {"action":"allow"} | {"action":"reject","reason":".."} |
//           {"action":"rewrite","text":".."}

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "base/owner_thread.h"
#include "base/result.h"
#include "hook/hook_message.h"
#include "hook/webhook_guard.h"
#include "hook/webhook_options.h"

namespace barrage::hook {

// Where an http:// URL points.
struct WebhookTarget {
    std::string host;
    std::string port;    // "80" when the URL names none
    std::string target;  // path and query, "/" when empty
};

// The parts of `url`, or std::errc::invalid_argument when it is not http://host[:port][/path]
// (https, user info and fragments are refused). Check a configured URL with it at start-up.
Result<WebhookTarget> parse_webhook_url(std::string_view url);

// The X-Barrage-Signature value for a request: "sha256=" and the lowercase hex of
// HMAC-SHA256(secret, timestamp + "." + body).
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

// Whether `header` (an X-Barrage-Signature value) signs `timestamp` and `body` under `secret`;
// compares in constant time. For hook authors and tests: a hook should also refuse timestamps
// far from its own clock, which this does not check.
bool verify_webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body,
                              std::string_view header);

// The verdict a 2xx answer's body says, or nullopt when the body is outside the contract (not
// a JSON object, an unknown action, a missing or invalid text, a reason that is not a valid
// one): the caller's bad_answer.
std::optional<HookVerdict> parse_webhook_answer(std::string_view body);

// The request body for `message` (compact JSON, fields in the order above).
std::string webhook_body(const HookMessage& message);

class WebhookConnection;

// One per I/O thread. Owner thread only: call() runs on the owner's io_context and keeps a
// small pool of keep-alive connections to the hook. Must outlive its calls.
class WebhookClient {
public:
    // `options.url` must parse (parse_webhook_url); `guard` and `clock` must outlive the
    // client. The guard is shared by every thread's client.
    WebhookClient(WebhookOptions options, WebhookGuard& guard, const Clock& clock);
    ~WebhookClient();
    WebhookClient(const WebhookClient&) = delete;
    WebhookClient& operator=(const WebhookClient&) = delete;

    // Asks the hook about `message` (read before the first suspension: the caller may let it
    // go once call() has been started). Never fails: a fault answers the fallback verdict
    // (fell_back, fault: busy, circuit_open, deadline, unreachable, http_status, bad_answer,
    // error).
    boost::asio::awaitable<HookVerdict> call(const HookMessage& message);

    const HookCounters& counters() const { return counters_; }
    // Keep-alive connections waiting for the next call.
    std::size_t idle_connections() const { return idle_.size(); }

private:
    struct Exchange;
    boost::asio::awaitable<HookVerdict> ask(std::string body);
    boost::asio::awaitable<void> send(Exchange& exchange);

    WebhookOptions options_;
    WebhookTarget target_;
    WebhookGuard& guard_;
    const Clock& clock_;
    std::vector<std::unique_ptr<WebhookConnection>> idle_;
    HookCounters counters_;
    OwnerThread owner_;
};

}  // namespace barrage::hook
