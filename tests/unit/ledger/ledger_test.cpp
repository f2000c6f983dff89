#include "ledger/ledger.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "faulty_backend.h"
#include "ledger/open_ledger.h"
#include "ledger/sqlite_ledger_backend.h"
#include "ledger_test_support.h"

namespace barrage::ledger {
namespace {

using testing::gift;
using testing::top_up;

std::unique_ptr<Ledger> open(const std::string& path, const Clock& clock, const Ledger::Options& options = {},
                             bool synchronous_full = false) {
    auto ledger =
        open_sqlite_ledger({.path = path, .synchronous_full = synchronous_full, .read_only = false}, clock, options);
    EXPECT_TRUE(ledger);
    return std::move(*ledger);
}

class LedgerTest : public ::testing::Test {
protected:
    // A ledger whose writer is a real backend behind a FaultyBackend the test can steer and
    // count. Members go in reverse: the ledger first, the backend it wraps last.
    struct Probed {
        std::unique_ptr<SqliteLedgerBackend> inner;
        testing::FaultyBackend* probe = nullptr;
        std::unique_ptr<Ledger> ledger;
    };
    Probed open_probed(bool synchronous_full) {
        Probed probed;
        auto inner = SqliteLedgerBackend::open(
            {.path = database_.path(), .synchronous_full = synchronous_full, .read_only = false});
        auto reader = SqliteLedgerBackend::open(
            {.path = database_.path(), .synchronous_full = synchronous_full, .read_only = true});
        EXPECT_TRUE(inner && reader);
        if (!inner || !reader) {
            return probed;
        }
        probed.inner = std::move(*inner);
        auto faulty = std::make_unique<testing::FaultyBackend>(*probed.inner);
        probed.probe = faulty.get();
        probed.ledger = std::make_unique<Ledger>(std::move(faulty), std::move(*reader), clock_, Ledger::Options{});
        return probed;
    }

    testing::TempDatabase database_;
    FakeClock clock_;
};

TEST_F(LedgerTest, AnswersOnALedgerThreadOnlyOnceTheOrderIsReadable) {
    auto ledger = open(database_.path(), clock_);
    std::promise<void> answered;
    auto caller = std::this_thread::get_id();
    ledger->submit(top_up(3, 100, "t1"), [&](Result<Receipt> receipt) {
        EXPECT_TRUE(receipt);
        EXPECT_NE(std::this_thread::get_id(), caller);
        // The reader connection sees only committed data: the order is durable by now.
        EXPECT_EQ(ledger->balance(AccountId::wallet(3)).value(), 100);
        answered.set_value();
    });
    answered.get_future().wait();
}

TEST_F(LedgerTest, SubmitAndWaitReturnsTheReceipt) {
    auto ledger = open(database_.path(), clock_);
    auto receipt = ledger->submit_and_wait(top_up(3, 100, "t1"));
    ASSERT_TRUE(receipt);
    EXPECT_EQ(receipt->order_id, 1);
    EXPECT_EQ(receipt->find(AccountId::wallet(3))->balance, 100);
    EXPECT_EQ(ledger->submit_and_wait(gift(3, 9, 500, "g1")).error(), Errc::insufficient_balance);
    EXPECT_TRUE(ledger->submit_and_wait(top_up(3, 100, "t1"))->replayed);
    EXPECT_EQ(ledger->submit_and_wait(top_up(3, 101, "t1")).error(), Errc::request_conflict);
}

TEST_F(LedgerTest, ConcurrentSubmittersShareBatches) {
    auto ledger = open(database_.path(), clock_);
    constexpr int kThreads = 4;
    constexpr int kOrdersPerThread = 500;
    std::atomic<int> succeeded{0};
    std::latch all_answered(kThreads * kOrdersPerThread);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kOrdersPerThread; ++i) {
                auto id = "t" + std::to_string(t) + "-" + std::to_string(i);
                ledger->submit(top_up(static_cast<std::uint64_t>(t + 1), 2, id), [&](Result<Receipt> receipt) {
                    succeeded += receipt ? 1 : 0;
                    all_answered.count_down();
                });
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    all_answered.wait();
    EXPECT_EQ(succeeded.load(), kThreads * kOrdersPerThread);
    auto stats = ledger->stats();
    EXPECT_EQ(stats.orders_applied, static_cast<std::uint64_t>(kThreads * kOrdersPerThread));
    EXPECT_LE(stats.batches, stats.orders);
    for (std::uint64_t uid = 1; uid <= kThreads; ++uid) {
        EXPECT_EQ(ledger->balance(AccountId::wallet(uid)).value(), 2 * kOrdersPerThread);
    }
    EXPECT_TRUE(ledger->verify()->ok());
}

TEST_F(LedgerTest, StopAnswersEverythingQueuedThenRefusesAtTheDoor) {
    auto ledger = open(database_.path(), clock_);
    std::atomic<int> succeeded{0};
    for (int i = 0; i < 200; ++i) {
        ledger->submit(top_up(3, 1, "t" + std::to_string(i)),
                       [&](Result<Receipt> receipt) { succeeded += receipt ? 1 : 0; });
    }
    ledger->stop();
    EXPECT_EQ(succeeded.load(), 200);
    bool refused = false;
    ledger->submit(top_up(3, 1, "late"),
                   [&](Result<Receipt> receipt) { refused = !receipt && receipt.error() == Errc::ledger_unavailable; });
    EXPECT_TRUE(refused);  // answered inline, on this thread
    EXPECT_EQ(ledger->stats().orders_refused, 1u);
    EXPECT_EQ(ledger->balance(AccountId::wallet(3)).value(), 200);
}

TEST_F(LedgerTest, AFullQueueRefusesAtOnce) {
    auto ledger = open(database_.path(), clock_, {.batch_orders_max = 1, .queue_orders_max = 2, .writer = {}});
    std::latch release(1);
    std::promise<void> acknowledger_blocked;
    ledger->submit(top_up(3, 1, "block"), [&](Result<Receipt>) {
        acknowledger_blocked.set_value();
        release.wait();  // hold the answers: the writer runs ahead, then stops, then the queue fills
    });
    acknowledger_blocked.get_future().wait();
    std::atomic<int> answered{0};
    std::optional<Result<Receipt>> refused;
    int submitted = 0;
    // Bounded: kBatchesAwaitingSyncMax batches of one can wait, the queue holds two more.
    while (!refused && submitted < 1000) {
        ++submitted;
        ledger->submit(top_up(3, 1, "q" + std::to_string(submitted)), [&](Result<Receipt> receipt) {
            if (!receipt && receipt.error() == Errc::ledger_unavailable && !refused) {
                refused = receipt;  // inline, on this thread
                return;
            }
            EXPECT_TRUE(receipt);
            ++answered;
        });
        if (!refused) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));  // let the writer move
        }
    }
    ASSERT_TRUE(refused.has_value());
    EXPECT_LE(submitted, static_cast<int>(kBatchesAwaitingSyncMax) + 2 + 2);
    release.count_down();
    ledger->stop();
    EXPECT_EQ(answered.load(), submitted - 1);
}

