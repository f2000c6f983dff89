#include "ledger/verifier.h"

#include <gtest/gtest.h>

#include "ledger/batch_writer.h"
#include "ledger/sqlite_ledger_backend.h"
#include "ledger_test_support.h"
#include "store/database.h"

namespace barrage::ledger {
namespace {

using testing::gift;
using testing::top_up;

// A small ledger written through BatchWriter, then damaged behind its back through a separate
// connection, as an operator's stray UPDATE or a bad restore would.
class VerifierTest : public ::testing::Test {
protected:
    VerifierTest() {
        auto writer =
            SqliteLedgerBackend::open({.path = database_.path(), .synchronous_full = false, .read_only = false});
        BatchWriter batch(**writer, clock_, {});
        auto results = batch.write(std::vector<Order>{top_up(3, 1000, "t1"), top_up(4, 500, "t2"),
                                                      gift(3, 9, 100, "g1"), gift(4, 9, 300, "g2")});
        for (const auto& result : results) {
            EXPECT_TRUE(result);
        }
        auto reader =
            SqliteLedgerBackend::open({.path = database_.path(), .synchronous_full = false, .read_only = true});
        reader_ = std::move(*reader);
    }

    void tamper(std::string_view sql) {
        store::Database database({database_.path(), false});
        database.exec(sql);
    }

    VerifyReport verify() { return verify_ledger(*reader_).value(); }

    testing::TempDatabase database_;
    FakeClock clock_;
    std::unique_ptr<SqliteLedgerBackend> reader_;
};

TEST_F(VerifierTest, AnUntouchedLedgerVerifies) {
    auto report = verify();
    EXPECT_TRUE(report.ok()) << report.summary();
    EXPECT_EQ(report.accounts, 5);  // external, two wallets, earnings, platform
    EXPECT_EQ(report.journal_rows, 6);
    EXPECT_EQ(report.balance_sum, 0);
    EXPECT_NE(report.summary().find("ledger OK"), std::string::npos);
}

TEST_F(VerifierTest, ReportsABalanceChangedBehindTheLedgersBack) {
    tamper("UPDATE accounts SET balance = balance + 5 WHERE kind = 3 AND owner = 3");
    auto report = verify();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.balance_sum, 5);
    ASSERT_EQ(report.mismatch_count, 1);
    EXPECT_EQ(report.mismatches[0], (BalanceMismatch{AccountId::wallet(3), 905, 900}));
    EXPECT_NE(report.summary().find("wallet:3 stored 905 journal 900"), std::string::npos);
}

TEST_F(VerifierTest, ReportsAMovedCoinEvenWhenTheSumStillHolds) {
    tamper("UPDATE accounts SET balance = balance - 7 WHERE kind = 3 AND owner = 3");
    tamper("UPDATE accounts SET balance = balance + 7 WHERE kind = 3 AND owner = 4");
    auto report = verify();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.balance_sum, 0);
    EXPECT_EQ(report.mismatch_count, 2);
}

TEST_F(VerifierTest, ReportsNegativeWalletsAndMissingAccounts) {
    tamper("UPDATE accounts SET balance = -1 WHERE kind = 3 AND owner = 4");
    tamper("DELETE FROM accounts WHERE kind = 2");
    auto report = verify();
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.negative_count, 1);
    EXPECT_EQ(report.negatives[0], (AccountBalance{AccountId::wallet(4), -1}));
    EXPECT_EQ(report.mismatch_count, 2);  // wallet 4 and the deleted platform account
}

TEST_F(VerifierTest, ReportsJournalRowsThatAreNotValidLegs) {
    tamper("UPDATE journal SET amount = amount + 1 WHERE id = 1");
    tamper("UPDATE journal SET code = 99 WHERE id = 2");
    tamper(
        "UPDATE journal SET credit_kind = 2, credit_owner = 0, debit_kind = 2, "
        "debit_owner = 0 WHERE id = 3");
    auto report = verify();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.bad_row_count, 2);
    EXPECT_EQ(report.bad_rows, (std::vector<std::int64_t>{2, 3}));
    EXPECT_GT(report.mismatch_count, 0);
}

// An interactive gift of app 5 (100 coins: 70 streamer, 30 platform part, of which 10 % to the
// app: 3), written through the writer with a schedule, beside the fixture's ledger.
class AppRevenueVerifierTest : public VerifierTest {
protected:
    AppRevenueVerifierTest() {
        auto writer =
            SqliteLedgerBackend::open({.path = database_.path(), .synchronous_full = false, .read_only = false});
        BatchWriter batch(**writer, clock_, {});
        batch.set_app_shares(shares_);
        Order order = gift(3, 9, 100, "app-g1");
        order.app = 5;
        order.app_cut = AppCut{.app = 5, .from_leg = 1};
        EXPECT_TRUE(batch.write(std::vector<Order>{order}).at(0));
    }

    VerifyReport verify_with_schedule() { return verify_ledger(*reader_, shares_.get()).value(); }

    std::shared_ptr<const economy::AppShareSchedule> shares_ = std::make_shared<const economy::AppShareSchedule>(
        std::vector<economy::AppShareChange>{{.app = 5, .effective_ms = 0, .per_mille = 100}});
};

TEST_F(AppRevenueVerifierTest, AnAppsRunningTotalAndCutsVerify) {
    auto report = verify_with_schedule();
    EXPECT_TRUE(report.ok()) << report.summary();
    EXPECT_EQ(report.apps, 1);
    EXPECT_EQ(report.app_gift_orders, 1);
}

TEST_F(AppRevenueVerifierTest, ReportsAnAppsRunningTotalThatDiffersFromTheJournal) {
    tamper("UPDATE counters SET value = value + 1 WHERE name = 'app_revenue:5'");
    auto report = verify();
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.app_revenue_mismatch_count, 1);
    EXPECT_EQ(report.app_revenue_mismatches[0].app, 5U);
    EXPECT_EQ(report.app_revenue_mismatches[0].counter, 4);
    EXPECT_EQ(report.app_revenue_mismatches[0].journal, 3);
    EXPECT_NE(report.summary().find("app 5 counter 4 journal 3"), std::string::npos) << report.summary();
}

TEST_F(AppRevenueVerifierTest, ReportsAnAppLegThatIsNotTheCutOfItsRatioWithItsJournalIds) {
    // The app leg and both balances moved together: balances still equal the journal.
    tamper("UPDATE journal SET amount = amount + 2 WHERE code = 13");
    tamper("UPDATE accounts SET balance = balance + 2 WHERE kind = 5 AND owner = 5");
    tamper("UPDATE accounts SET balance = balance - 2 WHERE kind = 3 AND owner = 3");
    auto report = verify_with_schedule();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.mismatch_count, 0);
    EXPECT_EQ(report.app_revenue_mismatch_count, 1);
    ASSERT_EQ(report.app_cut_mismatch_count, 1);
    const auto& cut = report.app_cut_mismatches[0];
    EXPECT_EQ(cut.expected, 3);  // 10 % of the 32 coins that are not the streamer's
    EXPECT_EQ(cut.written, 5);
    EXPECT_EQ(cut.entry_ids.size(), 3U);
}

}  // namespace
}  // namespace barrage::ledger
