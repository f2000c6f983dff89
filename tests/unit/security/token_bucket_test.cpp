#include "security/token_bucket.h"

#include <gtest/gtest.h>

namespace barrage::security {
namespace {

constexpr Rate kRate{.per_second = 10.0, .burst = 5.0};

TEST(TokenBucket, StartsFullTakesThenRefillsWithTimeUpToTheBurst) {
    auto bucket = TokenBucket::full(kRate, 1000);
    EXPECT_EQ(bucket.available(kRate, 1000), 5U);
    EXPECT_TRUE(bucket.take(kRate, 1000, 5));
    EXPECT_FALSE(bucket.take(kRate, 1000));
    EXPECT_EQ(bucket.available(kRate, 1099), 0U);
    EXPECT_EQ(bucket.available(kRate, 1100), 1U);  // 10 per second: one per 100 ms
    EXPECT_EQ(bucket.available(kRate, 60'000), 5U);
}

TEST(TokenBucket, TakingMoreThanThereIsTakesNothing) {
    auto bucket = TokenBucket::full(kRate, 0);
    EXPECT_FALSE(bucket.take(kRate, 0, 6));
    EXPECT_EQ(bucket.available(kRate, 0), 5U);
}

TEST(TokenBucket, FullAtIsWhenTheMissingTokensHaveRefilled) {
    auto bucket = TokenBucket::full(kRate, 0);
    EXPECT_EQ(bucket.full_at_ms(kRate), 0);
    ASSERT_TRUE(bucket.take(kRate, 0, 2));
    EXPECT_EQ(bucket.full_at_ms(kRate), 200);
    const Rate frozen{.per_second = 0, .burst = 5};
    EXPECT_GT(bucket.full_at_ms(frozen), Millis{1} << 40);
}

}  // namespace
}  // namespace barrage::security
