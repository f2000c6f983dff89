#include "loadgen/token_bucket.h"

#include <gtest/gtest.h>

namespace barrage::loadgen {
namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

TEST(TokenBucket, StartsFullAndRefillsAtTheRate) {
    TokenBucket bucket(1000, 4096, 0);
    EXPECT_EQ(bucket.available(0), 4096u);
    bucket.take(4096, 0);
    EXPECT_EQ(bucket.available(0), 0u);
    EXPECT_EQ(bucket.available(kSecondNs / 2), 500u);
    EXPECT_EQ(bucket.available(kSecondNs), 1000u);
}

TEST(TokenBucket, NeverHoldsMoreThanTheBurst) {
    TokenBucket bucket(1000, 4096, 0);
    bucket.take(100, 0);
    EXPECT_EQ(bucket.available(3600 * kSecondNs), 4096u);
}

TEST(TokenBucket, WaitIsTheTimeUntilTheTokensAreThere) {
    TokenBucket bucket(20'000, 4096, 0);
    bucket.take(4096, 0);
    const std::int64_t wait = bucket.wait_ns(4096, 0);
    EXPECT_EQ(wait, 4096 * kSecondNs / 20'000);  // 204.8 ms
    EXPECT_LT(bucket.available(wait - 1'000'000), 4096u);
    EXPECT_GE(bucket.available(wait), 4095u);  // whole tokens, rounding aside
    EXPECT_EQ(bucket.wait_ns(1, wait), 0);
}

TEST(TokenBucket, AWaitForMoreThanTheBurstIsCappedAtTheBurst) {
    TokenBucket bucket(100, 50, 0);
    bucket.take(50, 0);
    EXPECT_EQ(bucket.wait_ns(4096, 0), kSecondNs / 2);
}

TEST(TokenBucket, ReadingAtTheCapAveragesTheRate) {
    // A slow reader's loop: wait until a chunk is allowed, read it, repeat for 10 s.
    TokenBucket bucket(20'000, 4096, 0);
    std::int64_t now = 0;
    std::size_t read = 0;
    while (now < 10 * kSecondNs) {
        now += bucket.wait_ns(4096, now);
        const std::size_t chunk = std::min<std::size_t>(4096, bucket.available(now));
        bucket.take(chunk, now);
        read += chunk;
        now += 1;  // time moves on between reads
    }
    // 10 s at 20,000 B/s plus the initial burst, within one chunk.
    EXPECT_NEAR(static_cast<double>(read), 200'000 + 4096, 4096);
}

TEST(TokenBucket, AClockReadingFromThePastRefillsNothing) {
    TokenBucket bucket(1000, 1000, 5 * kSecondNs);
    bucket.take(1000, 5 * kSecondNs);
    EXPECT_EQ(bucket.available(4 * kSecondNs), 0u);
    EXPECT_EQ(bucket.available(5 * kSecondNs + kSecondNs / 10), 100u);
}

// A slow reader's loop as the load generator runs it: wait for a chunk, then read all that is
// allowed. `late_ns`: how late each timer fires (the thread busy with other readers).
std::size_t read_for_ten_seconds(double rate, std::int64_t late_ns) {
    SlowReadPacing pacing(rate, 4096, 0);
    std::int64_t now = 0;
    std::size_t read = 0;
    while (now < 10 * kSecondNs) {
        if (const std::int64_t wait = pacing.wait_ns(now); wait > 0) {
            now += wait + late_ns;
            continue;
        }
        const std::size_t chunk = pacing.allowed(now);
        pacing.bucket.take(chunk, now);
        read += chunk;
        now += 1;
    }
    return read;
}

TEST(SlowReadPacing, OnTimeItReadsAChunkAtATimeAtItsRate) {
    SlowReadPacing pacing(20'000, 4096, 0);
    EXPECT_EQ(pacing.wanted(), 4096u);
    // 10 s at 20,000 B/s plus the initial burst (a quarter second, at least a chunk).
    EXPECT_NEAR(static_cast<double>(read_for_ten_seconds(20'000, 0)), 200'000 + 5'000, 4096);
}

TEST(SlowReadPacing, LateTimersDoNotLowerTheRate) {
    // 200 kB/s with every wake-up 50 ms late: a one-chunk burst would read 4 KiB per
    // ~70 ms (under 60 kB/s); the quarter-second burst keeps the 2 MB.
    const double read = static_cast<double>(read_for_ten_seconds(200'000, 50'000'000));
    EXPECT_GT(read, 0.97 * 2'000'000);
    EXPECT_LT(read, 2'000'000 + 50'000 + 4096);
}

TEST(SlowReadPacing, ARateBelowAChunkWaitsForTheRateNotTheChunk) {
    SlowReadPacing pacing(1000, 4096, 0);
    EXPECT_EQ(pacing.wanted(), 1000u);
    pacing.bucket.take(pacing.allowed(0), 0);
    EXPECT_EQ(pacing.wait_ns(0), kSecondNs);
}

}  // namespace
}  // namespace barrage::loadgen
