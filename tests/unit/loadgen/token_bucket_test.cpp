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

}  // namespace
}  // namespace barrage::loadgen
