#include "economy/coins.h"

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

TEST(Coins, YuanToCoinsIsExactMultiplication) {
    EXPECT_EQ(yuan_to_coins(0, 1000).value(), 0);
    EXPECT_EQ(yuan_to_coins(30, 1000).value(), 30'000);
    EXPECT_EQ(yuan_to_coins(19'998, 1000).value(), 19'998'000);
    EXPECT_EQ(yuan_to_coins(7, 1).value(), 7);
}

TEST(Coins, YuanToCoinsRefusesNegativeOverflowAndBadRates) {
    EXPECT_EQ(yuan_to_coins(-1, 1000).error(), Errc::bad_amount);
    EXPECT_EQ(yuan_to_coins(kCoinsMax / 1000 + 1, 1000).error(), Errc::bad_amount);
    EXPECT_EQ(yuan_to_coins(kCoinsMax / 1000, 1000).value(), kCoinsMax);
    EXPECT_EQ(yuan_to_coins(1, 0).error(), Errc::bad_amount);
    EXPECT_EQ(yuan_to_coins(1, -1000).error(), Errc::bad_amount);
    EXPECT_EQ(yuan_to_coins(1, kCoinsPerYuanMax + 1).error(), Errc::bad_amount);
}

TEST(Coins, CoinsToYuanOnlyForWholeYuan) {
    EXPECT_EQ(coins_to_yuan(30'000, 1000).value(), 30);
    EXPECT_EQ(coins_to_yuan(0, 1000).value(), 0);
    EXPECT_EQ(coins_to_yuan(30'001, 1000).error(), Errc::bad_amount);
    EXPECT_EQ(coins_to_yuan(999, 1000).error(), Errc::bad_amount);
    EXPECT_EQ(coins_to_yuan(-1000, 1000).error(), Errc::bad_amount);
    EXPECT_EQ(coins_to_yuan(kCoinsMax + 1000, 1000).error(), Errc::bad_amount);
}

TEST(Coins, RoundTripsEveryYuanAtSeveralRates) {
    for (std::int64_t rate : {1, 7, 100, 1000, 1'000'000}) {
        for (std::int64_t yuan = 0; yuan < 3000; yuan += 7) {
            const auto coins = yuan_to_coins(yuan, rate);
            ASSERT_TRUE(coins.has_value());
            EXPECT_EQ(coins_to_yuan(*coins, rate).value(), yuan);
        }
    }
}

}  // namespace
}  // namespace barrage::economy
