#include "ledger/write_back_cache.h"

#include <string>

#include <gtest/gtest.h>

#include "ledger/account.h"

namespace barrage::ledger {
namespace {

TEST(WriteBackCache, TracksValuesAndTheBatchsNetChange) {
    WriteBackCache<AccountId> cache(10);
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

TEST(WriteBackCache, ClearForgetsEverything) {
    WriteBackCache<std::string> cache(10);
    cache.load("board", 100);
    cache.apply("board", 110, 10);
    cache.clear();
    EXPECT_FALSE(cache.find("board"));
    EXPECT_TRUE(cache.batch_deltas().empty());
}

TEST(WriteBackCache, EmptiesItselfAfterACommitPastItsLimit) {
    WriteBackCache<AccountId> cache(2);
    for (std::uint64_t uid = 1; uid <= 3; ++uid) {
        cache.load(AccountId::wallet(uid), 0);
    }
    EXPECT_EQ(cache.size(), 3u);
    cache.commit();
    EXPECT_EQ(cache.size(), 0u);
}

TEST(WriteBackCacheDeathTest, AnApplyThatDoesNotAddUpIsABug) {
    WriteBackCache<AccountId> cache(10);
    cache.load(AccountId::wallet(1), 100);
    EXPECT_DEATH(cache.apply(AccountId::wallet(1), 50, -10), "assertion failed");
}

}  // namespace
}  // namespace barrage::ledger
