#include "ledger/batch_writer.h"

#include <algorithm>

#include "base/assert.h"
#include "base/log.h"

namespace barrage::ledger {

namespace {

std::error_code error(Errc code) { return make_error_code(code); }

}  // namespace

BatchWriter::BatchWriter(LedgerBackend& backend, const Clock& clock, const Options& options)
    : backend_(backend), clock_(clock), options_(options), cache_(options.cached_accounts_max) {
    // Retention below a day would let a late retry charge twice.
    options_.request_retention_ms = std::max(options_.request_retention_ms, kRequestRetentionMinMs);
}

std::vector<Result<Receipt>> BatchWriter::write(std::span<const Order> orders) {
    BARRAGE_ASSERT(orders.size() <= kBatchOrdersMax);
    Millis now_ms = clock_.wall_ms();
    if (!backend_.begin_batch()) {
        return fail_batch(orders.size());
    }
    if (!next_order_id_) {
        auto last = backend_.last_order_id();
        if (!last) {
            return fail_batch(orders.size());
        }
        next_order_id_ = *last + 1;
    }
    batch_broken_ = false;
    std::vector<Result<Receipt>> results;
    results.reserve(orders.size());
    for (const auto& order : orders) {
        results.push_back(apply(order, now_ms));
        if (batch_broken_) {
            return fail_batch(orders.size());
        }
    }
    if (!flush_balances() || !backend_.commit_batch()) {
        return fail_batch(orders.size());
    }
    cache_.commit();
    return results;
}

std::vector<Result<Receipt>> BatchWriter::fail_batch(std::size_t orders) {
    log::error("ledger: a batch of {} orders failed; none of them moved money", orders);
    backend_.rollback_batch();
    cache_.clear();
    next_order_id_.reset();
    return std::vector<Result<Receipt>>(orders, error(Errc::ledger_unavailable));
}

std::error_code BatchWriter::storage_failed() {
    // Some engine errors (disk full, I/O) end the transaction itself; then nothing of the
    // batch can commit.
    if (!backend_.in_batch()) {
        batch_broken_ = true;
    }
    return error(Errc::ledger_unavailable);
}

Result<Receipt> BatchWriter::apply(const Order& order, Millis now_ms) {
    if (auto checked = check_order(order); !checked) {
        return checked.error();
    }
    auto existing = backend_.find_request(order.scope, order.request_id);
    if (!existing) {
        return storage_failed();
    }
    if (*existing) {
        return replay(**existing, order);
    }
    auto touched = plan(order);
    if (!touched) {
        return touched.error();
    }
    return record(order, *touched, now_ms);
}

Result<Receipt> BatchWriter::replay(const RequestRecord& record, const Order& order) const {
    if (record.kind != order.kind || record.fingerprint != order.fingerprint) {
        return error(Errc::request_conflict);
    }
    auto receipt = parse_receipt(record.receipt);
    if (!receipt) {
        log::error("ledger: stored receipt of request {}:{} does not parse", record.scope.value,
                   record.request_id);
        return receipt.error();
    }
    receipt->replayed = true;
    return receipt;
}

Result<BatchWriter::Touched*> BatchWriter::touch(std::vector<Touched>& touched, AccountId account) {
    for (auto& entry : touched) {
        if (entry.account == account) {
            return &entry;
        }
    }
    auto cached = cache_.find(account);
    if (!cached) {
        auto loaded = backend_.load_balance(account);
        if (!loaded) {
            return storage_failed();
        }
        cached = loaded->value_or(0);
        cache_.load(account, *cached);
    }
    touched.push_back({account, *cached, *cached});
    return &touched.back();
}

Result<std::vector<BatchWriter::Touched>> BatchWriter::plan(const Order& order) {
    std::vector<Touched> touched;
    // Pointers into `touched` stay valid: it never holds more than two accounts per leg.
    touched.reserve(2 * order.legs.size());
    for (const auto& leg : order.legs) {
        auto debit = touch(touched, leg.debit);
        if (!debit) {
            return debit.error();
        }
        auto credit = touch(touched, leg.credit);
        if (!credit) {
            return credit.error();
        }
        if (__builtin_sub_overflow((*debit)->after, leg.amount, &(*debit)->after) ||
            __builtin_add_overflow((*credit)->after, leg.amount, &(*credit)->after)) {
            return error(Errc::bad_amount);
        }
        // Checked after every leg, not only at the end: a later credit may not fund an
        // earlier debit of the same order.
        if ((*debit)->after < 0 && !may_go_negative(leg.debit)) {
            return error(Errc::insufficient_balance);
        }
    }
    return touched;
}

Result<Receipt> BatchWriter::record(const Order& order, const std::vector<Touched>& touched,
                                    Millis now_ms) {
    if (!backend_.savepoint()) {
        return storage_failed();
    }
    auto receipt = write_rows(order, touched, now_ms);
    if (!receipt) {
        if (backend_.in_batch() && backend_.rollback_to_savepoint() &&
            backend_.release_savepoint()) {
            return receipt.error();
        }
        batch_broken_ = true;
        return receipt.error();
    }
    if (!backend_.release_savepoint()) {
        return storage_failed();
    }
    for (const auto& entry : touched) {
        cache_.apply(entry.account, entry.after, entry.after - entry.before);
    }
    ++*next_order_id_;
    return receipt;
}

Result<Receipt> BatchWriter::write_rows(const Order& order, const std::vector<Touched>& touched,
                                        Millis now_ms) {
    Receipt receipt;
    receipt.order_id = *next_order_id_;
    receipt.committed_ms = now_ms;
    JournalEntry entry;
    entry.order_id = receipt.order_id;
    entry.room = order.room;
    entry.item = order.item;
    entry.count = order.count;
    entry.app = order.app;
    entry.memo = order.memo;
    entry.created_ms = now_ms;
    for (std::size_t i = 0; i < order.legs.size(); ++i) {
        // Both sides of the boundary: check_order() accepted it, and it is checked again as
        // it goes to disk (verify() checks it a third time when reading it back).
        BARRAGE_ASSERT(check_leg(order.legs[i]));
        entry.leg_index = static_cast<std::int32_t>(i);
        entry.leg = order.legs[i];
        if (!backend_.append_journal(entry)) {
            return storage_failed();
        }
    }
    for (const auto& bump : order.counters) {
        auto value = backend_.bump_counter(bump.name, bump.delta);
        if (!value) {
            return storage_failed();
        }
        receipt.counters.push_back({bump.name, *value});
    }
    for (const auto& account : touched) {
        receipt.balances.push_back({account.account, account.after});
    }
    RequestRecord request{order.scope,       order.request_id,   order.kind,
                          order.fingerprint, serialise(receipt), now_ms};
    if (!backend_.insert_request(request)) {
        return storage_failed();
    }
    return receipt;
}

Status BatchWriter::flush_balances() {
    for (const auto& [account, delta] : cache_.batch_deltas()) {
        if (!backend_.adjust_balance(account, delta)) {
            return error(Errc::ledger_unavailable);
        }
    }
    return {};
}

Result<std::size_t> BatchWriter::maybe_prune() {
    Millis now_ms = clock_.wall_ms();
    if (now_ms < next_prune_ms_) {
        return std::size_t{0};
    }
    if (!backend_.begin_batch()) {
        return error(Errc::ledger_unavailable);
    }
    auto pruned =
        backend_.prune_requests(now_ms - options_.request_retention_ms, kPruneRowsPerPassMax);
    if (!pruned || !backend_.commit_batch()) {
        backend_.rollback_batch();
        next_prune_ms_ = now_ms + options_.prune_interval_ms;
        return error(Errc::ledger_unavailable);
    }
    // A full pass means more are waiting: look again after the next batch.
    next_prune_ms_ = *pruned == kPruneRowsPerPassMax ? now_ms : now_ms + options_.prune_interval_ms;
    if (*pruned > 0) {
        log::info("ledger: pruned {} idempotency records older than {} ms", *pruned,
                  options_.request_retention_ms);
    }
    return pruned;
}

}  // namespace barrage::ledger