TEST_F(LedgerTest, AnswersOnlyAfterTheBatchIsSynced) {
    auto probed = open_probed(true);
    ASSERT_TRUE(probed.ledger);
    auto* probe = probed.probe;
    Ledger& ledger = *probed.ledger;
    auto receipt = ledger.submit_and_wait(top_up(3, 5, "t1"));
    ASSERT_TRUE(receipt);
    EXPECT_GE(probe->syncs.load(), 1);
    ledger.stop();
}

// At NORMAL the acknowledger starts the WAL's writeback (so checkpoints do not stall the
// writer), and only after the answers, which never wait for it.
TEST_F(LedgerTest, StartsWritebackAfterAnswering) {
    auto probed = open_probed(false);
    ASSERT_TRUE(probed.ledger);
    auto* probe = probed.probe;
    Ledger& ledger = *probed.ledger;
    std::promise<int> writebacks_when_answered;
    ledger.submit(top_up(3, 5, "w1"), [&](Result<Receipt> receipt) {
        EXPECT_TRUE(receipt);
        writebacks_when_answered.set_value(probe->writebacks.load());
    });
    EXPECT_EQ(writebacks_when_answered.get_future().get(), 0);
    ledger.stop();  // joins the acknowledger
    EXPECT_GE(probe->writebacks.load(), 1);
    EXPECT_EQ(ledger.balance(AccountId::wallet(3)).value(), 5);
}

TEST_F(LedgerTest, AFailedSyncFailsItsOrdersAndTheLedgerRefusesAfterwards) {
    auto probed = open_probed(true);
    ASSERT_TRUE(probed.ledger);
    auto* probe = probed.probe;
    Ledger& ledger = *probed.ledger;
    ASSERT_TRUE(ledger.submit_and_wait(top_up(3, 5, "t1")));
    probe->fail_sync = true;
    auto unsynced = ledger.submit_and_wait(top_up(3, 5, "t2"));
    ASSERT_FALSE(unsynced);
    EXPECT_EQ(unsynced.error(), Errc::ledger_unavailable);
    probe->fail_sync = false;
    auto later = ledger.submit_and_wait(top_up(3, 5, "t3"));
    ASSERT_FALSE(later);
    EXPECT_EQ(later.error(), Errc::ledger_unavailable);
    EXPECT_GE(ledger.stats().orders_refused, 1u);
    ledger.stop();
}

