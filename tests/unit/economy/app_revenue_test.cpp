#include "economy/app_revenue.h"

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

TEST(AppRevenue, KeysNameTheAppAndTheDay) {
    EXPECT_EQ(app_revenue_key(7), "app_revenue:7");
    EXPECT_EQ(app_revenue_day_key(7, 20261203), "app_revenue:7:20261203");
    EXPECT_EQ(app_revenue_commit_day_key(7), "app_revenue:7:{utc_day}");
    EXPECT_EQ(app_gross_day_key(7, 20261203), "app_gross:7:20261203");
    EXPECT_EQ(app_gross_commit_day_key(7), "app_gross:7:{utc_day}");
}

TEST(AppRevenue, ParsesOnlyRunningTotals) {
    EXPECT_EQ(parse_app_revenue_key("app_revenue:7"), 7u);
    EXPECT_EQ(parse_app_revenue_key("app_revenue:7:20261203"), std::nullopt);
    EXPECT_EQ(parse_app_revenue_key("app_revenue:07"), std::nullopt);
    EXPECT_EQ(parse_app_revenue_key("app_revenue:0"), std::nullopt);
    EXPECT_EQ(parse_app_revenue_key("app_revenue:"), std::nullopt);
    EXPECT_EQ(parse_app_revenue_key("app_gross:7"), std::nullopt);
}

}  // namespace
}  // namespace barrage::economy
