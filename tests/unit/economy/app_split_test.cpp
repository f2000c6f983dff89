#include "economy/app_split.h"

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

TEST(AppSplit, AppCutIsTheFloorOfThePlatformPart) {
    EXPECT_EQ(app_cut(1000, 300), 300);
    EXPECT_EQ(app_cut(999, 300), 299);  // 299.7 -> 299
    EXPECT_EQ(app_cut(1, 999), 0);
    EXPECT_EQ(app_cut(0, 1000), 0);
}

TEST(AppSplit, StreamerPartIsUnchangedByTheApp) {
    // 101 coins at 50 %: the streamer gets 50 as for any gift; 51 platform, of which 30 % (15.3).
    EXPECT_EQ(split_app_gift(101, 500, 300), (AppSplit{.streamer = 50, .app = 15, .platform = 36}));
    EXPECT_EQ(split_app_gift(100, 500, 0), (AppSplit{.streamer = 50, .app = 0, .platform = 50}));
    EXPECT_EQ(split_app_gift(100, 500, 1000), (AppSplit{.streamer = 50, .app = 50, .platform = 0}));
}

TEST(AppSplit, ExtremeShares) {
    EXPECT_EQ(split_app_gift(12'345, 1000, 1000), (AppSplit{.streamer = 12'345, .app = 0, .platform = 0}));
    EXPECT_EQ(split_app_gift(12'345, 0, 1000), (AppSplit{.streamer = 0, .app = 12'345, .platform = 0}));
    EXPECT_EQ(split_app_gift(12'345, 0, 0), (AppSplit{.streamer = 0, .app = 0, .platform = 12'345}));
    EXPECT_EQ(split_app_gift(0, 500, 500), (AppSplit{}));
    const auto largest = split_app_gift(kCoinsMax, 999, 999);
    EXPECT_EQ(largest.streamer + largest.app + largest.platform, kCoinsMax);
    EXPECT_EQ(split_app_gift(kCoinsMax, 0, 1000).app, kCoinsMax);
}

// Every pair of shares on a spread of totals: the parts add up exactly, none is negative, and
// each is the floor the contract names.
TEST(AppSplit, PartsAlwaysSumToTheTotal) {
    for (Coins total : {Coins{0}, Coins{1}, Coins{7}, Coins{999}, Coins{1001}, Coins{123'457}, kCoinsMax - 1}) {
        for (std::uint32_t streamer = 0; streamer <= 1000; streamer += 37) {
            for (std::uint32_t app = 0; app <= 1000; app += 41) {
                const auto split = split_app_gift(total, streamer, app);
                ASSERT_EQ(split.streamer + split.app + split.platform, total);
                ASSERT_GE(split.app, 0);
                ASSERT_GE(split.platform, 0);
                ASSERT_EQ(split.streamer, total * streamer / 1000);
                ASSERT_EQ(split.app, (total - split.streamer) * app / 1000);
            }
        }
    }
}

}  // namespace
}  // namespace barrage::economy
