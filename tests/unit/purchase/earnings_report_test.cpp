#include "purchase/earnings_report.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace barrage::purchase {
namespace {

namespace json = boost::json;
using ledger::TransferCode;

constexpr std::int64_t kDay = 20'424;  // 2025-12-02, in days since 1970

TEST(EarningsReport, SumsDaysAndRoomsAndNamesEachRoomsShare) {
    std::vector<ledger::EarningsRow> rows{
        {kDay, RoomId{1}, TransferCode::gift, false, 2, 550, 1'100},
        {kDay, RoomId{7}, TransferCode::guard, false, 1, 65'934, 198'000},
        {kDay + 1, RoomId{0}, TransferCode::payout, false, 1, 100, 100},
        {kDay + 1, RoomId{1}, TransferCode::gift, true, 1, 500, 1'000},
        {kDay + 1, RoomId{9}, TransferCode::super_chat, false, 1, 15'000, 30'000},
    };
    auto report = earnings_report(1, {.from_day = 20251202, .to_day = std::nullopt}, rows,
                                  {{RoomId{1}, 500}, {RoomId{7}, 333}}, 80'884);
    EXPECT_EQ(report.at("from").to_number<std::int64_t>(), 20251202);
    EXPECT_TRUE(report.at("to").is_null());
    const auto& days = report.at("days").as_array();
    ASSERT_EQ(days.size(), 2U);
    const auto& first = days[0].as_object();
    EXPECT_EQ(first.at("day").to_number<std::int64_t>(), 20251202);
    EXPECT_EQ(first.at("net").to_number<std::int64_t>(), 550 + 65'934);
    EXPECT_EQ(json::serialize(first.at("gifts")),
              R"({"orders":2,"gross":1100,"earned":550,"refunds":0,"refunded_gross":0,"refunded_earned":0,"net":550})");
    const auto& rooms = first.at("rooms").as_array();
    ASSERT_EQ(rooms.size(), 2U);
    EXPECT_EQ(rooms[1].at("room").to_number<std::int64_t>(), 7);
    EXPECT_EQ(rooms[1].at("share_per_mille").to_number<std::int64_t>(), 333);
    EXPECT_EQ(rooms[1].at("guards").at("earned").to_number<std::int64_t>(), 65'934);
    const auto& second = days[1].as_object();
    EXPECT_EQ(second.at("net").to_number<std::int64_t>(), -500 + 15'000) << "a refund counts on its own day";
    EXPECT_TRUE(second.at("rooms").as_array()[1].at("share_per_mille").is_null()) << "room 9 is unknown";

    const auto& total = report.at("total").as_object();
    EXPECT_EQ(total.at("net").to_number<std::int64_t>(), 550 + 65'934 - 500 + 15'000);
    EXPECT_EQ(total.at("paid_out").to_number<std::int64_t>(), 100);
    EXPECT_EQ(total.at("gifts").at("refunded_gross").to_number<std::int64_t>(), 1'000);
    EXPECT_EQ(total.at("net").to_number<std::int64_t>() - total.at("paid_out").to_number<std::int64_t>(),
              report.at("balance").to_number<std::int64_t>());
}

TEST(EarningsReport, ARangeCoversWholeUtcDays) {
    EarningsRange all;
    EXPECT_EQ(all.from_ms(), 0);
    EXPECT_EQ(all.to_ms(), INT64_MAX);
    EarningsRange one{.from_day = 20251202, .to_day = 20251202};
    EXPECT_EQ(one.from_ms(), kDay * 86'400'000);
    EXPECT_EQ(one.to_ms(), (kDay + 1) * 86'400'000);
}

}  // namespace
}  // namespace barrage::purchase
