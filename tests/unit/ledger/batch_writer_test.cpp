#include "ledger/batch_writer.h"

#include <gtest/gtest.h>

#include "faulty_backend.h"
#include "ledger/sqlite_ledger_backend.h"
#include "ledger/verifier.h"
#include "ledger_test_support.h"
#include "store/database.h"

namespace barrage::ledger {
namespace {

using testing::FaultyBackend;
using testing::gift;
using testing::top_up;

constexpr std::uint64_t kViewer = 3;
constexpr std::uint64_t kStreamer = 9;

class BatchWriterTest : public ::testing::Test {
protected:
    BatchWriterTest() : backend_(open(false)), faulty_(*backend_), writer_(faulty_, clock_, {}), reader_(open(true)) {}

    std::unique_ptr<SqliteLedgerBackend> open(bool read_only) {
        auto opened =
            SqliteLedgerBackend::open({.path = database_.path(), .synchronous_full = false, .read_only = read_only});
        EXPECT_TRUE(opened);
        return std::move(*opened);
    }

    std::vector<Result<Receipt>> write(const std::vector<Order>& orders) { return writer_.write(orders); }

    Result<Receipt> write_one(const Order& order) { return write({order}).at(0); }

    Coins balance(AccountId account) { return reader_->balance(account).value(); }

    std::size_t journal_rows(AccountId account) { return reader_->journal(account, 1000, INT64_MAX).value().size(); }

    Coins counter(const std::string& name) {
        auto values = reader_->counters(name, 10).value();
        for (const auto& value : values) {
            if (value.name == name) {
                return value.value;
            }
        }
        return 0;
    }

    void expect_verified() {
        auto report = verify_ledger(*reader_);
        ASSERT_TRUE(report);
        EXPECT_TRUE(report->ok()) << report->summary();
    }

    testing::TempDatabase database_;
    FakeClock clock_;
    std::unique_ptr<SqliteLedgerBackend> backend_;
    FaultyBackend faulty_;
    BatchWriter writer_;
    std::unique_ptr<SqliteLedgerBackend> reader_;
};

TEST_F(BatchWriterTest, TopUpCreditsTheWalletAndDebitsExternal) {
    auto receipt = write_one(top_up(kViewer, 1000, "t1"));
    ASSERT_TRUE(receipt) << receipt.error().message();
    EXPECT_FALSE(receipt->replayed);
    EXPECT_EQ(receipt->order_id, 1);
    EXPECT_EQ(receipt->committed_ms, clock_.wall_ms());
    ASSERT_EQ(receipt->balances.size(), 2u);
    EXPECT_EQ(receipt->balances[0], (AccountBalance{AccountId::external(), -1000}));
    EXPECT_EQ(receipt->balances[1], (AccountBalance{AccountId::wallet(kViewer), 1000}));
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 1000);
    EXPECT_EQ(balance(AccountId::external()), -1000);
    expect_verified();
}

TEST_F(BatchWriterTest, InsufficientBalanceMovesNothingAndTheRestOfTheBatchCommits) {
    auto results =
        write({top_up(kViewer, 100, "t1"), gift(kViewer, kStreamer, 500, "g1"), gift(kViewer, kStreamer, 50, "g2")});
    ASSERT_EQ(results.size(), 3u);
    EXPECT_TRUE(results[0]);
    ASSERT_FALSE(results[1]);
    EXPECT_EQ(results[1].error(), Errc::insufficient_balance);
    ASSERT_TRUE(results[2]);
    EXPECT_EQ(results[2]->order_id, 2);  // the failed order used no id
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 50);
    EXPECT_EQ(balance(AccountId::earnings(kStreamer)), 35);
    EXPECT_EQ(balance(AccountId::platform()), 15);
    EXPECT_EQ(counter("board:all:1:3"), 50);
    EXPECT_EQ(journal_rows(AccountId::wallet(kViewer)), 3u);  // top-up and two legs
    expect_verified();
}

TEST_F(BatchWriterTest, AFailedOrderCanBeRetriedWithTheSameIdOnceFunded) {
    EXPECT_EQ(write_one(gift(kViewer, kStreamer, 10, "g1")).error(), Errc::insufficient_balance);
    ASSERT_TRUE(write_one(top_up(kViewer, 10, "t1")));
    auto retried = write_one(gift(kViewer, kStreamer, 10, "g1"));
    ASSERT_TRUE(retried);
    EXPECT_FALSE(retried->replayed);
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 0);
}

