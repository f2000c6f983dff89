#include "room/rate_limiter.h"

#include <gtest/gtest.h>

namespace barrage::room {
namespace {

constexpr UserId kAlice{1};
constexpr UserId kBob{2};

UserRateLimiter::Options options(std::size_t users_max = 100) {
    return {.per_second = 2.0, .burst = 3.0, .users_max = users_max};
}

TEST(UserRateLimiter, AllowsBurstThenRefuses) {
    FakeClock clock;
    UserRateLimiter limiter(options(), clock);
    EXPECT_TRUE(limiter.allow(kAlice));
    EXPECT_TRUE(limiter.allow(kAlice));
    EXPECT_TRUE(limiter.allow(kAlice));
    EXPECT_FALSE(limiter.allow(kAlice));
}

TEST(UserRateLimiter, UsersHaveSeparateBuckets) {
    FakeClock clock;
    UserRateLimiter limiter(options(), clock);
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(limiter.allow(kAlice));
    }
    EXPECT_FALSE(limiter.allow(kAlice));
    EXPECT_TRUE(limiter.allow(kBob));
}

TEST(UserRateLimiter, RefillsWithTime) {
    FakeClock clock;
    UserRateLimiter limiter(options(), clock);
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(limiter.allow(kAlice));
    }
    clock.advance_ms(499);
    EXPECT_FALSE(limiter.allow(kAlice));  // 0.998 tokens
    clock.advance_ms(1);
    EXPECT_TRUE(limiter.allow(kAlice));
    EXPECT_FALSE(limiter.allow(kAlice));
}

TEST(UserRateLimiter, RefillStopsAtBurst) {
    FakeClock clock;
    UserRateLimiter limiter(options(), clock);
    EXPECT_TRUE(limiter.allow(kAlice));
    clock.advance_ms(60'000);
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(limiter.allow(kAlice));
    }
    EXPECT_FALSE(limiter.allow(kAlice));
}

TEST(UserRateLimiter, RefusesNewUserWhenFullOfActiveUsers) {
    FakeClock clock;
    UserRateLimiter limiter(options(2), clock);
    EXPECT_TRUE(limiter.allow(UserId{1}));
    EXPECT_TRUE(limiter.allow(UserId{2}));
    EXPECT_FALSE(limiter.allow(UserId{3}));
    EXPECT_EQ(limiter.tracked_users(), 2U);
    // Users already tracked keep their share.
    EXPECT_TRUE(limiter.allow(UserId{1}));
}

TEST(UserRateLimiter, EvictsFullBucketsToAdmitNewUsers) {
    FakeClock clock;
    UserRateLimiter limiter(options(2), clock);
    EXPECT_TRUE(limiter.allow(UserId{1}));
    EXPECT_TRUE(limiter.allow(UserId{2}));
    EXPECT_FALSE(limiter.allow(UserId{3}));
    clock.advance_ms(500);  // both buckets back to full
    EXPECT_TRUE(limiter.allow(UserId{3}));
    EXPECT_LE(limiter.tracked_users(), 2U);
}

TEST(UserRateLimiter, EvictsOnlyFullBuckets) {
    FakeClock clock;
    UserRateLimiter limiter(options(2), clock);
    EXPECT_TRUE(limiter.allow(UserId{1}));
    clock.advance_ms(500);  // user 1 full again
    EXPECT_TRUE(limiter.allow(UserId{2}));
    EXPECT_TRUE(limiter.allow(UserId{3}));  // evicts 1, not the still-spent 2
    EXPECT_EQ(limiter.tracked_users(), 2U);
    EXPECT_TRUE(limiter.allow(UserId{2}));
    EXPECT_TRUE(limiter.allow(UserId{2}));
    EXPECT_FALSE(limiter.allow(UserId{2}));  // 2 kept its spent token
}

TEST(UserRateLimiter, NeverTracksMoreThanUsersMax) {
    FakeClock clock;
    UserRateLimiter limiter(options(10), clock);
    for (std::uint64_t uid = 1; uid <= 1000; ++uid) {
        limiter.allow(UserId{uid});
        if (uid % 7 == 0) {
            clock.advance_ms(100);
        }
        ASSERT_LE(limiter.tracked_users(), 10U);
    }
}

TEST(UserRateLimiter, FullMapAdmitsNewUserOnceABucketRefills) {
    FakeClock clock;
    UserRateLimiter limiter({.per_second = 1.0, .burst = 1.0, .users_max = 1}, clock);
    EXPECT_TRUE(limiter.allow(UserId{1}));
    EXPECT_FALSE(limiter.allow(UserId{2}));  // 1 is spent until +1000
    clock.advance_ms(500);
    EXPECT_FALSE(limiter.allow(UserId{3}));
    clock.advance_ms(500);
    EXPECT_TRUE(limiter.allow(UserId{3}));  // 1 full again: evicted
    clock.advance_ms(500);
    EXPECT_FALSE(limiter.allow(UserId{4}));  // the newcomer 3 is spent until +1000 of its own
    clock.advance_ms(500);
    EXPECT_TRUE(limiter.allow(UserId{4}));
    EXPECT_EQ(limiter.tracked_users(), 1U);
}

TEST(UserRateLimiter, ZeroRateNeverRefills) {
    FakeClock clock;
    UserRateLimiter limiter({.per_second = 0.0, .burst = 1.0, .users_max = 1}, clock);
    EXPECT_TRUE(limiter.allow(kAlice));
    clock.advance_ms(1'000'000);
    EXPECT_FALSE(limiter.allow(kAlice));
    EXPECT_FALSE(limiter.allow(kBob));
}

}  // namespace
}  // namespace barrage::room
