#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "economy/app_share_schedule.h"
#include "ledger/annotation.h"
#include "ledger/ledger_backend.h"
#include "ledger/limits.h"
#include "ledger/order.h"
#include "ledger/receipt.h"
#include "ledger/write_back_cache.h"

namespace barrage::ledger {

// Applies orders to a LedgerBackend, a batch per transaction, and enforces the ledger's rules:
// shape (check_order), idempotency (same id and content replays, other content conflicts),
// no balance but external's below zero, all legs of an order or none. It knows no SQL.
//
// A failing order fails alone and the rest of its batch commits. Rule failures (balance,
// amount, conflict) are found in memory before anything is written. A storage error halfway
// through an order's rows makes the batch run again with a savepoint per order, so that order
// rolls back alone; the common case pays for no savepoints. If the batch itself cannot commit,
// every order in it fails with Errc::ledger_unavailable and the caches are dropped: memory
// never runs ahead of disk.
//
// Thread rule: owner thread only (the Ledger's writer thread, or a test).
class BatchWriter {
public:
    struct Options {
        // Idempotency records older than this are deleted (at least kRequestRetentionMinMs).
        Millis request_retention_ms = kRequestRetentionDefaultMs;
        // How often maybe_prune() looks for old records when there is nothing left over.
        Millis prune_interval_ms = 60'000;
        std::size_t cached_accounts_max = kCachedAccountsMax;
        std::size_t cached_counters_max = kCachedCountersMax;
    };

    BatchWriter(LedgerBackend& backend, const Clock& clock, const Options& options);

    // What one batch did: a result per order and per annotation, in order.
    struct Written {
        std::vector<Result<Receipt>> receipts;
        std::vector<Status> annotations;
    };

    // Applies the annotations, then the orders, in one transaction: every result holds once the
    // batch has committed (or failed as a whole: every result Errc::ledger_unavailable). An
    // annotation of a request that has none recorded (pruned) or one annotated already changes
    // nothing and succeeds.
    Written write(std::span<const Order> orders, std::span<const Annotation> annotations);
    std::vector<Result<Receipt>> write(std::span<const Order> orders) { return write(orders, {}).receipts; }

    // Deletes expired idempotency records when a pass is due (by the clock's wall time);
    // returns how many it deleted. Runs its own short transaction.
    Result<std::size_t> maybe_prune();

    // Publishes the app share schedule that orders with an AppCut are resolved by from the next
    // batch on (each batch takes one snapshot and resolves all its orders at its commit time).
    // Until one is set, app cuts are 0. Safe from any thread.
    void set_app_shares(std::shared_ptr<const economy::AppShareSchedule> schedule);

    std::size_t cached_accounts() const { return balances_.size(); }
    std::size_t cached_counters() const { return counters_.size(); }

private:
    // One running total an order changes: an account's balance or a counter's value.
    template <class Key>
    struct Change {
        Key key;
        Coins before = 0;
        Coins after = 0;
    };

    // What an order will do, computed in memory before anything is written.
    struct Plan {
        std::vector<Change<AccountId>> balances;  // first-touch order
        std::vector<Change<std::string>> counters;
        std::vector<CounterValue> counter_values;  // value after each bump, in bump order
    };

    // Where the open batch stands.
    enum class BatchState {
        open,
        committed,
        needs_savepoints,  // an order failed half-written: retry the batch with savepoints
        broken,            // the transaction is lost or cannot commit: fail every order
    };

    Written attempt(std::span<const Order> orders, std::span<const Annotation> annotations, bool savepoints);
    Status annotate(const Annotation& annotation);
    void discard_batch();
    Result<Receipt> apply(const Order& order, Millis now_ms, const economy::AppShareSchedule* shares);
    Result<Receipt> replay(const RequestRecord& record, const Order& order) const;
    Result<Plan> plan(const Order& order, Millis now_ms);
    Status plan_legs(const Order& order, Plan& plan);
    Status plan_counters(const Order& order, Millis now_ms, Plan& plan);
    template <class Key, class Load>
    static Result<Change<Key>*> touch_key(std::vector<Change<Key>>& changes, WriteBackCache<Key>& cache, const Key& key,
                                          Load load);
    Result<Change<AccountId>*> touch(Plan& plan, AccountId account);
    Result<Change<std::string>*> touch(Plan& plan, const std::string& name);
    // The stored answer to a request already recorded; `otherwise` when there is none.
    Result<Receipt> replay_or(const Order& order, std::error_code otherwise);
    Result<Receipt> record(const Order& order, const Plan& plan, Millis now_ms);
    Receipt make_receipt(const Plan& plan, Millis now_ms) const;
    Status write_legs(const Order& order, std::int64_t order_id, Millis now_ms);
    Status flush_batch();
    std::error_code storage_failed();
    // Asserts the thread rule: the first caller's thread owns the writer.
    void check_owner();

    // The thread that first wrote; every later call must come from it.
    std::thread::id owner_;
    LedgerBackend& backend_;
    const Clock& clock_;
    Options options_;
    WriteBackCache<AccountId> balances_;
    WriteBackCache<std::string> counters_;
    // The id the next committed order gets; unknown until read inside a transaction.
    std::optional<std::int64_t> next_order_id_;
    BatchState state_ = BatchState::open;
    // Whether each order of the current attempt runs inside its own savepoint.
    bool savepoints_ = false;
    Millis next_prune_ms_ = 0;
    // Swapped whole by set_app_shares (std::atomic_load/atomic_store), read once per batch.
    std::shared_ptr<const economy::AppShareSchedule> app_shares_;
};

}  // namespace barrage::ledger
