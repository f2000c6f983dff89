#include "economy/guard.h"

#include <limits>

#include <gtest/gtest.h>

#include "base/clock.h"

namespace barrage::economy {
namespace {

constexpr Millis kDay = 24LL * 60 * 60 * 1000;

TEST(Guard, LevelsAndNames) {
    EXPECT_FALSE(is_guard_level(0));
    EXPECT_TRUE(is_guard_level(1));
    EXPECT_TRUE(is_guard_level(3));
    EXPECT_FALSE(is_guard_level(4));
    EXPECT_EQ(guard_name(kGuardGovernor), "总督");
    EXPECT_EQ(guard_name(kGuardAdmiral), "提督");
    EXPECT_EQ(guard_name(kGuardCaptain), "舰长");
    EXPECT_EQ(guard_name(0), "");
    EXPECT_EQ(guard_name(9), "");
}

TEST(GuardPrices, DefaultsAreBilibilisYuanAtTheRate) {
    const GuardPrices prices = GuardPrices::defaults().value();
    EXPECT_EQ(prices.monthly_price(kGuardCaptain).value(), 198'000);
    EXPECT_EQ(prices.monthly_price(kGuardAdmiral).value(), 1'998'000);
    EXPECT_EQ(prices.monthly_price(kGuardGovernor).value(), 19'998'000);
    EXPECT_EQ(GuardPrices::defaults(100).value().monthly_price(kGuardCaptain).value(), 19'800);
    EXPECT_EQ(GuardPrices::defaults(0).error(), Errc::bad_amount);
}

TEST(GuardPrices, PriceIsMonthlyTimesMonths) {
    const GuardPrices prices = GuardPrices::defaults().value();
    EXPECT_EQ(prices.price(kGuardCaptain, 1).value(), 198'000);
    EXPECT_EQ(prices.price(kGuardCaptain, 12).value(), 2'376'000);
    EXPECT_EQ(prices.price(kGuardGovernor, kGuardMonthsMax).value(), 19'998'000LL * 120);
    EXPECT_EQ(prices.price(kGuardCaptain, 0).error(), Errc::bad_count);
    EXPECT_EQ(prices.price(kGuardCaptain, kGuardMonthsMax + 1).error(), Errc::bad_count);
    EXPECT_EQ(prices.price(0, 1).error(), Errc::bad_request);
    EXPECT_EQ(prices.monthly_price(4).error(), Errc::bad_request);
}

TEST(GuardPrices, CustomPricesAreBounded) {
    EXPECT_TRUE(GuardPrices::make({3, 2, 1}));
    EXPECT_EQ(GuardPrices::make({3, 0, 1}).error(), Errc::bad_amount);
    EXPECT_EQ(GuardPrices::make({kCoinsMax, 2, 1}).error(), Errc::bad_amount);
    const auto largest = GuardPrices::make({kCoinsMax / kGuardMonthsMax, 2, 1}).value();
    EXPECT_LE(largest.price(kGuardGovernor, kGuardMonthsMax).value(), kCoinsMax);
}

TEST(Guard, FirstPurchaseStartsNow) {
    FakeClock clock;
    const auto membership = extend(std::nullopt, kGuardCaptain, 1, clock.wall_ms()).value();
    EXPECT_EQ(membership.level, kGuardCaptain);
    EXPECT_EQ(membership.expires_ms, clock.wall_ms() + 30 * kDay);
    EXPECT_EQ(active_level(membership, clock.wall_ms()), kGuardCaptain);
}

TEST(Guard, RenewalExtendsFromTheCurrentExpiry) {
    FakeClock clock;
    const auto first = extend(std::nullopt, kGuardCaptain, 1, clock.wall_ms()).value();
    clock.advance_ms(10 * kDay);
    const auto renewed = extend(first, kGuardCaptain, 2, clock.wall_ms()).value();
    EXPECT_EQ(renewed.level, kGuardCaptain);
    EXPECT_EQ(renewed.expires_ms, first.expires_ms + 60 * kDay);
}

TEST(Guard, RenewalAfterExpiryStartsFromNow) {
    FakeClock clock;
    const auto first = extend(std::nullopt, kGuardAdmiral, 1, clock.wall_ms()).value();
    clock.advance_ms(45 * kDay);
    EXPECT_EQ(active_level(first, clock.wall_ms()), 0);
    const auto again = extend(first, kGuardCaptain, 1, clock.wall_ms()).value();
    EXPECT_EQ(again.level, kGuardCaptain);  // the lapsed admiral tier does not come back
    EXPECT_EQ(again.expires_ms, clock.wall_ms() + 30 * kDay);
}

TEST(Guard, HigherTierUpgradesAndKeepsTheTimeLeft) {
    FakeClock clock;
    const auto captain = extend(std::nullopt, kGuardCaptain, 3, clock.wall_ms()).value();
    clock.advance_ms(5 * kDay);
    EXPECT_FALSE(is_downgrade(captain, kGuardGovernor, clock.wall_ms()));
    const auto governor = extend(captain, kGuardGovernor, 1, clock.wall_ms()).value();
    EXPECT_EQ(governor.level, kGuardGovernor);
    EXPECT_EQ(governor.expires_ms, captain.expires_ms + 30 * kDay);
}

TEST(Guard, LowerTierWhileHigherIsActiveKeepsTheHigherTierAndExtends) {
    FakeClock clock;
    const auto admiral = extend(std::nullopt, kGuardAdmiral, 1, clock.wall_ms()).value();
    EXPECT_TRUE(is_downgrade(admiral, kGuardCaptain, clock.wall_ms()));
    EXPECT_FALSE(is_downgrade(admiral, kGuardAdmiral, clock.wall_ms()));
    const auto after = extend(admiral, kGuardCaptain, 1, clock.wall_ms()).value();
    EXPECT_EQ(after.level, kGuardAdmiral);
    EXPECT_EQ(after.expires_ms, admiral.expires_ms + 30 * kDay);
}

TEST(Guard, ExpiresAtTheInstant) {
    FakeClock clock;
    const auto membership = extend(std::nullopt, kGuardCaptain, 1, clock.wall_ms()).value();
    EXPECT_EQ(active_level(membership, membership.expires_ms - 1), kGuardCaptain);
    EXPECT_EQ(active_level(membership, membership.expires_ms), 0);
    EXPECT_EQ(active_level(std::nullopt, clock.wall_ms()), 0);
    EXPECT_FALSE(is_downgrade(membership, kGuardCaptain, membership.expires_ms));
    EXPECT_FALSE(is_downgrade(std::nullopt, kGuardCaptain, clock.wall_ms()));
}

TEST(Guard, RefusesBadMonthsAndLevels) {
    FakeClock clock;
    EXPECT_EQ(extend(std::nullopt, kGuardCaptain, 0, clock.wall_ms()).error(), Errc::bad_count);
    EXPECT_EQ(extend(std::nullopt, kGuardCaptain, kGuardMonthsMax + 1, clock.wall_ms()).error(), Errc::bad_count);
    EXPECT_TRUE(extend(std::nullopt, kGuardCaptain, kGuardMonthsMax, clock.wall_ms()));
    EXPECT_EQ(extend(std::nullopt, 0, 1, clock.wall_ms()).error(), Errc::bad_request);
    EXPECT_EQ(extend(std::nullopt, 4, 1, clock.wall_ms()).error(), Errc::bad_request);
}

TEST(Guard, RefusesAnExpiryPastTheEndOfTime) {
    const GuardMembership forever{.level = kGuardCaptain, .expires_ms = std::numeric_limits<Millis>::max() - kDay};
    EXPECT_EQ(extend(forever, kGuardCaptain, 1, 0).error(), Errc::bad_request);
}

}  // namespace
}  // namespace barrage::economy
