#pragma once

// What every thread's webhook calls share: the concurrency limit and the circuit breaker.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/clock.h"
#include "base/mutex.h"
#include "hook/webhook_options.h"

namespace barrage::hook {

enum class BreakerState { closed, open, half_open };

class WebhookGuard;

// One admitted call's place in the guard, or why it was refused. Move-only; owned by the call.
// A ticket that ends without succeeded() or failed() (its call was cancelled) frees its place
// and tells the breaker nothing.
class WebhookTicket {
public:
    WebhookTicket() = default;
    WebhookTicket(WebhookTicket&& other) noexcept;
    WebhookTicket& operator=(WebhookTicket&& other) noexcept;
    ~WebhookTicket();

    bool granted() const { return guard_ != nullptr; }
    // Why a ticket was refused: hook_fault::busy or hook_fault::circuit_open ("" if granted).
    std::string_view refusal() const { return refusal_; }
    // Whether this call is the half-open breaker's one probe.
    bool probe() const { return probe_; }

    // The hook answered within the contract (closes the breaker) or did not (counts towards
    // opening it). Either ends the ticket.
    void succeeded();
    void failed();

private:
    friend class WebhookGuard;
    void finish(int outcome);

    WebhookGuard* guard_ = nullptr;
    bool probe_ = false;
    std::string_view refusal_;
};

// Safe from any thread (one mutex; two short critical sections per call). Time comes from the
// injected clock's steady_ms.
//
// Breaker: closed -> open after breaker_failures consecutive failures -> after breaker_open_ms
// half-open, where one probe call is let through (the others refused as circuit_open) -> the
// probe's success closes it, its failure opens it for another breaker_open_ms.
class WebhookGuard {
public:
    WebhookGuard(const WebhookOptions& options, const Clock& clock);

    // A place for one call, or a refused ticket: busy past concurrency_max, circuit_open while
    // the breaker is open (or half-open with its probe in flight).
    WebhookTicket admit() BARRAGE_EXCLUDES(mutex_);

    BreakerState state() const BARRAGE_EXCLUDES(mutex_);
    std::size_t in_flight() const BARRAGE_EXCLUDES(mutex_);

private:
    friend class WebhookTicket;
    // outcome: 1 succeeded, 0 failed, -1 abandoned.
    void release(bool probe, int outcome) BARRAGE_EXCLUDES(mutex_);

    const Clock& clock_;
    const std::size_t concurrency_max_;
    const std::uint32_t breaker_failures_;
    const Millis breaker_open_ms_;

    mutable Mutex mutex_;
    std::size_t in_flight_ BARRAGE_GUARDED_BY(mutex_) = 0;
    BreakerState state_ BARRAGE_GUARDED_BY(mutex_) = BreakerState::closed;
    std::uint32_t failures_ BARRAGE_GUARDED_BY(mutex_) = 0;  // consecutive
    Millis opened_at_ms_ BARRAGE_GUARDED_BY(mutex_) = 0;
    bool probe_in_flight_ BARRAGE_GUARDED_BY(mutex_) = false;
};

}  // namespace barrage::hook
