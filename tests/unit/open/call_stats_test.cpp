#include "open/call_stats.h"

#include <gtest/gtest.h>

namespace barrage::open {
namespace {

TEST(CallStats, CountsCallsErrorsByCodeAndLatencyPercentilesPerEndpoint) {
    CallStats stats;
    // 98 fast starts (2 ms), one slow (40 ms), one very slow (300 ms) refused with 7003.
    for (int i = 0; i < 98; ++i) {
        stats.record(7, 0, 0, 2);
    }
    stats.record(7, 0, 0, 40);
    stats.record(7, 0, 7003, 300);
    stats.record(7, 3, 7002, 1);  // one end, refused
    const auto endpoints = stats.of(7);
    EXPECT_EQ(endpoints[0].calls, 100u);
    EXPECT_EQ(endpoints[0].errors, (std::map<int, std::uint64_t>{{7003, 1}}));
    EXPECT_EQ(endpoints[0].p50_ms, 2);
    // The 99th of 100 is the 40 ms call: its bucket (40..47) is reported by its upper bound.
    EXPECT_EQ(endpoints[0].p99_ms, 47);
    EXPECT_EQ(endpoints[1].calls, 0u);
    EXPECT_EQ(endpoints[3].calls, 1u);
    EXPECT_EQ(endpoints[3].errors.at(7002), 1u);
}

TEST(CallStats, AppsAreApartAndBounded) {
    CallStats stats(2);
    stats.record(1, 1, 0, 5);
    stats.record(2, 1, 0, 5);
    stats.record(3, 1, 0, 5);  // a third app: not counted
    stats.record(1, 9, 0, 5);  // no such endpoint: ignored
    EXPECT_EQ(stats.of(1)[1].calls, 1u);
    EXPECT_EQ(stats.of(2)[1].calls, 1u);
    EXPECT_EQ(stats.of(3)[1].calls, 0u);
    EXPECT_EQ(stats.of(99)[0].p99_ms, 0);
}

TEST(CallStats, APercentileIsAtMostAQuarterAboveTheTruthAndBeyondAMinuteIsTheTopBucket) {
    for (const Millis latency : {0, 7, 8, 9, 1000, 45'000}) {
        CallStats stats;
        stats.record(1, 2, 0, latency);
        const Millis reported = stats.of(1)[2].p50_ms;
        EXPECT_GE(reported, latency) << latency;
        EXPECT_LE(reported, latency + latency / 4 + 1) << latency;
    }
    CallStats stats;
    stats.record(1, 2, 0, 70'000'000);
    EXPECT_GT(stats.of(1)[2].p50_ms, 60'000);
}

}  // namespace
}  // namespace barrage::open