TEST_F(BatchWriterTest, LaterCreditsDoNotFundEarlierDebitsOfTheSameOrder) {
    Order order = top_up(kViewer, 100, "o1");
    order.kind = "shuffle";
    order.legs = {{AccountId::wallet(kViewer), AccountId::platform(), 100, TransferCode::grant},
                  {AccountId::external(), AccountId::wallet(kViewer), 100, TransferCode::top_up}};
    EXPECT_EQ(write_one(order).error(), Errc::insufficient_balance);
    std::swap(order.legs[0], order.legs[1]);
    ASSERT_TRUE(write_one(order));
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 0);
    EXPECT_EQ(balance(AccountId::platform()), 100);
}

TEST_F(BatchWriterTest, MultiLegOrdersApplyAllLegsOrNone) {
    ASSERT_TRUE(write_one(top_up(kViewer, 80, "t1")));
    // 70 to the streamer fits, the 30 platform share does not: neither may move.
    auto failed = write_one(gift(kViewer, kStreamer, 100, "g1"));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error(), Errc::insufficient_balance);
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 80);
    EXPECT_EQ(balance(AccountId::earnings(kStreamer)), 0);
    EXPECT_EQ(journal_rows(AccountId::earnings(kStreamer)), 0u);
    EXPECT_EQ(counter("board:all:1:3"), 0);
    expect_verified();
}

TEST_F(BatchWriterTest, RefusesAmountsOutOfRange) {
    for (Coins amount : {Coins{0}, Coins{-1}, kLegAmountMax + 1}) {
        auto order = top_up(kViewer, amount, "t" + std::to_string(amount + 2));
        EXPECT_EQ(write_one(order).error(), Errc::bad_amount) << amount;
    }
    EXPECT_TRUE(write_one(top_up(kViewer, kLegAmountMax, "max")));
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), kLegAmountMax);
}

TEST_F(BatchWriterTest, RefusesMalformedOrdersBeforeLookingAtBalances) {
    auto bad_id = top_up(kViewer, 1, "has space");
    EXPECT_EQ(write_one(bad_id).error(), Errc::bad_request);
    auto no_legs = top_up(kViewer, 1, "t1");
    no_legs.legs.clear();
    EXPECT_EQ(write_one(no_legs).error(), Errc::bad_request);
    auto same_account = top_up(kViewer, 1, "t2");
    same_account.legs[0].debit = same_account.legs[0].credit;
    EXPECT_EQ(write_one(same_account).error(), Errc::bad_request);
    auto anonymous_wallet = top_up(0, 1, "t3");
    EXPECT_EQ(write_one(anonymous_wallet).error(), Errc::unknown_account);
    EXPECT_EQ(balance(AccountId::external()), 0);
}

TEST_F(BatchWriterTest, SameIdAndContentReturnsTheFirstReceiptAndChargesNothing) {
    ASSERT_TRUE(write_one(top_up(kViewer, 1000, "t1")));
    auto first = write_one(gift(kViewer, kStreamer, 100, "g1"));
    ASSERT_TRUE(first);
    clock_.advance_ms(5000);
    auto again = write_one(gift(kViewer, kStreamer, 100, "g1"));
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->replayed);
    Receipt expected = *first;
    expected.replayed = true;
    EXPECT_EQ(*again, expected);
    EXPECT_EQ(serialise(*again), serialise(*first));
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 900);
    EXPECT_EQ(counter("board:all:1:3"), 100);
    EXPECT_EQ(journal_rows(AccountId::wallet(kViewer)), 3u);
    expect_verified();
}

TEST_F(BatchWriterTest, ARetryAfterTheWalletIsSpentStillReplays) {
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t1")));
    auto first = write_one(gift(kViewer, kStreamer, 100, "g1"));
    ASSERT_TRUE(first);
    auto again = write_one(gift(kViewer, kStreamer, 100, "g1"));
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->order_id, first->order_id);
    EXPECT_EQ(write_one(gift(kViewer, kStreamer, 100, "g1-other")).error(), Errc::insufficient_balance);
}

TEST_F(BatchWriterTest, ARetryInTheSameBatchIsAReplayToo) {
    auto results = write({top_up(kViewer, 10, "t1"), top_up(kViewer, 10, "t1")});
    ASSERT_TRUE(results[0]);
    ASSERT_TRUE(results[1]);
    EXPECT_FALSE(results[0]->replayed);
    EXPECT_TRUE(results[1]->replayed);
    EXPECT_EQ(results[1]->order_id, results[0]->order_id);
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 10);
}

