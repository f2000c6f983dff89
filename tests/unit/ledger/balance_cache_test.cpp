#include "ledger/balance_cache.h"

#include <gtest/gtest.h>

namespace barrage::ledger {
namespace {

TEST(BalanceCache, TracksBalancesAndTheBatchsNetChange) {
    BalanceCache cache(10);
    EXPECT_FALSE(cache.find(AccountId::wallet(1)));
    cache.load(AccountId::wallet(1), 100);
    cache.apply(AccountId::wallet(1), 70, -30);
    cache.apply(AccountId::wallet(1), 80, 10);
    EXPECT_EQ(cache.find(AccountId::wallet(1)), 80);
    EXPECT_EQ(cache.batch_deltas().at(AccountId::wallet(1)), -20);
    cache.commit();
    EXPECT_TRUE(cache.batch_deltas().empty());
    EXPECT_EQ(cache.find(AccountId::wallet(1)), 80);
}

TEST(BalanceCache, ClearForgetsEverything) {
    BalanceCache cache(10);
    cache.load(AccountId::wallet(1), 100);
    cache.apply(AccountId::wallet(1), 90, -10);
    cache.clear();
    EXPECT_FALSE(cache.find(AccountId::wallet(1)));
    EXPECT_TRUE(cache.batch_deltas().empty());
}

TEST(BalanceCache, EmptiesItselfAfterACommitPastItsLimit) {
    BalanceCache cache(2);
    for (std::uint64_t uid = 1; uid <= 3; ++uid) {
        cache.load(AccountId::wallet(uid), 0);
    }
    EXPECT_EQ(cache.size(), 3u);
    cache.commit();
    EXPECT_EQ(cache.size(), 0u);
}

TEST(BalanceCacheDeathTest, AnApplyThatDoesNotAddUpIsABug) {
    BalanceCache cache(10);
    cache.load(AccountId::wallet(1), 100);
    EXPECT_DEATH(cache.apply(AccountId::wallet(1), 50, -10), "assertion failed");
}

}  // namespace
}  // namespace barrage::ledger
