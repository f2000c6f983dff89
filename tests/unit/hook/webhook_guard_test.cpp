#include "hook/webhook_guard.h"

#include <gtest/gtest.h>

namespace barrage::hook {
namespace {

WebhookOptions options() {
    WebhookOptions options;
    options.concurrency_max = 2;
    options.breaker_failures = 3;
    options.breaker_open_ms = 5000;
    return options;
}

void fail_once(WebhookGuard& guard) {
    auto ticket = guard.admit();
    ASSERT_TRUE(ticket.granted());
    ticket.failed();
}

TEST(WebhookGuard, RefusesPastTheConcurrencyLimitAsBusy) {
    FakeClock clock;
    WebhookGuard guard(options(), clock);
    auto first = guard.admit();
    auto second = guard.admit();
    EXPECT_TRUE(first.granted());
    EXPECT_TRUE(second.granted());
    auto third = guard.admit();
    EXPECT_FALSE(third.granted());
    EXPECT_EQ(third.refusal(), "busy");
    EXPECT_EQ(guard.in_flight(), 2u);
    first.succeeded();
    EXPECT_TRUE(guard.admit().granted());  // its place is free again (and freed on destruction)
    EXPECT_EQ(guard.in_flight(), 1u);
}

TEST(WebhookGuard, OpensAfterConsecutiveFailures) {
    FakeClock clock;
    WebhookGuard guard(options(), clock);
    fail_once(guard);
    fail_once(guard);
    EXPECT_EQ(guard.state(), BreakerState::closed);
    fail_once(guard);
    EXPECT_EQ(guard.state(), BreakerState::open);
    auto refused = guard.admit();
    EXPECT_FALSE(refused.granted());
    EXPECT_EQ(refused.refusal(), "circuit_open");
    clock.advance_ms(4999);
    EXPECT_EQ(guard.admit().refusal(), "circuit_open");
}

TEST(WebhookGuard, ASuccessResetsTheCount) {
    FakeClock clock;
    WebhookGuard guard(options(), clock);
    fail_once(guard);
    fail_once(guard);
    guard.admit().succeeded();
    fail_once(guard);
    fail_once(guard);
    EXPECT_EQ(guard.state(), BreakerState::closed);
}

TEST(WebhookGuard, HalfOpensForOneProbeWhoseSuccessCloses) {
    FakeClock clock;
    WebhookGuard guard(options(), clock);
    for (int i = 0; i < 3; ++i) {
        fail_once(guard);
    }
    clock.advance_ms(5000);
    auto probe = guard.admit();
    ASSERT_TRUE(probe.granted());
    EXPECT_TRUE(probe.probe());
    EXPECT_EQ(guard.state(), BreakerState::half_open);
    EXPECT_EQ(guard.admit().refusal(), "circuit_open");  // one probe at a time
    probe.succeeded();
    EXPECT_EQ(guard.state(), BreakerState::closed);
    auto next = guard.admit();
    EXPECT_TRUE(next.granted());
    EXPECT_FALSE(next.probe());
}

TEST(WebhookGuard, AFailedProbeOpensAgainForAnotherPeriod) {
    FakeClock clock;
    WebhookGuard guard(options(), clock);
    for (int i = 0; i < 3; ++i) {
        fail_once(guard);
    }
    clock.advance_ms(5000);
    fail_once(guard);
    EXPECT_EQ(guard.state(), BreakerState::open);
    clock.advance_ms(4999);
    EXPECT_EQ(guard.admit().refusal(), "circuit_open");
    clock.advance_ms(1);
    EXPECT_TRUE(guard.admit().probe());
}

TEST(WebhookGuard, AnAbandonedProbeLetsTheNextCallProbe) {
    FakeClock clock;
    WebhookGuard guard(options(), clock);
    for (int i = 0; i < 3; ++i) {
        fail_once(guard);
    }
    clock.advance_ms(5000);
    {
        auto probe = guard.admit();
        EXPECT_TRUE(probe.probe());
    }
    EXPECT_EQ(guard.state(), BreakerState::half_open);
    EXPECT_TRUE(guard.admit().probe());
    EXPECT_EQ(guard.in_flight(), 0u);
}

TEST(WebhookGuard, ZeroFailuresNeverOpens) {
    FakeClock clock;
    auto never = options();
    never.breaker_failures = 0;
    WebhookGuard guard(never, clock);
    for (int i = 0; i < 10; ++i) {
        fail_once(guard);
    }
    EXPECT_EQ(guard.state(), BreakerState::closed);
}

TEST(WebhookGuard, AMovedTicketHoldsOnePlace) {
    FakeClock clock;
    WebhookGuard guard(options(), clock);
    auto ticket = guard.admit();
    WebhookTicket moved = std::move(ticket);
    EXPECT_EQ(guard.in_flight(), 1u);
    moved = guard.admit();
    EXPECT_EQ(guard.in_flight(), 1u);
    moved.failed();
    EXPECT_EQ(guard.in_flight(), 0u);
}

}  // namespace
}  // namespace barrage::hook
