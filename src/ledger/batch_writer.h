#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "ledger/balance_cache.h"
#include "ledger/ledger_backend.h"
#include "ledger/limits.h"
#include "ledger/order.h"
#include "ledger/receipt.h"

namespace barrage::ledger {

// Applies orders to a LedgerBackend, a batch per transaction, and enforces the ledger's rules:
// shape (check_order), idempotency (same id and content replays, other content conflicts),
// no balance but external's below zero, all legs of an order or none. It knows no SQL.
//
// A failing order rolls back alone (one savepoint per order) and the rest of its batch
// commits. If the batch itself cannot commit, every order in it fails with
// Errc::ledger_unavailable and the balance cache is dropped: memory never runs ahead of disk.
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
    };

    BatchWriter(LedgerBackend& backend, const Clock& clock, const Options& options);

    // One result per order, in order, once the batch has committed (or failed as a whole).
    std::vector<Result<Receipt>> write(std::span<const Order> orders);

    // Deletes expired idempotency records when a pass is due (by the clock's wall time);
    // returns how many it deleted. Runs its own short transaction.
    Result<std::size_t> maybe_prune();

    std::size_t cached_accounts() const { return cache_.size(); }

private:
    // The accounts one order touches, with their balances before and after its legs.
    struct Touched {
        AccountId account;
        Coins before = 0;
        Coins after = 0;
    };

    Result<Receipt> apply(const Order& order, Millis now_ms);
    Result<Receipt> replay(const RequestRecord& record, const Order& order) const;
    Result<std::vector<Touched>> plan(const Order& order);
    Result<Touched*> touch(std::vector<Touched>& touched, AccountId account);
    Result<Receipt> record(const Order& order, const std::vector<Touched>& touched, Millis now_ms);
    Result<Receipt> write_rows(const Order& order, const std::vector<Touched>& touched,
                               Millis now_ms);
    Status flush_balances();
    std::error_code storage_failed();
    std::vector<Result<Receipt>> fail_batch(std::size_t orders);

    LedgerBackend& backend_;
    const Clock& clock_;
    Options options_;
    BalanceCache cache_;
    // The id the next committed order gets; unknown until read inside a transaction.
    std::optional<std::int64_t> next_order_id_;
    // Set when the backend lost the open transaction: the batch cannot commit.
    bool batch_broken_ = false;
    Millis next_prune_ms_ = 0;
};

}  // namespace barrage::ledger
