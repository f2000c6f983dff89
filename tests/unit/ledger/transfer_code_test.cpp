#include "ledger/transfer_code.h"

#include <gtest/gtest.h>

namespace barrage::ledger {
namespace {

TEST(TransferCode, CodesKeepTheirStoredNumbers) {
    EXPECT_EQ(static_cast<int>(TransferCode::top_up), 1);
    EXPECT_EQ(static_cast<int>(TransferCode::grant), 2);
    EXPECT_EQ(static_cast<int>(TransferCode::gift), 3);
    EXPECT_EQ(static_cast<int>(TransferCode::gift_platform_share), 4);
    EXPECT_EQ(static_cast<int>(TransferCode::super_chat), 5);
    EXPECT_EQ(static_cast<int>(TransferCode::super_chat_platform_share), 6);
    EXPECT_EQ(static_cast<int>(TransferCode::guard), 7);
    EXPECT_EQ(static_cast<int>(TransferCode::guard_platform_share), 8);
    EXPECT_EQ(static_cast<int>(TransferCode::paid_danmaku), 9);
    EXPECT_EQ(static_cast<int>(TransferCode::paid_danmaku_platform_share), 10);
    EXPECT_EQ(static_cast<int>(TransferCode::refund), 11);
    EXPECT_EQ(static_cast<int>(TransferCode::payout), 12);
    EXPECT_EQ(static_cast<int>(TransferCode::gift_app_share), 13);
}

TEST(TransferCode, KnowsExactlyTheDeclaredCodes) {
    EXPECT_FALSE(is_known_code(0));
    for (int code = 1; code <= 13; ++code) {
        EXPECT_TRUE(is_known_code(code)) << code;
        EXPECT_NE(to_string(static_cast<TransferCode>(code)), "unknown") << code;
    }
    EXPECT_FALSE(is_known_code(14));
    EXPECT_EQ(to_string(TransferCode::gift_platform_share), "gift_platform_share");
}

TEST(TransferCode, OnlyTheSharesOfAPurchaseArePurchaseCodes) {
    EXPECT_EQ(purchase_codes_of(TransferCode::gift), kGiftCodes);
    EXPECT_EQ(purchase_codes_of(TransferCode::gift_platform_share), kGiftCodes);
    EXPECT_EQ(purchase_codes_of(TransferCode::gift_app_share), kGiftCodes);  // refunded with its gift
    EXPECT_EQ(purchase_codes_of(TransferCode::super_chat_platform_share), kSuperChatCodes);
    EXPECT_EQ(purchase_codes_of(TransferCode::guard), kGuardCodes);
    EXPECT_EQ(purchase_codes_of(TransferCode::paid_danmaku), kPaidDanmakuCodes);
    for (auto code : {TransferCode::top_up, TransferCode::grant, TransferCode::refund, TransferCode::payout}) {
        EXPECT_FALSE(purchase_codes_of(code)) << to_string(code);
    }
}

}  // namespace
}  // namespace barrage::ledger
