#include "ledger/receipt.h"

#include <gtest/gtest.h>

namespace barrage::ledger {
namespace {

Receipt sample() {
    Receipt receipt;
    receipt.order_id = 42;
    receipt.committed_ms = 1'700'000'000'123;
    receipt.balances = {
        {AccountId::wallet(3), 0}, {AccountId::earnings(UINT64_MAX), INT64_MAX}, {AccountId::external(), INT64_MIN}};
    receipt.counters = {{"board:all:1:3", 100}, {"quote\"and\\slash", -7}, {"tab\t", 0}};
    return receipt;
}

TEST(Receipt, RoundTripsThroughItsStoredForm) {
    auto text = serialise(sample());
    auto parsed = parse_receipt(text);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, sample());
    EXPECT_EQ(serialise(*parsed), text);
}

TEST(Receipt, TheStoredFormIsCompactJson) {
    Receipt receipt;
    receipt.order_id = 7;
    receipt.committed_ms = 5;
    receipt.balances = {{AccountId::wallet(3), 10}, {AccountId::platform(), 2}};
    receipt.counters = {{"a\"b", 1}};
    EXPECT_EQ(serialise(receipt), R"({"order":7,"ms":5,"balances":[[3,3,10],[2,0,2]],"counters":[["a\"b",1]]})");
    EXPECT_EQ(serialise(Receipt{}), R"({"order":0,"ms":0,"balances":[],"counters":[]})");
}

TEST(Receipt, TheStoredFormLeavesReplayedOut) {
    auto receipt = sample();
    receipt.replayed = true;
    EXPECT_EQ(serialise(receipt), serialise(sample()));
    EXPECT_FALSE(parse_receipt(serialise(receipt))->replayed);
}

TEST(Receipt, DamagedStoredFormsAreInternalErrors) {
    for (std::string text : {"", "{", "[]", R"({"order":1})", R"({"order":1.5,"ms":1,"balances":[],"counters":[]})",
                             R"({"order":1,"ms":1,"balances":[[9,1,1]],"counters":[]})",
                             R"({"order":1,"ms":1,"balances":[[3,-1,1]],"counters":[]})",
                             R"({"order":1,"ms":1,"balances":[],"counters":[[1,1]]})",
                             R"({"order":1,"ms":1,"balances":[],"counters":[["a",18446744073709551615]]})"}) {
        auto parsed = parse_receipt(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error(), Errc::internal) << text;
    }
}

TEST(Receipt, FindsTheBalanceOfATouchedAccount) {
    auto receipt = sample();
    ASSERT_NE(receipt.find(AccountId::wallet(3)), nullptr);
    EXPECT_EQ(receipt.find(AccountId::external())->balance, INT64_MIN);
    EXPECT_EQ(receipt.find(AccountId::wallet(4)), nullptr);
}

}  // namespace
}  // namespace barrage::ledger
