#include "hook/webhook_guard.h"

#include <utility>

namespace barrage::hook {

namespace {

constexpr int kSucceeded = 1;
constexpr int kFailed = 0;
constexpr int kAbandoned = -1;

}  // namespace

WebhookTicket::WebhookTicket(WebhookTicket&& other) noexcept
    : guard_(std::exchange(other.guard_, nullptr)), probe_(other.probe_), refusal_(other.refusal_) {}

WebhookTicket& WebhookTicket::operator=(WebhookTicket&& other) noexcept {
    if (this != &other) {
        finish(kAbandoned);
        guard_ = std::exchange(other.guard_, nullptr);
        probe_ = other.probe_;
        refusal_ = other.refusal_;
    }
    return *this;
}

WebhookTicket::~WebhookTicket() {
    finish(kAbandoned);
}

void WebhookTicket::succeeded() {
    finish(kSucceeded);
}

void WebhookTicket::failed() {
    finish(kFailed);
}

void WebhookTicket::finish(int outcome) {
    if (guard_ == nullptr) {
        return;
    }
    std::exchange(guard_, nullptr)->release(probe_, outcome);
}

WebhookGuard::WebhookGuard(const WebhookOptions& options, const Clock& clock)
    : clock_(clock),
      concurrency_max_(options.concurrency_max),
      breaker_failures_(options.breaker_failures),
      breaker_open_ms_(options.breaker_open_ms) {}

WebhookTicket WebhookGuard::admit() {
    WebhookTicket ticket;
    MutexLock lock(mutex_);
    if (state_ == BreakerState::open) {
        if (clock_.steady_ms() - opened_at_ms_ < breaker_open_ms_) {
            ticket.refusal_ = hook_fault::circuit_open;
            return ticket;
        }
        state_ = BreakerState::half_open;
    }
    const bool probe = state_ == BreakerState::half_open;
    if (probe && probe_in_flight_) {
        ticket.refusal_ = hook_fault::circuit_open;
        return ticket;
    }
    if (in_flight_ >= concurrency_max_) {
        ticket.refusal_ = hook_fault::busy;
        return ticket;
    }
    ++in_flight_;
    probe_in_flight_ = probe_in_flight_ || probe;
    ticket.guard_ = this;
    ticket.probe_ = probe;
    return ticket;
}

void WebhookGuard::release(bool probe, int outcome) {
    MutexLock lock(mutex_);
    --in_flight_;
    if (probe) {
        probe_in_flight_ = false;
    }
    if (outcome == kAbandoned) {
        return;
    }
    if (outcome == kSucceeded) {
        failures_ = 0;
        state_ = BreakerState::closed;
        return;
    }
    ++failures_;
    const bool opens = state_ == BreakerState::half_open || (breaker_failures_ > 0 && failures_ >= breaker_failures_);
    if (opens) {
        state_ = BreakerState::open;
        opened_at_ms_ = clock_.steady_ms();
    }
}

BreakerState WebhookGuard::state() const {
    MutexLock lock(mutex_);
    return state_;
}

std::size_t WebhookGuard::in_flight() const {
    MutexLock lock(mutex_);
    return in_flight_;
}

}  // namespace barrage::hook
