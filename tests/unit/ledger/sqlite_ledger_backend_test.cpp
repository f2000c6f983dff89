#include "ledger/sqlite_ledger_backend.h"

#include <gtest/gtest.h>

#include "ledger_test_support.h"
#include "store/database.h"

namespace barrage::ledger {
namespace {

class SqliteLedgerBackendTest : public ::testing::Test {
protected:
    SqliteLedgerBackendTest() : writer_(open(false)), reader_(open(true)) {}

    std::unique_ptr<SqliteLedgerBackend> open(bool read_only) {
        auto opened =
            SqliteLedgerBackend::open({.path = database_.path(), .synchronous_full = false, .read_only = read_only});
        EXPECT_TRUE(opened);
        return std::move(*opened);
    }

    JournalEntry entry(std::int64_t order_id, Leg leg) {
        JournalEntry out;
        out.order_id = order_id;
        out.leg = leg;
        out.room = RoomId{5};
        out.item = 7;
        out.count = 2;
        out.app = 11;
        out.memo = "hello \"world\"";
        out.created_ms = 1234;
        return out;
    }

    testing::TempDatabase database_;
    std::unique_ptr<SqliteLedgerBackend> writer_;
    std::unique_ptr<SqliteLedgerBackend> reader_;
};

TEST_F(SqliteLedgerBackendTest, AdjustCreatesAnAccountThenAddsToIt) {
    ASSERT_TRUE(writer_->begin_batch());
    EXPECT_FALSE(writer_->load_balance(AccountId::wallet(1)).value().has_value());
    ASSERT_TRUE(writer_->adjust_balance(AccountId::wallet(1), 50));
    ASSERT_TRUE(writer_->adjust_balance(AccountId::wallet(1), -20));
    EXPECT_EQ(writer_->load_balance(AccountId::wallet(1)).value(), 30);
    EXPECT_EQ(reader_->balance(AccountId::wallet(1)).value(), 0);  // not committed yet
    ASSERT_TRUE(writer_->commit_batch());
    EXPECT_EQ(reader_->balance(AccountId::wallet(1)).value(), 30);
    EXPECT_EQ(reader_->balance(AccountId::wallet(2)).value(), 0);
}

TEST_F(SqliteLedgerBackendTest, JournalEntriesRoundTrip) {
    Leg leg{AccountId::wallet(UINT64_MAX), AccountId::earnings(2), 99, TransferCode::super_chat};
    ASSERT_TRUE(writer_->begin_batch());
    ASSERT_TRUE(writer_->append_journal(entry(1, leg)));
    ASSERT_TRUE(writer_->commit_batch());
    auto rows = reader_->journal(AccountId::wallet(UINT64_MAX), 10, INT64_MAX).value();
    ASSERT_EQ(rows.size(), 1u);
    auto expected = entry(1, leg);
    expected.id = rows[0].id;
    EXPECT_EQ(rows[0], expected);
    EXPECT_EQ(writer_->last_order_id().value(), 1);
}

TEST_F(SqliteLedgerBackendTest, JournalPagesNewestFirstOverBothSides) {
    ASSERT_TRUE(writer_->begin_batch());
    EXPECT_EQ(writer_->last_order_id().value(), 0);
    for (std::int64_t order = 1; order <= 6; ++order) {
        Leg in{AccountId::external(), AccountId::wallet(1), order, TransferCode::top_up};
        Leg out{AccountId::wallet(1), AccountId::platform(), order, TransferCode::gift};
        ASSERT_TRUE(writer_->append_journal(entry(order, order % 2 == 0 ? in : out)));
        Leg other{AccountId::external(), AccountId::wallet(2), order, TransferCode::top_up};
        ASSERT_TRUE(writer_->append_journal(entry(order, other)));
    }
    ASSERT_TRUE(writer_->commit_batch());
    auto page = reader_->journal(AccountId::wallet(1), 4, INT64_MAX).value();
    ASSERT_EQ(page.size(), 4u);
    std::vector<Coins> amounts;
    for (const auto& row : page) {
        amounts.push_back(row.leg.amount);
    }
    EXPECT_EQ(amounts, (std::vector<Coins>{6, 5, 4, 3}));
    auto next = reader_->journal(AccountId::wallet(1), 4, page.back().id).value();
    ASSERT_EQ(next.size(), 2u);
    EXPECT_EQ(next[0].leg.amount, 2);
    EXPECT_EQ(next[1].leg.amount, 1);
}

TEST_F(SqliteLedgerBackendTest, CountersAreCreatedThenAdjusted) {
    ASSERT_TRUE(writer_->begin_batch());
    EXPECT_FALSE(writer_->load_counter("board:all:1:3").value().has_value());
    ASSERT_TRUE(writer_->adjust_counter("board:all:1:3", 10));
    ASSERT_TRUE(writer_->adjust_counter("board:all:1:3", 5));
    EXPECT_EQ(writer_->load_counter("board:all:1:3").value(), 15);
    ASSERT_TRUE(writer_->commit_batch());
}

TEST_F(SqliteLedgerBackendTest, CountersListByPrefixHighestFirst) {
    ASSERT_TRUE(writer_->begin_batch());
    ASSERT_TRUE(writer_->adjust_counter("board:all:1:3", 15));
    ASSERT_TRUE(writer_->adjust_counter("board:all:1:4", 20));
    ASSERT_TRUE(writer_->adjust_counter("board:all:1:5", 15));
    ASSERT_TRUE(writer_->adjust_counter("board:all:12:3", 99));
    ASSERT_TRUE(writer_->adjust_counter("\xff\xff", 1));
    ASSERT_TRUE(writer_->commit_batch());
    EXPECT_EQ(reader_->counters("board:all:1:", 10).value(),
              (std::vector<CounterValue>{{"board:all:1:4", 20}, {"board:all:1:3", 15}, {"board:all:1:5", 15}}));
    EXPECT_EQ(reader_->counters("board:all:1:", 1).value().size(), 1u);
    EXPECT_EQ(reader_->counters("", 10).value().size(), 5u);
    EXPECT_EQ(reader_->counters("\xff", 10).value(), (std::vector<CounterValue>{{"\xff\xff", 1}}));
    EXPECT_TRUE(reader_->counters("nothing", 10).value().empty());
}

TEST_F(SqliteLedgerBackendTest, AnAdjustmentThatWouldOverflowFailsItsStatement) {
    ASSERT_TRUE(writer_->begin_batch());
    ASSERT_TRUE(writer_->adjust_counter("big", INT64_MAX));
    auto overflow = writer_->adjust_counter("big", 1);
    ASSERT_FALSE(overflow);
    EXPECT_EQ(overflow.error(), Errc::ledger_unavailable);
    EXPECT_TRUE(writer_->in_batch());
    ASSERT_TRUE(writer_->adjust_balance(AccountId::external(), INT64_MIN));
    EXPECT_FALSE(writer_->adjust_balance(AccountId::external(), -1));
    ASSERT_TRUE(writer_->commit_batch());
    EXPECT_EQ(reader_->counters("big", 1).value().at(0).value, INT64_MAX);
    EXPECT_EQ(reader_->balance(AccountId::external()).value(), INT64_MIN);
}

TEST_F(SqliteLedgerBackendTest, RequestsAreFoundByScopeAndIdAndNeverDuplicated) {
    RequestRecord record{UserId{3}, "r1", "gift", "fp", "{}", 100, ""};
    ASSERT_TRUE(writer_->begin_batch());
    ASSERT_TRUE(writer_->insert_request(record).value());
    auto found = writer_->find_request(UserId{3}, "r1").value();
    ASSERT_TRUE(found);
    EXPECT_EQ(found->kind, "gift");
    EXPECT_EQ(found->fingerprint, "fp");
    EXPECT_EQ(found->receipt, "{}");
    EXPECT_EQ(found->created_ms, 100);
    EXPECT_FALSE(writer_->find_request(UserId{4}, "r1").value());
    record.receipt = "other";
    EXPECT_FALSE(writer_->insert_request(record).value());  // the first record stays
    EXPECT_EQ(writer_->find_request(UserId{3}, "r1").value()->receipt, "{}");
    ASSERT_TRUE(writer_->commit_batch());
}

TEST_F(SqliteLedgerBackendTest, ARequestIsAnnotatedOnceAndOnlyIfItExists) {
    ASSERT_TRUE(writer_->begin_batch());
    ASSERT_TRUE(writer_->insert_request({UserId{3}, "r1", "gift", "fp", "{}", 100, ""}).value());
    EXPECT_EQ(writer_->find_request(UserId{3}, "r1").value()->annotation, "");
    EXPECT_TRUE(writer_->annotate_request(UserId{3}, "r1", "first").value());
    EXPECT_FALSE(writer_->annotate_request(UserId{3}, "r1", "second").value());
    EXPECT_FALSE(writer_->annotate_request(UserId{4}, "r1", "elsewhere").value());
    EXPECT_FALSE(writer_->annotate_request(UserId{3}, "r2", "unknown").value());
    ASSERT_TRUE(writer_->commit_batch());
    EXPECT_EQ(reader_->find_request(UserId{3}, "r1").value()->annotation, "first");
}

TEST_F(SqliteLedgerBackendTest, PruningDeletesOldRecordsUpToTheLimit) {
    ASSERT_TRUE(writer_->begin_batch());
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(writer_->insert_request({UserId{1}, "r" + std::to_string(i), "k", "f", "{}", i, ""}).value());
    }
    EXPECT_EQ(writer_->prune_requests(3, 2).value(), 2u);
    EXPECT_EQ(writer_->prune_requests(3, 2).value(), 1u);
    EXPECT_EQ(writer_->prune_requests(3, 2).value(), 0u);
    EXPECT_TRUE(writer_->find_request(UserId{1}, "r3").value());
    ASSERT_TRUE(writer_->commit_batch());
}

TEST_F(SqliteLedgerBackendTest, RollingBackToTheSavepointUndoesOnlyTheOrder) {
    ASSERT_TRUE(writer_->begin_batch());
    Leg leg{AccountId::external(), AccountId::wallet(1), 5, TransferCode::top_up};
    ASSERT_TRUE(writer_->append_journal(entry(1, leg)));
    ASSERT_TRUE(writer_->savepoint());
    ASSERT_TRUE(writer_->append_journal(entry(2, leg)));
    ASSERT_TRUE(writer_->insert_request({UserId{1}, "r", "k", "f", "{}", 0, ""}).value());
    ASSERT_TRUE(writer_->rollback_to_savepoint());
    ASSERT_TRUE(writer_->release_savepoint());
    ASSERT_TRUE(writer_->commit_batch());
    EXPECT_EQ(reader_->journal(AccountId::wallet(1), 10, INT64_MAX).value().size(), 1u);
    EXPECT_FALSE(writer_->find_request(UserId{1}, "r").value());
}

TEST_F(SqliteLedgerBackendTest, ScansReportRowsThatDoNotDecode) {
    ASSERT_TRUE(writer_->begin_batch());
    Leg leg{AccountId::external(), AccountId::wallet(1), 5, TransferCode::top_up};
    ASSERT_TRUE(writer_->append_journal(entry(1, leg)));
    ASSERT_TRUE(writer_->adjust_balance(AccountId::wallet(1), 5));
    ASSERT_TRUE(writer_->commit_batch());
    {
        store::Database tamper({database_.path(), false});
        tamper.exec("UPDATE journal SET debit_kind = 259");  // would wrap to wallet as a uint8
        tamper.exec("INSERT INTO accounts (kind, owner, balance) VALUES (77, 1, 0)");
    }
    int journal_bad = 0;
    ASSERT_TRUE(reader_->scan_journal([&](const JournalEntry&, bool decoded) { journal_bad += decoded ? 0 : 1; }));
    EXPECT_EQ(journal_bad, 1);
    int accounts_bad = 0;
    ASSERT_TRUE(reader_->scan_balances([&](const AccountBalance&, bool decoded) { accounts_bad += decoded ? 0 : 1; }));
    EXPECT_EQ(accounts_bad, 1);
    EXPECT_EQ(reader_->journal(AccountId::wallet(1), 10, INT64_MAX).error(), Errc::internal);
}

TEST_F(SqliteLedgerBackendTest, AnOrderReadsInLegOrderAndNotAtAllWhenARowDoesNotDecode) {
    Leg host{AccountId::wallet(3), AccountId::earnings(1), 60, TransferCode::gift};
    Leg platform{AccountId::wallet(3), AccountId::platform(), 40, TransferCode::gift_platform_share};
    ASSERT_TRUE(writer_->begin_batch());
    auto first = entry(1, host);
    auto second = entry(1, platform);
    second.leg_index = 1;
    ASSERT_TRUE(writer_->append_journal(first));
    ASSERT_TRUE(writer_->append_journal(second));
    ASSERT_TRUE(writer_->append_journal(entry(2, host)));
    ASSERT_TRUE(writer_->commit_batch());
    auto rows = reader_->order_entries(1).value();
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].leg, host);
    EXPECT_EQ(rows[1].leg, platform);
    EXPECT_TRUE(reader_->order_entries(3).value().empty());
    {
        store::Database tamper({database_.path(), false});
        tamper.exec("UPDATE journal SET credit_kind = 99 WHERE order_id = 1 AND leg = 1");
    }
    // Never the first leg alone: half an order is no order to act on.
    EXPECT_EQ(reader_->order_entries(1).error(), Errc::internal);
}

