#pragma once

// A LedgerBackend decorator for tests: forwards to a real backend and fails chosen calls, the
// way a full disk or a broken connection would.

#include <atomic>
#include <memory>

#include "ledger/ledger_backend.h"

namespace barrage::ledger::testing {

class FaultyBackend final : public LedgerBackend {
public:
    explicit FaultyBackend(LedgerBackend& inner) : inner_(inner) {}

    bool fail_commit = false;
    std::atomic<bool> fail_sync{false};
    std::atomic<int> syncs{0};       // sync_committed calls (from the ledger's acknowledging thread)
    std::atomic<int> writebacks{0};  // start_writeback calls (the same thread)
    // Fails every append_journal of a leg of this amount (0 = none): one poisoned order.
    Coins fail_append_amount = 0;
    // With a failing append: also end the transaction, as SQLite does on SQLITE_FULL.
    bool lose_transaction = false;

    int loads = 0;       // load_balance calls: how often the cache missed
    int savepoints = 0;  // savepoint calls

    Status begin_batch() override { return inner_.begin_batch(); }
    Status commit_batch() override {
        if (fail_commit) {
            return make_error_code(Errc::ledger_unavailable);
        }
        return inner_.commit_batch();
    }
    void rollback_batch() override { inner_.rollback_batch(); }
    bool in_batch() const override { return inner_.in_batch(); }
    Status savepoint() override {
        ++savepoints;
        return inner_.savepoint();
    }
    Status release_savepoint() override { return inner_.release_savepoint(); }
    Status rollback_to_savepoint() override { return inner_.rollback_to_savepoint(); }
    Result<std::optional<Coins>> load_balance(AccountId account) override {
        ++loads;
        return inner_.load_balance(account);
    }
    Status adjust_balance(AccountId account, Coins delta) override { return inner_.adjust_balance(account, delta); }
    Status sync_committed() override {
        ++syncs;
        if (fail_sync) {
            return make_error_code(Errc::ledger_unavailable);
        }
        return inner_.sync_committed();
    }
    void start_writeback() override {
        ++writebacks;
        inner_.start_writeback();
    }
    Result<std::int64_t> last_order_id() override { return inner_.last_order_id(); }
    Status append_journal(const JournalEntry& entry) override {
        if (entry.leg.amount == fail_append_amount) {
            if (lose_transaction) {
                inner_.rollback_batch();
            }
            return make_error_code(Errc::ledger_unavailable);
        }
        return inner_.append_journal(entry);
    }
    Result<std::optional<RequestRecord>> find_request(UserId scope, std::string_view request_id) override {
        return inner_.find_request(scope, request_id);
    }
    Result<bool> insert_request(const RequestRecord& record) override { return inner_.insert_request(record); }
    Result<bool> annotate_request(UserId scope, std::string_view request_id, std::string_view annotation) override {
        return inner_.annotate_request(scope, request_id, annotation);
    }
    Result<std::optional<Coins>> load_counter(std::string_view name) override { return inner_.load_counter(name); }
    Status adjust_counter(std::string_view name, Coins delta) override { return inner_.adjust_counter(name, delta); }
    Result<std::size_t> prune_requests(Millis before_ms, std::size_t limit) override {
        return inner_.prune_requests(before_ms, limit);
    }
    Result<Coins> balance(AccountId account) override { return inner_.balance(account); }
    Result<std::vector<JournalEntry>> journal(AccountId account, std::size_t limit, std::int64_t before_id) override {
        return inner_.journal(account, limit, before_id);
    }
    Result<std::vector<CounterValue>> counters(std::string_view prefix, std::size_t limit) override {
        return inner_.counters(prefix, limit);
    }
    Result<std::vector<JournalEntry>> order_entries(std::int64_t order_id) override {
        return inner_.order_entries(order_id);
    }
    Result<std::int64_t> reversal_of(std::int64_t order_id) override { return inner_.reversal_of(order_id); }
    Result<std::vector<OrderSummary>> purchases(PurchaseCodes codes, Millis since_ms) override {
        return inner_.purchases(codes, since_ms);
    }
    Result<std::vector<EarningsRow>> earnings(std::uint64_t uid, Millis from_ms, Millis to_ms) override {
        return inner_.earnings(uid, from_ms, to_ms);
    }
    Status begin_snapshot() override { return inner_.begin_snapshot(); }
    void end_snapshot() override { inner_.end_snapshot(); }
    Status scan_balances(const std::function<void(const AccountBalance&, bool)>& visit) override {
        return inner_.scan_balances(visit);
    }
    Status scan_journal(const std::function<void(const JournalEntry&, bool)>& visit) override {
        return inner_.scan_journal(visit);
    }
    Status scan_journal_after(std::int64_t after_id, std::size_t limit,
                              const std::function<void(const JournalEntry&, bool)>& visit) override {
        return inner_.scan_journal_after(after_id, limit, visit);
    }

private:
    LedgerBackend& inner_;
};

}  // namespace barrage::ledger::testing
