#include "economy/fee_split.h"

#include "base/limits.h"

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

TEST(FeeSplit, HalfByDefault) {
    EXPECT_EQ(split_fee(100, limits::kStreamerSharePerMilleDefault), (Split{50, 50}));
    EXPECT_EQ(split_fee(0, limits::kStreamerSharePerMilleDefault), (Split{0, 0}));
}

TEST(FeeSplit, OddTotalsGiveTheRoundingCoinToThePlatform) {
    EXPECT_EQ(split_fee(1, 500), (Split{0, 1}));
    EXPECT_EQ(split_fee(101, 500), (Split{50, 51}));
    EXPECT_EQ(split_fee(999, 333), (Split{332, 667}));
}

TEST(FeeSplit, ExtremeShares) {
    EXPECT_EQ(split_fee(12'345, 0), (Split{0, 12'345}));
    EXPECT_EQ(split_fee(12'345, 1000), (Split{12'345, 0}));
    EXPECT_EQ(split_fee(kCoinsMax, 1000), (Split{kCoinsMax, 0}));
    EXPECT_EQ(split_fee(kCoinsMax, 0), (Split{0, kCoinsMax}));
}

TEST(FeeSplit, LargestTotalDoesNotOverflow) {
    const Split split = split_fee(kCoinsMax, 999);
    EXPECT_EQ(split.streamer, kCoinsMax / 1000 * 999);
    EXPECT_EQ(split.streamer + split.platform, kCoinsMax);
    const Split odd = split_fee(kCoinsMax - 1, 501);
    EXPECT_EQ(odd.streamer + odd.platform, kCoinsMax - 1);
}

// Every share against many totals (small, odd, near powers of ten, the maximum): the parts add
// up exactly, neither is negative, and the streamer's part is the floor of total × share.
TEST(FeeSplit, PartsAlwaysSumToTheTotal) {
    std::vector<Coins> totals;
    for (Coins total = 0; total <= 2000; ++total) {
        totals.push_back(total);
    }
    for (Coins power = 10; power <= kCoinsMax; power *= 10) {
        totals.insert(totals.end(), {power - 1, power, power + 1});
    }
    for (std::uint32_t share = 0; share <= kPerMille; ++share) {
        for (const Coins total : totals) {
            if (total > kCoinsMax) {
                continue;
            }
            const Split split = split_fee(total, share);
            ASSERT_EQ(split.streamer + split.platform, total) << total << " " << share;
            ASSERT_GE(split.streamer, 0);
            ASSERT_GE(split.platform, 0);
            // floor(total × share / 1000), checked without the multiplication: the remainder
            // of total × share after taking 1000 × streamer is in 0..999.
            const Coins whole = total / 1000 * share;
            const Coins rest = total % 1000 * share;
            ASSERT_EQ(split.streamer, whole + rest / 1000) << total << " " << share;
        }
    }
}

TEST(FeeSplit, ShareValidation) {
    EXPECT_TRUE(valid_share_per_mille(0));
    EXPECT_TRUE(valid_share_per_mille(1000));
    EXPECT_FALSE(valid_share_per_mille(1001));
}

TEST(FeeSplitDeathTest, OutOfRangeInputsAreBugs) {
    EXPECT_DEATH(split_fee(-1, 500), "assertion failed");
    EXPECT_DEATH(split_fee(kCoinsMax + 1, 500), "assertion failed");
    EXPECT_DEATH(split_fee(100, 1001), "assertion failed");
}

}  // namespace
}  // namespace barrage::economy