TEST_F(SqliteLedgerBackendTest, PurchasesLeaveOutReversedOrdersAndOtherKinds) {
    auto purchase = [](std::int64_t order, std::int64_t created_ms, Coins amount, TransferCode code) {
        JournalEntry row;
        row.order_id = order;
        row.leg = {AccountId::wallet(3), AccountId::earnings(1), amount, code};
        row.room = RoomId{2};
        row.item = 3;
        row.count = 1;
        row.created_ms = created_ms;
        return row;
    };
    ASSERT_TRUE(writer_->begin_batch());
    ASSERT_TRUE(writer_->append_journal(purchase(1, 100, 30, TransferCode::guard)));
    auto share = purchase(1, 100, 20, TransferCode::guard_platform_share);
    share.leg_index = 1;
    share.leg.credit = AccountId::platform();
    ASSERT_TRUE(writer_->append_journal(share));
    ASSERT_TRUE(writer_->append_journal(purchase(2, 200, 50, TransferCode::guard)));
    ASSERT_TRUE(writer_->append_journal(purchase(3, 300, 50, TransferCode::gift)));
    ASSERT_TRUE(writer_->append_journal(purchase(4, 400, 70, TransferCode::guard)));
    auto refund = purchase(5, 500, 50, TransferCode::refund);
    std::swap(refund.leg.debit, refund.leg.credit);
    refund.reverses = 2;
    ASSERT_TRUE(writer_->append_journal(refund));
    ASSERT_TRUE(writer_->commit_batch());

    auto guards = reader_->purchases(kGuardCodes, 0).value();
    ASSERT_EQ(guards.size(), 2U);
    EXPECT_EQ(guards[0], (OrderSummary{1, RoomId{2}, UserId{3}, 3, 1, 50, 100}));
    EXPECT_EQ(guards[1].order_id, 4);
    EXPECT_EQ(reader_->purchases(kGuardCodes, 101).value().size(), 1U);
    EXPECT_EQ(reader_->reversal_of(2).value(), 5);
    EXPECT_EQ(reader_->reversal_of(1).value(), 0);
    EXPECT_EQ(reader_->order_entries(5).value().at(0).reverses, 2);
}

