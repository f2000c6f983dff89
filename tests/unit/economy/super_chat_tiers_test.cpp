#include "economy/super_chat_tiers.h"

#include <gtest/gtest.h>

#include "base/clock.h"

namespace barrage::economy {
namespace {

constexpr Millis kMinute = 60'000;

TEST(SuperChatTiers, DefaultsAtEveryBoundary) {
    const SuperChatTiers tiers = SuperChatTiers::defaults();
    const struct {
        std::int64_t floor_yuan;
        Millis pinned_ms;
    } expected[] = {{30, 1 * kMinute},   {50, 2 * kMinute},    {100, 5 * kMinute},
                    {500, 30 * kMinute}, {1000, 60 * kMinute}, {2000, 120 * kMinute}};
    Millis below_ms = 0;
    for (const auto& tier : expected) {
        EXPECT_EQ(tiers.pinned_duration_ms(tier.floor_yuan).value(), tier.pinned_ms) << tier.floor_yuan;
        EXPECT_EQ(tiers.pinned_duration_ms(tier.floor_yuan + 1).value(), tier.pinned_ms) << tier.floor_yuan + 1;
        if (below_ms != 0) {
            EXPECT_EQ(tiers.pinned_duration_ms(tier.floor_yuan - 1).value(), below_ms) << tier.floor_yuan - 1;
        }
        below_ms = tier.pinned_ms;
    }
}

TEST(SuperChatTiers, BelowTheLowestTierIsRefused) {
    const SuperChatTiers tiers = SuperChatTiers::defaults();
    EXPECT_EQ(tiers.minimum_price_yuan(), 30);
    EXPECT_EQ(tiers.pinned_duration_ms(29).error(), Errc::below_minimum_price);
    EXPECT_EQ(tiers.pinned_duration_ms(0).error(), Errc::below_minimum_price);
    EXPECT_EQ(tiers.pinned_duration_ms(-30).error(), Errc::below_minimum_price);
}

TEST(SuperChatTiers, AboveTheHighestTierKeepsItUpToTheMaximum) {
    const SuperChatTiers tiers = SuperChatTiers::defaults();
    EXPECT_EQ(tiers.pinned_duration_ms(123'456).value(), 120 * kMinute);
    EXPECT_EQ(tiers.pinned_duration_ms(kSuperChatYuanMax).value(), 120 * kMinute);
    EXPECT_EQ(tiers.pinned_duration_ms(kSuperChatYuanMax + 1).error(), Errc::bad_amount);
}

TEST(SuperChatTiers, CustomTiersAreValidated) {
    const auto tiers =
        SuperChatTiers::make({{.price_yuan_min = 1, .pinned_ms = 1000}, {.price_yuan_min = 10, .pinned_ms = 1000}});
    ASSERT_TRUE(tiers);
    EXPECT_EQ(tiers->pinned_duration_ms(1).value(), 1000);
    EXPECT_EQ(tiers->pinned_duration_ms(0).error(), Errc::below_minimum_price);

    EXPECT_EQ(SuperChatTiers::make({}).error(), Errc::bad_request);
    // Prices must rise strictly; durations must not fall.
    EXPECT_EQ(SuperChatTiers::make({{10, 1000}, {10, 2000}}).error(), Errc::bad_request);
    EXPECT_EQ(SuperChatTiers::make({{20, 1000}, {10, 2000}}).error(), Errc::bad_request);
    EXPECT_EQ(SuperChatTiers::make({{10, 2000}, {20, 1000}}).error(), Errc::bad_request);
    // Each tier in range.
    EXPECT_EQ(SuperChatTiers::make({{0, 1000}}).error(), Errc::bad_request);
    EXPECT_EQ(SuperChatTiers::make({{10, 0}}).error(), Errc::bad_request);
    EXPECT_EQ(SuperChatTiers::make({{10, kSuperChatPinnedMsMax + 1}}).error(), Errc::bad_request);
    EXPECT_EQ(SuperChatTiers::make({{kSuperChatYuanMax + 1, 1000}}).error(), Errc::bad_request);
    std::vector<SuperChatTier> many;
    for (std::int64_t i = 1; i <= static_cast<std::int64_t>(kSuperChatTiersMax) + 1; ++i) {
        many.push_back({.price_yuan_min = i, .pinned_ms = 1000});
    }
    EXPECT_EQ(SuperChatTiers::make(std::move(many)).error(), Errc::bad_request);
}

// What the caller does with a duration: the card is pinned from now until now + duration,
// and its price in coins is the yuan price times the rate, exactly.
TEST(SuperChatTiers, PinnedWindowAndCoinsForAnOrder) {
    FakeClock clock;
    const SuperChatTiers tiers = SuperChatTiers::defaults();
    const Millis start_ms = clock.wall_ms();
    const Millis end_ms = start_ms + tiers.pinned_duration_ms(100).value();
    clock.advance_ms(5 * kMinute);
    EXPECT_EQ(end_ms, clock.wall_ms());
    EXPECT_EQ(yuan_to_coins(100, kCoinsPerYuanDefault).value(), 100'000);
}

}  // namespace
}  // namespace barrage::economy
