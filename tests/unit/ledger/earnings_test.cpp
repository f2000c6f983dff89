// A streamer's earnings as the ledger sums them: per UTC day, room and kind, refunds under the
// purchase they reverse, payouts apart, and every figure the journal's to the coin.

#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "ledger/open_ledger.h"
#include "ledger_test_support.h"

namespace barrage::ledger {
namespace {

using testing::top_up;

constexpr std::uint64_t kHost = 1;
constexpr std::uint64_t kViewer = 3;
constexpr Millis kDayMs = 86'400'000;

Order purchase(std::string request_id, std::uint64_t room, PurchaseCodes codes, Coins host, Coins platform) {
    Order order;
    order.request_id = std::move(request_id);
    order.scope = UserId{kViewer};
    order.kind = "purchase";
    order.legs = {{AccountId::wallet(kViewer), AccountId::earnings(kHost), host, codes.to_host},
                  {AccountId::wallet(kViewer), AccountId::platform(), platform, codes.to_platform}};
    order.room = RoomId{room};
    return order;
}

Order refund(std::int64_t order_id, Coins host, Coins platform) {
    Order order;
    order.request_id = "refund:" + std::to_string(order_id);
    order.kind = "refund";
    order.legs = {{AccountId::earnings(kHost), AccountId::wallet(kViewer), host, TransferCode::refund},
                  {AccountId::platform(), AccountId::wallet(kViewer), platform, TransferCode::refund}};
    order.reverses = order_id;
    return order;
}

class EarningsTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened =
            open_sqlite_ledger({.path = database_.path(), .synchronous_full = false, .read_only = false}, clock_, {});
        ASSERT_TRUE(opened);
        ledger_ = std::move(*opened);
        ASSERT_TRUE(ledger_->submit_and_wait(top_up(kViewer, 1'000'000, "t")));
    }

    std::int64_t day(Millis at) const { return at / kDayMs; }

    testing::TempDatabase database_;
    FakeClock clock_{100 * kDayMs + 1000};
    std::unique_ptr<Ledger> ledger_;
};

TEST_F(EarningsTest, SumsPerDayRoomAndKindWithRefundsUnderTheirPurchase) {
    const Millis first_day = clock_.wall_ms();
    auto gift = ledger_->submit_and_wait(purchase("g1", 1, kGiftCodes, 500, 500)).value();
    ASSERT_TRUE(ledger_->submit_and_wait(purchase("g2", 1, kGiftCodes, 50, 50)));
    ASSERT_TRUE(ledger_->submit_and_wait(purchase("g3", 2, kGiftCodes, 333, 667)));
    ASSERT_TRUE(ledger_->submit_and_wait(purchase("sc", 1, kSuperChatCodes, 15'000, 15'000)));
    clock_.advance_ms(kDayMs);
    ASSERT_TRUE(ledger_->submit_and_wait(refund(gift.order_id, 500, 500)));
    Order payout;
    payout.request_id = "payout";
    payout.kind = "payout";
    payout.legs = {{AccountId::earnings(kHost), AccountId::external(), 100, TransferCode::payout}};
    ASSERT_TRUE(ledger_->submit_and_wait(payout));

    auto rows = ledger_->earnings(kHost, 0, INT64_MAX).value();
    const auto d0 = day(first_day);
    const auto d1 = d0 + 1;
    EXPECT_EQ(rows, (std::vector<EarningsRow>{
                        {d0, RoomId{1}, TransferCode::gift, false, 2, 550, 1'100},
                        {d0, RoomId{1}, TransferCode::super_chat, false, 1, 15'000, 30'000},
                        {d0, RoomId{2}, TransferCode::gift, false, 1, 333, 1'000},
                        {d1, RoomId{0}, TransferCode::payout, false, 1, 100, 100},
                        {d1, RoomId{1}, TransferCode::gift, true, 1, 500, 1'000},
                    }));
    // Everything in, minus refunds and payouts: the account's balance.
    EXPECT_EQ(ledger_->balance(AccountId::earnings(kHost)).value(), 550 + 15'000 + 333 - 500 - 100);

    // A range is a range of commit times: the second day alone.
    auto later = ledger_->earnings(kHost, (d0 + 1) * kDayMs, (d0 + 2) * kDayMs).value();
    EXPECT_EQ(later.size(), 2U);
    EXPECT_TRUE(ledger_->earnings(kViewer, 0, INT64_MAX).value().empty()) << "a viewer earns nothing";
}

}  // namespace
}  // namespace barrage::ledger