TEST_F(BatchWriterTest, SameIdWithDifferentContentIsAConflict) {
    ASSERT_TRUE(write_one(top_up(kViewer, 1000, "t1")));
    ASSERT_TRUE(write_one(gift(kViewer, kStreamer, 100, "g1")));
    EXPECT_EQ(write_one(gift(kViewer, kStreamer, 101, "g1")).error(), Errc::request_conflict);
    auto other_kind = gift(kViewer, kStreamer, 100, "g1");
    other_kind.kind = "super_chat";
    EXPECT_EQ(write_one(other_kind).error(), Errc::request_conflict);
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 900);
    // Ids are per scope: another viewer may use the same one.
    ASSERT_TRUE(write_one(top_up(kViewer + 1, 100, "t2")));
    auto other_viewer = write_one(gift(kViewer + 1, kStreamer, 100, "g1"));
    ASSERT_TRUE(other_viewer);
    EXPECT_FALSE(other_viewer->replayed);
}

TEST_F(BatchWriterTest, KeepsRequestRecordsForTheRetentionThenPrunesThem) {
    ASSERT_TRUE(write_one(top_up(kViewer, 10, "t1")));
    ASSERT_TRUE(writer_.maybe_prune());
    clock_.advance_ms(47LL * 3600 * 1000);
    EXPECT_EQ(writer_.maybe_prune().value(), 0u);
    EXPECT_TRUE(write_one(top_up(kViewer, 10, "t1"))->replayed);
    clock_.advance_ms(2LL * 3600 * 1000);
    EXPECT_EQ(writer_.maybe_prune().value(), 1u);
    // Past retention the id is forgotten: the same request is a new one. This is why
    // retention is never below a day.
    auto late = write_one(top_up(kViewer, 10, "t1"));
    ASSERT_TRUE(late);
    EXPECT_FALSE(late->replayed);
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 20);
}

TEST_F(BatchWriterTest, PrunesAtMostOncePerIntervalWhenNothingIsLeftOver) {
    ASSERT_TRUE(write_one(top_up(kViewer, 10, "t1")));
    clock_.advance_ms(1000);
    ASSERT_TRUE(write_one(top_up(kViewer, 10, "t2")));
    clock_.advance_ms(48LL * 3600 * 1000 - 500);
    EXPECT_EQ(writer_.maybe_prune().value(), 1u);  // t1 only: t2 is half a second younger
    clock_.advance_ms(1000);
    EXPECT_EQ(writer_.maybe_prune().value(), 0u);  // t2 is old now, but no pass is due
    clock_.advance_ms(60'000);
    EXPECT_EQ(writer_.maybe_prune().value(), 1u);
}

TEST_F(BatchWriterTest, CountersMoveExactlyWithTheirOrders) {
    ASSERT_TRUE(write_one(top_up(kViewer, 1000, "t1")));
    auto first = write_one(gift(kViewer, kStreamer, 100, "g1"));
    auto second = write_one(gift(kViewer, kStreamer, 200, "g2"));
    EXPECT_EQ(write_one(gift(kViewer, kStreamer, 5000, "g3")).error(), Errc::insufficient_balance);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->counters, (std::vector<CounterValue>{{"board:all:1:3", 100}, {"gift_number:1:3:7", 1}}));
    EXPECT_EQ(second->counters, (std::vector<CounterValue>{{"board:all:1:3", 300}, {"gift_number:1:3:7", 2}}));
    EXPECT_EQ(counter("board:all:1:3"), 300);
    EXPECT_EQ(counter("gift_number:1:3:7"), 2);
}

TEST_F(BatchWriterTest, ACounterBumpedTwiceInOneOrderShowsBothSteps) {
    auto order = top_up(kViewer, 10, "t1");
    order.counters = {{"c", 5}, {"d", 1}, {"c", -2}};
    auto receipt = write_one(order);
    ASSERT_TRUE(receipt);
    EXPECT_EQ(receipt->counters, (std::vector<CounterValue>{{"c", 5}, {"d", 1}, {"c", 3}}));
    EXPECT_EQ(counter("c"), 3);
}

TEST_F(BatchWriterTest, ACounterNamedForTheCommitDayLandsOnTheDayOfTheJournalRows) {
    // 2023-11-14T23:59:59.999Z: an order built now commits after midnight.
    clock_.advance_ms(1'700'006'399'999 - clock_.wall_ms());
    auto order = top_up(kViewer, 10, "t1");
    order.counters = {{"board:day:1:{utc_day}:3", 10}};
    clock_.advance_ms(1);
    auto receipt = write_one(order);
    ASSERT_TRUE(receipt);
    EXPECT_EQ(receipt->counters, (std::vector<CounterValue>{{"board:day:1:20231115:3", 10}}));
    EXPECT_EQ(counter("board:day:1:20231115:3"), 10);
    auto rows = reader_->journal(AccountId::wallet(kViewer), 10, INT64_MAX).value();
    EXPECT_EQ(utc_yyyymmdd(rows.at(0).created_ms), 20231115);
}