TEST_F(LedgerTest, ReadsJournalAndCounters) {
    auto ledger = open(database_.path(), clock_);
    ASSERT_TRUE(ledger->submit_and_wait(top_up(3, 1000, "t1")));
    ASSERT_TRUE(ledger->submit_and_wait(gift(3, 9, 100, "g1")));
    ASSERT_TRUE(ledger->submit_and_wait(gift(3, 9, 200, "g2", 1, 8)));
    auto rows = ledger->journal(AccountId::wallet(3), 10).value();
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows.front().leg.code, TransferCode::gift_platform_share);
    EXPECT_EQ(rows.front().item, 8u);
    EXPECT_EQ(rows.back().leg.code, TransferCode::top_up);
    auto earnings = ledger->journal(AccountId::earnings(9), 1).value();
    ASSERT_EQ(earnings.size(), 1u);
    EXPECT_EQ(earnings[0].leg.amount, 140);
    auto board = ledger->counters("gift_number:1:3:", 10).value();
    EXPECT_EQ(board, (std::vector<CounterValue>{{"gift_number:1:3:7", 1}, {"gift_number:1:3:8", 1}}));
    EXPECT_EQ(ledger->counters("board:all:1:", 10).value(), (std::vector<CounterValue>{{"board:all:1:3", 300}}));
}

TEST_F(LedgerTest, PrunesExpiredRequestsBetweenBatches) {
    auto ledger = open(database_.path(), clock_);
    ASSERT_TRUE(ledger->submit_and_wait(top_up(3, 10, "t1")));
    clock_.advance_ms(49LL * 3600 * 1000);
    ASSERT_TRUE(ledger->submit_and_wait(top_up(3, 10, "t2")));  // its batch is followed by a pass
    auto late = ledger->submit_and_wait(top_up(3, 10, "t1"));
    ASSERT_TRUE(late);
    EXPECT_FALSE(late->replayed);
    EXPECT_TRUE(ledger->submit_and_wait(top_up(3, 10, "t2"))->replayed);
}

TEST_F(LedgerTest, EveryAcknowledgedOrderIsThereExactlyOnceAfterReopening) {
    std::mutex mutex;
    std::map<std::string, Receipt> acknowledged;
    std::vector<Order> orders;
    for (int i = 0; i < 600; ++i) {
        orders.push_back(top_up(static_cast<std::uint64_t>(1 + i % 7), 1 + i % 13, "t" + std::to_string(i)));
        if (i % 3 == 0) {
            orders.push_back(gift(static_cast<std::uint64_t>(1 + i % 7), 9, 5, "g" + std::to_string(i)));
        }
    }
    {
        auto ledger = open(database_.path(), clock_, {}, true);
        for (const auto& order : orders) {
            ledger->submit(order, [&, id = order.request_id](Result<Receipt> receipt) {
                if (receipt) {
                    std::lock_guard lock(mutex);
                    acknowledged.emplace(id, *receipt);
                }
            });
        }
        // Destroyed without stop(): the destructor still answers what was queued.
    }
    ASSERT_FALSE(acknowledged.empty());
    auto ledger = open(database_.path(), clock_);
    auto report = ledger->verify();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok()) << report->summary();
    // Every acknowledged gift, and nothing else, is in the journal.
    auto gifts = std::count_if(acknowledged.begin(), acknowledged.end(),
                               [](const auto& entry) { return entry.first[0] == 'g'; });
    EXPECT_EQ(ledger->journal(AccountId::earnings(9), kJournalPageMax).value().size(), static_cast<std::size_t>(gifts));
    for (const auto& order : orders) {
        auto first = acknowledged.find(order.request_id);
        if (first == acknowledged.end()) {
            continue;  // refused (insufficient balance): never acknowledged
        }
        auto again = ledger->submit_and_wait(order);
        ASSERT_TRUE(again) << order.request_id;
        EXPECT_TRUE(again->replayed) << order.request_id;
        Receipt expected = first->second;
        expected.replayed = true;
        EXPECT_EQ(*again, expected) << order.request_id;
    }
}

}  // namespace
}  // namespace barrage::ledger
