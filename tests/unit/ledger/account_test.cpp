#include "ledger/account.h"

#include <unordered_set>

#include <gtest/gtest.h>

namespace barrage::ledger {
namespace {

TEST(AccountId, KindsKeepTheirStoredNumbers) {
    EXPECT_EQ(static_cast<int>(AccountKind::external), 1);
    EXPECT_EQ(static_cast<int>(AccountKind::platform), 2);
    EXPECT_EQ(static_cast<int>(AccountKind::wallet), 3);
    EXPECT_EQ(static_cast<int>(AccountKind::earnings), 4);
    EXPECT_EQ(static_cast<int>(AccountKind::app), 5);
    EXPECT_FALSE(is_known_kind(0));
    EXPECT_TRUE(is_known_kind(5));
    EXPECT_FALSE(is_known_kind(6));
}

TEST(AccountId, SystemAccountsHaveOwnerZeroAndPersonalOnesDoNot) {
    EXPECT_TRUE(is_valid(AccountId::external()));
    EXPECT_TRUE(is_valid(AccountId::platform()));
    EXPECT_FALSE(is_valid({AccountKind::platform, 1}));
    EXPECT_TRUE(is_valid(AccountId::wallet(1)));
    EXPECT_FALSE(is_valid(AccountId::wallet(0)));
    EXPECT_FALSE(is_valid(AccountId::earnings(0)));
    EXPECT_FALSE(is_valid(AccountId::app(0)));
    EXPECT_FALSE(is_valid({static_cast<AccountKind>(9), 1}));
}

TEST(AccountId, OnlyExternalMayGoNegative) {
    EXPECT_TRUE(may_go_negative(AccountId::external()));
    EXPECT_FALSE(may_go_negative(AccountId::platform()));
    EXPECT_FALSE(may_go_negative(AccountId::wallet(1)));
}

TEST(AccountId, NamesForLogs) {
    EXPECT_EQ(to_string(AccountId::wallet(42)), "wallet:42");
    EXPECT_EQ(to_string(AccountId::external()), "external:0");
    EXPECT_EQ(to_string({static_cast<AccountKind>(9), 1}), "kind9:1");
}

TEST(AccountId, TheSameOwnerInTwoKindsHashesApart) {
    std::unordered_set<std::size_t> hashes;
    for (auto account : {AccountId::wallet(7), AccountId::earnings(7), AccountId::app(7)}) {
        hashes.insert(std::hash<AccountId>{}(account));
    }
    EXPECT_EQ(hashes.size(), 3u);
}

}  // namespace
}  // namespace barrage::ledger