TEST_F(BatchWriterTest, ACounterThatWouldOverflowFailsTheOrder) {
    auto order = top_up(kViewer, 10, "t1");
    order.counters = {{"c", kCounterDeltaMax}};
    for (int i = 0; i < 9; ++i) {
        order.request_id = "t" + std::to_string(i);
        ASSERT_TRUE(write_one(order));
    }
    {
        store::Database tamper({database_.path(), false});
        tamper.exec("UPDATE counters SET value = 9223372036854775000 WHERE name = 'c'");
    }
    BatchWriter fresh(*backend_, clock_, {});  // reads the damaged value from disk
    order.request_id = "overflow";
    auto result = fresh.write(std::vector<Order>{order}).at(0);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), Errc::bad_amount);
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 90);
}

TEST_F(BatchWriterTest, ACommitFailureFailsEveryOrderAndDropsTheCache) {
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t1")));
    faulty_.fail_commit = true;
    auto results = write({gift(kViewer, kStreamer, 10, "g1"), top_up(kViewer, 5, "t2")});
    for (const auto& result : results) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error(), Errc::ledger_unavailable);
    }
    EXPECT_EQ(writer_.cached_accounts(), 0u);
    faulty_.fail_commit = false;
    // Memory was not ahead of disk: the retry sees the committed 100, not 90.
    auto retried = write({gift(kViewer, kStreamer, 10, "g1"), top_up(kViewer, 5, "t2")});
    ASSERT_TRUE(retried[0] && retried[1]);
    EXPECT_FALSE(retried[0]->replayed);
    EXPECT_EQ(retried[0]->order_id, 2);
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 95);
    expect_verified();
}

TEST_F(BatchWriterTest, AStorageErrorInOneOrderRollsBackThatOrderAlone) {
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t1")));
    faulty_.fail_append_amount = 3;  // the platform share of the 10-coin gift, its second leg
    auto results = write(
        {gift(kViewer, kStreamer, 20, "g0"), gift(kViewer, kStreamer, 10, "g1"), gift(kViewer, kStreamer, 30, "g2")});
    ASSERT_TRUE(results[0]);
    ASSERT_FALSE(results[1]);
    EXPECT_EQ(results[1].error(), Errc::ledger_unavailable);
    ASSERT_TRUE(results[2]);
    EXPECT_EQ(results[2]->order_id, results[0]->order_id + 1);
    EXPECT_EQ(faulty_.savepoints, 3);  // the batch ran again with one per order
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 50);
    EXPECT_EQ(journal_rows(AccountId::earnings(kStreamer)), 2u);
    EXPECT_EQ(counter("board:all:1:3"), 50);
    expect_verified();
}

TEST_F(BatchWriterTest, HealthyBatchesTakeNoSavepoints) {
    write({top_up(kViewer, 100, "t1"), gift(kViewer, kStreamer, 10, "g1")});
    EXPECT_EQ(faulty_.savepoints, 0);
}

TEST_F(BatchWriterTest, ALostTransactionFailsTheWholeBatch) {
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t1")));
    faulty_.fail_append_amount = 14;  // the streamer's share of the 20-coin gift
    faulty_.lose_transaction = true;
    auto results = write(
        {gift(kViewer, kStreamer, 10, "g1"), gift(kViewer, kStreamer, 20, "g2"), gift(kViewer, kStreamer, 30, "g3")});
    for (const auto& result : results) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error(), Errc::ledger_unavailable);
    }
    EXPECT_EQ(balance(AccountId::wallet(kViewer)), 100);
    faulty_.fail_append_amount = 0;
    EXPECT_TRUE(write_one(gift(kViewer, kStreamer, 10, "g1")));
    expect_verified();
}

TEST_F(BatchWriterTest, CachedBalancesSaveReadsAcrossBatches) {
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t1")));
    int loads = faulty_.loads;
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t2")));
    EXPECT_EQ(faulty_.loads, loads);
}

TEST_F(BatchWriterTest, OrderIdsContinueAfterReopening) {
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t1")));
    ASSERT_TRUE(write_one(top_up(kViewer, 100, "t2")));
    BatchWriter reopened(*backend_, clock_, {});
    auto receipt = reopened.write(std::vector<Order>{top_up(kViewer, 1, "t3")}).at(0);
    ASSERT_TRUE(receipt);
    EXPECT_EQ(receipt->order_id, 3);
}