TEST(SqliteLedgerBackend, AReaderOpensAFileNoWriterHasOpen) {
    // `barrage ledger verify` runs against a stopped server's file: no WAL or shm left.
    testing::TempDatabase database;
    {
        auto writer =
            SqliteLedgerBackend::open({.path = database.path(), .synchronous_full = true, .read_only = false});
        ASSERT_TRUE(writer);
        ASSERT_TRUE((*writer)->begin_batch());
        ASSERT_TRUE((*writer)->adjust_balance(AccountId::wallet(1), 5));
        ASSERT_TRUE((*writer)->commit_batch());
    }
    auto reader = SqliteLedgerBackend::open({.path = database.path(), .synchronous_full = true, .read_only = true});
    ASSERT_TRUE(reader);
    EXPECT_EQ((*reader)->balance(AccountId::wallet(1)).value(), 5);
}

TEST(SqliteLedgerBackend, OpeningAnUnusablePathIsLedgerUnavailable) {
    auto opened =
        SqliteLedgerBackend::open({.path = "/nonexistent/dir/ledger.db", .synchronous_full = true, .read_only = false});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error(), Errc::ledger_unavailable);
    auto reader =
        SqliteLedgerBackend::open({.path = "/nonexistent/dir/ledger.db", .synchronous_full = true, .read_only = true});
    EXPECT_FALSE(reader);
}

}  // namespace
}  // namespace barrage::ledger
