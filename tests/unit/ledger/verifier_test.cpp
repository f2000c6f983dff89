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

}  // namespace
}  // namespace barrage::ledger
