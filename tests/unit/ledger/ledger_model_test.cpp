// The ledger against a model: thousands of random operations (top-ups, gifts, super chats,
// payouts, retries with the same and with different content, unfunded orders), from one thread
// and from several at once. Every answer is checked against a plain in-memory model of
// balances, counters and idempotency records, and the stored state is compared with the model
// after every step (one thread) or every round (several threads). Deterministic seeds; with
// several threads the interleaving varies, but the model follows the writer's own order
// because callbacks arrive on the writer thread in commit order.

#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "ledger/open_ledger.h"
#include "ledger_test_support.h"

namespace barrage::ledger {
namespace {

constexpr std::uint64_t kViewers = 8;
constexpr std::uint64_t kStreamers = 3;

// What the ledger should do, written as simply as possible.
class Model {
public:
    // Applies an order as the ledger should and checks the ledger's actual answer against it.
    void check(const Order& order, const Result<Receipt>& actual) {
        std::lock_guard lock(mutex_);
        ++answers_;
        if (!actual) {
            ++outcomes_[static_cast<Errc>(actual.error().value())];
        } else {
            ++(actual->replayed ? replays_ : outcomes_[Errc::ok]);
        }
        auto key = std::make_pair(order.scope.value, order.request_id);
        if (auto stored = requests_.find(key); stored != requests_.end()) {
            check_retry(stored->second, order, actual);
            return;
        }
        auto touched = plan(order);
        if (!touched) {
            ASSERT_FALSE(actual) << order.request_id;
            EXPECT_EQ(actual.error(), Errc::insufficient_balance) << order.request_id;
            return;
        }
        ASSERT_TRUE(actual) << order.request_id << ": " << actual.error().message();
        EXPECT_FALSE(actual->replayed);
        EXPECT_EQ(actual->order_id, last_order_id_ + 1);
        last_order_id_ = actual->order_id;
        std::vector<CounterValue> counters;
        for (const auto& bump : order.counters) {
            counters.push_back({bump.name, counters_[bump.name] += bump.delta});
        }
        for (const auto& entry : *touched) {
            balances_[entry.account] = entry.balance;
        }
        EXPECT_EQ(actual->balances, *touched) << order.request_id;
        EXPECT_EQ(actual->counters, counters) << order.request_id;
        requests_.emplace(key, Stored{order.kind, order.fingerprint, *actual});
    }

    // Compares every account and counter the model knows with what the ledger has stored.
    void compare_with(const Ledger& ledger) {
        std::lock_guard lock(mutex_);
        Coins sum = 0;
        for (const auto& [account, balance] : balances_) {
            EXPECT_EQ(ledger.balance(account).value(), balance) << to_string(account);
            sum += balance;
        }
        EXPECT_EQ(sum, 0);
        for (const auto& [name, value] : counters_) {
            auto stored = ledger.counters(name, 1).value();
            ASSERT_FALSE(stored.empty()) << name;
            EXPECT_EQ(stored[0].value, value) << name;
        }
    }

    std::size_t answers() {
        std::lock_guard lock(mutex_);
        return answers_;
    }

    // The random load must reach every outcome, or the test proves less than it claims.
    void expect_every_outcome_seen() {
        std::lock_guard lock(mutex_);
        EXPECT_GT(outcomes_[Errc::ok], 0u);
        EXPECT_GT(outcomes_[Errc::insufficient_balance], 0u);
        EXPECT_GT(outcomes_[Errc::request_conflict], 0u);
        EXPECT_GT(replays_, 0u);
        EXPECT_EQ(outcomes_.size(), 3u);  // nothing else: no storage failures, no bad orders
    }

private:
    struct Stored {
        std::string kind;
        std::string fingerprint;
        Receipt receipt;
    };

    void check_retry(const Stored& stored, const Order& order, const Result<Receipt>& actual) {
        if (stored.kind != order.kind || stored.fingerprint != order.fingerprint) {
            ASSERT_FALSE(actual) << order.request_id;
            EXPECT_EQ(actual.error(), Errc::request_conflict) << order.request_id;
            return;
        }
        ASSERT_TRUE(actual) << order.request_id;
        Receipt expected = stored.receipt;
        expected.replayed = true;
        EXPECT_EQ(*actual, expected) << order.request_id;
    }

    // The balances after the order, in first-touch order; nullopt when a balance but
    // external's would go below zero after some leg.
    std::optional<std::vector<AccountBalance>> plan(const Order& order) const {
        std::vector<AccountBalance> touched;
        auto at = [&](AccountId account) -> Coins& {
            for (auto& entry : touched) {
                if (entry.account == account) {
                    return entry.balance;
                }
            }
            auto found = balances_.find(account);
            touched.push_back({account, found == balances_.end() ? 0 : found->second});
            return touched.back().balance;
        };
        touched.reserve(2 * order.legs.size());
        for (const auto& leg : order.legs) {
            Coins& debit = at(leg.debit);
            Coins& credit = at(leg.credit);
            debit -= leg.amount;
            credit += leg.amount;
            if (debit < 0 && leg.debit != AccountId::external()) {
                return std::nullopt;
            }
        }
        return touched;
    }

