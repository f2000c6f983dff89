#include "purchase/refund.h"

#include <gtest/gtest.h>

namespace barrage::purchase {
namespace {

using ledger::AccountId;
using ledger::TransferCode;

constexpr Millis kCommitted = 1'700'006'399'999;  // 2023-11-14T23:59:59.999Z

ledger::JournalEntry row(std::int32_t leg, ledger::Leg money) {
    ledger::JournalEntry entry;
    entry.order_id = 7;
    entry.leg_index = leg;
    entry.leg = money;
    entry.room = RoomId{2};
    entry.item = 3;
    entry.count = 4;
    entry.app = 5;
    entry.created_ms = kCommitted;
    return entry;
}

std::vector<ledger::JournalEntry> purchase(TransferCode to_host, TransferCode to_platform) {
    return {row(0, {AccountId::wallet(9), AccountId::earnings(1), 600, to_host}),
            row(1, {AccountId::wallet(9), AccountId::platform(), 400, to_platform})};
}

const message::Sender kOperator{UserId{10}, "ops", "", message::Role::admin};

TEST(MakeRefund, ReversesEveryLegAndKeepsTheOrdersRoomItemAndCount) {
    auto refund = make_refund(7, purchase(TransferCode::gift, TransferCode::gift_platform_share), kOperator, "why");
    ASSERT_TRUE(refund);
    EXPECT_EQ(refund->legs,
              (std::vector<ledger::Leg>{{AccountId::earnings(1), AccountId::wallet(9), 600, TransferCode::refund},
                                        {AccountId::platform(), AccountId::wallet(9), 400, TransferCode::refund}}));
    EXPECT_EQ(refund->reverses, 7);
    EXPECT_EQ(refund->room, RoomId{2});
    EXPECT_EQ(refund->item, 3U);
    EXPECT_EQ(refund->count, 4);
    EXPECT_EQ(refund->app, 5U);
    EXPECT_EQ(refund->request_id, "refund:7");
    EXPECT_EQ(refund->scope, UserId{0});
    EXPECT_EQ(refund->memo, "refund of order 7 by uid 10 (ops): why");
    EXPECT_TRUE(ledger::check_order(*refund));
}

TEST(MakeRefund, UndoesTheBoardsOfTheCommitDayAndAGiftsNumber) {
    auto gift = make_refund(7, purchase(TransferCode::gift, TransferCode::gift_platform_share), kOperator, "r");
    EXPECT_EQ(gift->counters, (std::vector<ledger::CounterBump>{
                                  {"board:day:2:20231114:9", -1000},
                                  {"board:all:2:9", -1000},
                                  {"gift_number:2:9:3", -4},
                                  {"app_gross:5:{utc_day}", -1000}}));  // the rows carry app 5: an interactive gift
    auto guard = make_refund(7, purchase(TransferCode::guard, TransferCode::guard_platform_share), kOperator, "r");
    EXPECT_EQ(guard->counters.size(), 2U);
    auto chat =
        make_refund(7, purchase(TransferCode::super_chat, TransferCode::super_chat_platform_share), kOperator, "r");
    EXPECT_EQ(chat->counters.size(), 2U);
    auto danmaku =
        make_refund(7, purchase(TransferCode::paid_danmaku, TransferCode::paid_danmaku_platform_share), kOperator, "r");
    EXPECT_TRUE(danmaku->counters.empty()) << "paid danmaku count on no board";
}

// An interactive gift's app leg is reversed like the others, and the app's revenue counters go
// back by it on the refund's own commit day (the marker), so a settled day never changes.
TEST(MakeRefund, TakesAnInteractiveGiftsAppCutBack) {
    auto rows = purchase(TransferCode::gift, TransferCode::gift_platform_share);
    rows[1].leg.amount = 280;
    rows.push_back(row(2, {AccountId::wallet(9), AccountId::app(5), 120, TransferCode::gift_app_share}));
    auto refund = make_refund(7, rows, kOperator, "r");
    ASSERT_TRUE(refund);
    EXPECT_EQ(refund->legs.back(), (ledger::Leg{AccountId::app(5), AccountId::wallet(9), 120, TransferCode::refund}));
    const std::vector<ledger::CounterBump> app_bumps{
        {"app_gross:5:{utc_day}", -1000}, {"app_revenue:5", -120}, {"app_revenue:5:{utc_day}", -120}};
    ASSERT_GE(refund->counters.size(), 3U);
    EXPECT_EQ(std::vector<ledger::CounterBump>(refund->counters.end() - 3, refund->counters.end()), app_bumps);
    EXPECT_TRUE(ledger::check_order(*refund));
}

TEST(MakeRefund, OnlyPurchasesAreRefundable) {
    EXPECT_EQ(make_refund(7, {}, kOperator, "r").error(), Errc::not_found);
    for (auto code : {TransferCode::top_up, TransferCode::grant, TransferCode::refund, TransferCode::payout}) {
        std::vector rows{row(0, {AccountId::external(), AccountId::wallet(9), 100, code})};
        EXPECT_EQ(make_refund(7, rows, kOperator, "r").error(), Errc::not_refundable) << ledger::to_string(code);
    }
    // A purchase's legs are of one kind; anything else was not made by the purchase desk.
    auto mixed = purchase(TransferCode::gift, TransferCode::guard_platform_share);
    EXPECT_EQ(make_refund(7, mixed, kOperator, "r").error(), Errc::not_refundable);
}

}  // namespace
}  // namespace barrage::purchase
