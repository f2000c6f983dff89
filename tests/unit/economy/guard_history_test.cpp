#include "economy/guard_history.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kStart = 1'700'000'000'000;

GuardHistory::Purchase purchase(std::int64_t order_id, std::uint8_t level, std::uint32_t months, Millis bought_ms) {
    return {.order_id = order_id, .level = level, .months = months, .bought_ms = bought_ms};
}

Millis expiry(const GuardHistory& history) {
    return history.membership().value().expires_ms;
}

TEST(GuardHistory, RenewalsAddUpAndAnOrderCountsOnce) {
    GuardHistory history;
    EXPECT_FALSE(history.membership());
    EXPECT_TRUE(history.add(purchase(1, kGuardCaptain, 1, kStart)).value());
    EXPECT_TRUE(history.add(purchase(2, kGuardCaptain, 2, kStart + kDay)).value());
    EXPECT_EQ(expiry(history), kStart + 3 * kGuardMonthMs);
    EXPECT_FALSE(history.add(purchase(2, kGuardCaptain, 2, kStart + kDay)).value()) << "a replay";
    EXPECT_EQ(expiry(history), kStart + 3 * kGuardMonthMs);
}

TEST(GuardHistory, ARefundTakesItsMonthsOutAndLaterPurchasesStartEarlier) {
    GuardHistory history;
    ASSERT_TRUE(history.add(purchase(1, kGuardCaptain, 1, kStart)));
    ASSERT_TRUE(history.add(purchase(2, kGuardAdmiral, 1, kStart + kDay)));
    EXPECT_EQ(history.membership()->level, kGuardAdmiral);
    EXPECT_TRUE(history.remove(1));
    // The admiral month now starts when it was bought, not after the captain month.
    EXPECT_EQ(history.membership(), (GuardMembership{kGuardAdmiral, kStart + kDay + kGuardMonthMs}));
    EXPECT_FALSE(history.remove(1));
    EXPECT_FALSE(history.add(purchase(1, kGuardCaptain, 1, kStart)).value()) << "refunded for good";
    EXPECT_TRUE(history.remove(2));
    EXPECT_FALSE(history.membership()) << "nothing bought, no membership";
}

TEST(GuardHistory, ARefundOfTheHigherTierLowersTheLevel) {
    GuardHistory history;
    ASSERT_TRUE(history.add(purchase(1, kGuardCaptain, 3, kStart)));
    ASSERT_TRUE(history.add(purchase(2, kGuardGovernor, 1, kStart + kDay)));
    EXPECT_EQ(history.membership()->level, kGuardGovernor);
    ASSERT_TRUE(history.remove(2));
    EXPECT_EQ(history.membership(), (GuardMembership{kGuardCaptain, kStart + 3 * kGuardMonthMs}));
}

TEST(GuardHistory, PurchasesBeforeALapseAreForgottenAndCannotComeBack) {
    GuardHistory history;
    ASSERT_TRUE(history.add(purchase(1, kGuardCaptain, 1, kStart)));
    const Millis soon = kStart + kGuardMonthMs + 1;  // lapsed a moment ago: still kept
    ASSERT_TRUE(history.add(purchase(2, kGuardCaptain, 1, soon)));
    EXPECT_EQ(history.purchases().size(), 2U);
    EXPECT_EQ(expiry(history), soon + kGuardMonthMs);
    const Millis later = soon + 2 * kGuardMonthMs;  // long after the second month ran out
    ASSERT_TRUE(history.add(purchase(3, kGuardCaptain, 1, later)));
    EXPECT_EQ(history.purchases().size(), 1U);
    EXPECT_EQ(expiry(history), later + kGuardMonthMs);
    EXPECT_FALSE(history.add(purchase(1, kGuardCaptain, 1, kStart)).value());
    EXPECT_FALSE(history.add(purchase(2, kGuardCaptain, 1, soon)).value());
    EXPECT_FALSE(history.remove(2)) << "it no longer shapes the membership";
    EXPECT_EQ(expiry(history), later + kGuardMonthMs);
}

TEST(GuardHistory, ArrivalOrderDoesNotMatter) {
    // Purchases committed together reach the room in any order; a lapse between them is only
    // just over when the next one commits, so the fold must see them all.
    std::vector<GuardHistory::Purchase> purchases;
    Millis bought = kStart;
    for (std::int64_t id = 1; id <= 8; ++id) {
        auto level = static_cast<std::uint8_t>(1 + id % 3);
        auto months = static_cast<std::uint32_t>(id % 2 + 1);
        purchases.push_back(purchase(id, level, months, bought));
        bought += id == 4 ? months * kGuardMonthMs + 1000 : 1000;  // a lapse after order 4
    }
    GuardHistory in_order;
    for (const auto& p : purchases) {
        ASSERT_TRUE(in_order.add(p));
    }
    std::mt19937 random(7);
    for (int round = 0; round < 20; ++round) {
        std::shuffle(purchases.begin(), purchases.end(), random);
        GuardHistory shuffled;
        for (const auto& p : purchases) {
            ASSERT_TRUE(shuffled.add(p));
        }
        EXPECT_EQ(shuffled.membership(), in_order.membership());
    }
}

TEST(GuardHistory, APurchaseExtendRefusesIsRefusedAlone) {
    GuardHistory history;
    EXPECT_EQ(history.add(purchase(1, 4, 1, kStart)).error(), Errc::bad_request);
    EXPECT_EQ(history.add(purchase(1, kGuardCaptain, 0, kStart)).error(), Errc::bad_count);
    EXPECT_TRUE(history.add(purchase(1, kGuardCaptain, 1, kStart)).value());
}

}  // namespace
}  // namespace barrage::economy