// An interactive gift of app kApp: 100 coins, 70 to the streamer, the app's cut of the 30 left
// for the writer.
constexpr std::uint64_t kApp = 5;
Order app_gift(std::string request_id) {
    Order order = gift(kViewer, kStreamer, 100, std::move(request_id));
    order.app = kApp;
    order.app_cut = AppCut{.app = kApp, .from_leg = 1};
    return order;
}

std::shared_ptr<const economy::AppShareSchedule> shares(std::vector<economy::AppShareChange> changes) {
    return std::make_shared<const economy::AppShareSchedule>(changes);
}

TEST_F(BatchWriterTest, AppCutUsesTheRatioInForceWhenTheBatchCommits) {
    ASSERT_TRUE(write_one(top_up(kViewer, 1000, "t1")));
    const Millis change_ms = clock_.wall_ms() + 60'000;
    writer_.set_app_shares(shares({{.app = kApp, .effective_ms = 0, .per_mille = 100},
                                   {.app = kApp, .effective_ms = change_ms, .per_mille = 500}}));
    // Built long before, committed now: 10 % of the 30-coin platform part.
    const Order early = app_gift("g1");
    ASSERT_TRUE(write_one(early));
    EXPECT_EQ(balance(AccountId::app(kApp)), 3);
    EXPECT_EQ(balance(AccountId::platform()), 27);
    // The change's own millisecond already uses the new ratio: 15 of 30.
    clock_.advance_ms(change_ms - clock_.wall_ms());
    ASSERT_TRUE(write_one(app_gift("g2")));
    EXPECT_EQ(balance(AccountId::app(kApp)), 3 + 15);
    EXPECT_EQ(balance(AccountId::platform()), 27 + 15);
    EXPECT_EQ(balance(AccountId::earnings(kStreamer)), 140);
    EXPECT_EQ(counter("app_revenue:5"), 18);
    EXPECT_EQ(counter("app_revenue:5:" + std::to_string(utc_yyyymmdd(clock_.wall_ms()))), 18);
    expect_verified();
}

TEST_F(BatchWriterTest, RetryOfAnAppGiftGetsTheFirstReceiptAfterTheRatioChanged) {
    ASSERT_TRUE(write_one(top_up(kViewer, 1000, "t1")));
    writer_.set_app_shares(shares({{.app = kApp, .effective_ms = 0, .per_mille = 100}}));
    auto first = write_one(app_gift("g1"));
    ASSERT_TRUE(first);
    writer_.set_app_shares(shares({{.app = kApp, .effective_ms = 0, .per_mille = 900}}));
    auto retry = write_one(app_gift("g1"));
    ASSERT_TRUE(retry);
    EXPECT_TRUE(retry->replayed);
    EXPECT_EQ(retry->order_id, first->order_id);
    EXPECT_EQ(retry->balances, first->balances);
    EXPECT_EQ(balance(AccountId::app(kApp)), 3);
    EXPECT_EQ(counter("app_revenue:5"), 3);
}

TEST_F(BatchWriterTest, WholePlatformPartToTheAppDropsThePlatformLegAndNoScheduleCutsNothing) {
    ASSERT_TRUE(write_one(top_up(kViewer, 1000, "t1")));
    ASSERT_TRUE(write_one(app_gift("g0")));  // no schedule published: 0
    EXPECT_EQ(balance(AccountId::app(kApp)), 0);
    EXPECT_EQ(journal_rows(AccountId::app(kApp)), 0u);
    writer_.set_app_shares(shares({{.app = economy::kDefaultShareApp, .effective_ms = 0, .per_mille = 1000}}));
    ASSERT_TRUE(write_one(app_gift("g1")));
    EXPECT_EQ(balance(AccountId::app(kApp)), 30);
    EXPECT_EQ(balance(AccountId::platform()), 30);  // all from g0
    EXPECT_EQ(journal_rows(AccountId::platform()), 1u);
    expect_verified();
}

TEST_F(BatchWriterTest, AppCutMustComeFromAPlatformLeg) {
    ASSERT_TRUE(write_one(top_up(kViewer, 1000, "t1")));
    Order order = app_gift("g1");
    order.app_cut->from_leg = 0;  // the streamer's leg
    EXPECT_EQ(write_one(order).error(), Errc::bad_request);
    order.app_cut->from_leg = 2;
    EXPECT_EQ(write_one(order).error(), Errc::bad_request);
}

}  // namespace
}  // namespace barrage::ledger