    std::mutex mutex_;
    std::map<AccountId, Coins> balances_;
    std::map<std::string, Coins> counters_;
    std::map<std::pair<std::uint64_t, std::string>, Stored> requests_;
    std::int64_t last_order_id_ = 0;
    std::size_t answers_ = 0;
    std::size_t replays_ = 0;
    std::map<Errc, std::size_t> outcomes_;  // errors by code; successes under Errc::ok
};

// Random orders for one submitting thread; remembers what it sent so it can retry.
class Generator {
public:
    Generator(std::uint32_t seed, int thread) : random_(seed), thread_(thread) {}

    Order next() {
        int dice = pick(0, 99);
        if (!sent_.empty() && dice < 10) {
            return sent_[pick_index()];  // a retry, byte for byte
        }
        if (!sent_.empty() && dice < 17) {
            Order changed = sent_[pick_index()];
            changed.legs[0].amount += 1;
            changed.fingerprint += "+1";  // same id, different content
            return changed;
        }
        Order order = dice < 45 ? top_up() : dice < 80 ? gift() : dice < 90 ? super_chat() : payout();
        sent_.push_back(order);
        return order;
    }

private:
    int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
    std::size_t pick_index() { return std::uniform_int_distribution<std::size_t>(0, sent_.size() - 1)(random_); }
    std::uint64_t viewer() { return static_cast<std::uint64_t>(pick(1, kViewers)); }
    std::uint64_t streamer() { return 100 + static_cast<std::uint64_t>(pick(1, kStreamers)); }
    std::string next_id() { return "m" + std::to_string(thread_) + "-" + std::to_string(++count_); }

    Order top_up() { return testing::top_up(viewer(), pick(1, 1000), next_id()); }

    Order gift() {
        static constexpr Coins kPrices[] = {1, 10, 52, 100, 520, 1314};
        auto price = kPrices[pick(0, 5)];
        return testing::gift(viewer(), streamer(), price, next_id(), static_cast<std::uint64_t>(pick(1, 2)),
                             static_cast<std::uint64_t>(pick(1, 3)));
    }

    Order super_chat() {
        Coins price = pick(30, 3000);
        Order order = testing::gift(viewer(), streamer(), price, next_id());
        order.kind = "super_chat";
        order.legs[0].code = TransferCode::super_chat;
        order.legs[1].code = TransferCode::super_chat_platform_share;
        order.memo = "hello from " + order.request_id;
        order.fingerprint += ":" + order.memo;
        return order;
    }

    Order payout() {
        auto uid = streamer();
        Order order;
        order.request_id = next_id();
        order.scope = UserId{uid};
        order.kind = "payout";
        Coins amount = pick(1, 500);
        order.fingerprint = "payout:" + std::to_string(amount);
        order.legs = {{AccountId::earnings(uid), AccountId::external(), amount, TransferCode::payout}};
        return order;
    }

    std::mt19937 random_;
    int thread_;
    int count_ = 0;
    std::vector<Order> sent_;
};

class LedgerModelTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened =
            open_sqlite_ledger({.path = database_.path(), .synchronous_full = false, .read_only = false}, clock_, {});
        ASSERT_TRUE(opened);
        ledger_ = std::move(*opened);
    }

    void expect_verified() {
        auto report = ledger_->verify();
        ASSERT_TRUE(report);
        EXPECT_TRUE(report->ok()) << report->summary();
    }

    testing::TempDatabase database_;
    FakeClock clock_;
    Model model_;
    std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerModelTest, MatchesTheModelStepByStep) {
    Generator generator(20261121, 0);
    for (int step = 0; step < 1500; ++step) {
        Order order = generator.next();
        auto receipt = ledger_->submit_and_wait(order);
        model_.check(order, receipt);
        model_.compare_with(*ledger_);
        clock_.advance_ms(37);
        if (::testing::Test::HasFatalFailure()) {
            return;
        }
    }
    model_.expect_every_outcome_seen();
    expect_verified();
}

TEST_F(LedgerModelTest, MatchesTheModelWithConcurrentSubmitters) {
    constexpr int kThreads = 4;
    constexpr int kRounds = 8;
    constexpr int kOrdersPerRound = 300;
    std::vector<Generator> generators;
    for (int t = 0; t < kThreads; ++t) {
        generators.emplace_back(7 + static_cast<std::uint32_t>(t), t);
    }
    for (int round = 0; round < kRounds; ++round) {
        std::latch answered(kThreads * kOrdersPerRound);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kOrdersPerRound; ++i) {
                    Order order = generators[static_cast<std::size_t>(t)].next();
                    ledger_->submit(order, [&, order](Result<Receipt> receipt) {
                        model_.check(order, receipt);
                        answered.count_down();
                    });
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        answered.wait();
        model_.compare_with(*ledger_);
        clock_.advance_ms(1000);
    }
    EXPECT_EQ(model_.answers(), static_cast<std::size_t>(kThreads * kRounds * kOrdersPerRound));
    EXPECT_LT(ledger_->stats().batches, ledger_->stats().orders);
    model_.expect_every_outcome_seen();
    expect_verified();
}

}  // namespace
}  // namespace barrage::ledger
