#include "security/keyed_rate_limiter.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace barrage::security {
namespace {

TEST(KeyedRateLimiter, KeysHaveTheirOwnBuckets) {
    FakeClock clock;
    KeyedRateLimiter<std::string> limiter({.per_second = 1, .burst = 2, .keys_max = 10}, clock);
    EXPECT_TRUE(limiter.allow("a"));
    EXPECT_TRUE(limiter.allow("a"));
    EXPECT_FALSE(limiter.allow("a"));
    EXPECT_TRUE(limiter.allow("b"));
    clock.advance_ms(1000);
    EXPECT_TRUE(limiter.allow("a"));
}

TEST(KeyedRateLimiter, ANewKeyIsRefusedRatherThanTheMapGrownPastItsBound) {
    FakeClock clock;
    KeyedRateLimiter<int> limiter({.per_second = 1, .burst = 2, .keys_max = 2}, clock);
    EXPECT_TRUE(limiter.allow(1));
    EXPECT_TRUE(limiter.allow(2));
    EXPECT_FALSE(limiter.allow(3)) << "both tracked keys are still refilling";
    EXPECT_EQ(limiter.tracked_keys(), 2U);
    clock.advance_ms(1000);  // both full again: forgetting them is exact
    EXPECT_TRUE(limiter.allow(3));
    EXPECT_LE(limiter.tracked_keys(), 2U);
}

TEST(KeyedRateLimiter, CheckTellsAKeyOverItsRateFromAKeyThatCouldNotBeTracked) {
    FakeClock clock;
    using Verdict = KeyedRateLimiter<int>::Verdict;
    KeyedRateLimiter<int> limiter({.per_second = 1, .burst = 1, .keys_max = 1}, clock);
    EXPECT_EQ(limiter.check(1), Verdict::allowed);
    EXPECT_EQ(limiter.check(1), Verdict::limited);
    EXPECT_EQ(limiter.check(2), Verdict::full) << "key 1 is still refilling, so it cannot be forgotten";
}

TEST(SharedRateLimiter, CountsEveryThreadsCallsAgainstOneBucket) {
    FakeClock clock;
    SharedRateLimiter<std::string> limiter({.per_second = 0.001, .burst = 100, .keys_max = 10}, clock);
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                allowed += limiter.allow("10.0.0.1") ? 1 : 0;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace barrage::security
