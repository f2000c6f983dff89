#include "ledger/batch_writer.h"

#include <algorithm>

#include "base/assert.h"
#include "base/log.h"
#include "ledger/app_cut.h"

namespace barrage::ledger {

namespace {

std::error_code error(Errc code) {
    return make_error_code(code);
}

}  // namespace

BatchWriter::BatchWriter(LedgerBackend& backend, const Clock& clock, const Options& options)
    : backend_(backend),
      clock_(clock),
      options_(options),
      balances_(options.cached_accounts_max),
      counters_(options.cached_counters_max) {
    // Retention below a day would let a late retry charge twice.
    options_.request_retention_ms = std::max(options_.request_retention_ms, kRequestRetentionMinMs);
}

void BatchWriter::set_app_shares(std::shared_ptr<const economy::AppShareSchedule> schedule) {
    std::atomic_store(&app_shares_, std::move(schedule));
}

BatchWriter::Written BatchWriter::write(std::span<const Order> orders, std::span<const Annotation> annotations) {
    BARRAGE_ASSERT(orders.size() <= kBatchOrdersMax);
    BARRAGE_ASSERT(annotations.size() <= kQueueAnnotationsMax);
    check_owner();
    auto written = attempt(orders, annotations, false);
    if (state_ == BatchState::needs_savepoints) {
        // An order failed half-written. Rare, so only now pay for a savepoint per order:
        // undo the batch and apply it again, and that order rolls back alone.
        discard_batch();
        written = attempt(orders, annotations, true);
    }
    if (state_ != BatchState::committed) {
        log::error(
            "ledger: a batch of {} orders and {} annotations failed; none of them moved "
            "money",
            orders.size(), annotations.size());
        discard_batch();
        return {std::vector<Result<Receipt>>(orders.size(), error(Errc::ledger_unavailable)),
                std::vector<Status>(annotations.size(), error(Errc::ledger_unavailable))};
    }
    return written;
}

BatchWriter::Written BatchWriter::attempt(std::span<const Order> orders, std::span<const Annotation> annotations,
                                          bool savepoints) {
    savepoints_ = savepoints;
    state_ = BatchState::broken;
    // One commit time and one schedule for the whole batch: every app cut in it is resolved at
    // the time its journal rows carry. A schedule published after this snapshot only has
    // changes effective later than now_ms (the share API refuses changes that start sooner).
    Millis now_ms = clock_.wall_ms();
    const auto shares = std::atomic_load(&app_shares_);
    if (!backend_.begin_batch()) {
        return {};
    }
    if (!next_order_id_) {
        auto last = backend_.last_order_id();
        if (!last) {
            return {};
        }
        next_order_id_ = *last + 1;
    }
    state_ = BatchState::open;
    Written written;
    written.annotations.reserve(annotations.size());
    for (const auto& annotation : annotations) {
        written.annotations.push_back(annotate(annotation));
        if (state_ != BatchState::open) {
            return {};
        }
    }
    written.receipts.reserve(orders.size());
    for (const auto& order : orders) {
        written.receipts.push_back(apply(order, now_ms, shares.get()));
        if (state_ != BatchState::open) {
            return {};
        }
    }
    if (!flush_batch() || !backend_.commit_batch()) {
        state_ = BatchState::broken;
        return {};
    }
    state_ = BatchState::committed;
    balances_.commit();
    counters_.commit();
    return written;
}

// One UPDATE: a failing statement undoes itself, so only a lost transaction breaks the batch.
Status BatchWriter::annotate(const Annotation& annotation) {
    if (auto checked = check_annotation(annotation); !checked) {
        return checked;
    }
    auto annotated = backend_.annotate_request(annotation.scope, annotation.request_id, annotation.text);
    if (!annotated) {
        return storage_failed();
    }
    return {};
}

void BatchWriter::discard_batch() {
    backend_.rollback_batch();
    balances_.clear();
    counters_.clear();
    next_order_id_.reset();
}

std::error_code BatchWriter::storage_failed() {
    // Some engine errors (disk full, I/O) end the transaction itself; then nothing of the
    // batch can commit.
    if (!backend_.in_batch()) {
        state_ = BatchState::broken;
    }
    return error(Errc::ledger_unavailable);
}

Result<Receipt> BatchWriter::apply(const Order& given, Millis now_ms, const economy::AppShareSchedule* shares) {
    if (auto checked = check_order(given); !checked) {
        return checked.error();
    }
    // The app's cut becomes legs now, at the batch's commit time; the idempotency identity
    // (kind, fingerprint) does not change with it.
    std::optional<Order> resolved;
    if (given.app_cut) {
        const auto ratio = shares != nullptr ? shares->at(given.app_cut->app, now_ms).per_mille : 0;
        resolved = resolve_app_cut(given, ratio);
        BARRAGE_ASSERT(check_order(*resolved));
    }
    const Order& order = resolved ? *resolved : given;
    auto planned = plan(order, now_ms);
    if (!planned) {
        if (planned.error() == Errc::ledger_unavailable) {
            return planned.error();
        }
        // A refused order may be the retry of one that succeeded earlier: that one's answer
        // wins (a spent wallet must not turn a harmless retry into insufficient_balance).
        return replay_or(order, planned.error());
    }
    return record(order, *planned, now_ms);
}

Result<Receipt> BatchWriter::replay_or(const Order& order, std::error_code otherwise) {
    auto existing = backend_.find_request(order.scope, order.request_id);
    if (!existing) {
        return storage_failed();
    }
    if (!*existing) {
        return otherwise;
    }
    return replay(**existing, order);
}

Result<Receipt> BatchWriter::replay(const RequestRecord& record, const Order& order) const {
    if (record.kind != order.kind || record.fingerprint != order.fingerprint) {
        return error(Errc::request_conflict);
    }
    auto receipt = parse_receipt(record.receipt);
    if (!receipt) {
        log::error("ledger: stored receipt of request {}:{} does not parse", record.scope.value, record.request_id);
        return receipt.error();
    }
    receipt->replayed = true;
    receipt->annotation = record.annotation;
    return receipt;
}

// Finds the key's change in the plan, or starts one from the cached (or stored) value.
template <class Key, class Load>
Result<BatchWriter::Change<Key>*> BatchWriter::touch_key(std::vector<Change<Key>>& changes, WriteBackCache<Key>& cache,
                                                         const Key& key, Load load) {
    for (auto& change : changes) {
        if (change.key == key) {
            return &change;
        }
    }
    auto cached = cache.find(key);
    if (!cached) {
        auto loaded = load(key);
        if (!loaded) {
            return loaded.error();
        }
        cached = loaded->value_or(0);
        cache.load(key, *cached);
    }
    changes.push_back({key, *cached, *cached});
    return &changes.back();
}

Result<BatchWriter::Change<AccountId>*> BatchWriter::touch(Plan& plan, AccountId account) {
    auto change =
        touch_key(plan.balances, balances_, account, [this](AccountId key) { return backend_.load_balance(key); });
    if (!change) {
        return storage_failed();
    }
    return change;
}

Result<BatchWriter::Change<std::string>*> BatchWriter::touch(Plan& plan, const std::string& name) {
    auto change = touch_key(plan.counters, counters_, name,
                            [this](const std::string& key) { return backend_.load_counter(key); });
    if (!change) {
        return storage_failed();
    }
    return change;
}

Result<BatchWriter::Plan> BatchWriter::plan(const Order& order, Millis now_ms) {
    Plan plan;
    if (auto legs = plan_legs(order, plan); !legs) {
        return legs.error();
    }
    if (auto counters = plan_counters(order, now_ms, plan); !counters) {
        return counters.error();
    }
    return plan;
}

Status BatchWriter::plan_legs(const Order& order, Plan& plan) {
    // Pointers into plan.balances stay valid: it never holds more than two accounts per leg.
    plan.balances.reserve(2 * order.legs.size());
    for (const auto& leg : order.legs) {
        auto debit = touch(plan, leg.debit);
        if (!debit) {
            return debit.error();
        }
        auto credit = touch(plan, leg.credit);
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
    return {};
}

Status BatchWriter::plan_counters(const Order& order, Millis now_ms, Plan& plan) {
    plan.counters.reserve(order.counters.size());
    for (const auto& bump : order.counters) {
        auto name = counter_name_at(bump.name, now_ms);
        auto counter = touch(plan, name);
        if (!counter) {
            return counter.error();
        }
        if (__builtin_add_overflow((*counter)->after, bump.delta, &(*counter)->after)) {
            return error(Errc::bad_amount);
        }
        plan.counter_values.push_back({std::move(name), (*counter)->after});
    }
    return {};
}

Result<Receipt> BatchWriter::record(const Order& order, const Plan& plan, Millis now_ms) {
    if (savepoints_ && !backend_.savepoint()) {
        return storage_failed();
    }
    auto receipt = make_receipt(plan, now_ms);
    // The request row goes first: its unique key spots a retry without a separate lookup.
    auto inserted = backend_.insert_request(
        {order.scope, order.request_id, order.kind, order.fingerprint, serialise(receipt), now_ms, ""});
    if (!inserted || !*inserted) {
        // Nothing of this order was written; the savepoint only needs closing.
        if (savepoints_ && !backend_.release_savepoint()) {
            return storage_failed();
        }
        if (!inserted) {
            return storage_failed();
        }
        return replay_or(order, error(Errc::internal));
    }
    if (auto written = write_legs(order, receipt.order_id, now_ms); !written) {
        if (!backend_.in_batch()) {
            state_ = BatchState::broken;
        } else if (!savepoints_) {
            state_ = BatchState::needs_savepoints;
        } else if (!backend_.rollback_to_savepoint() || !backend_.release_savepoint()) {
            state_ = BatchState::broken;
        }
        return written.error();
    }
    if (savepoints_ && !backend_.release_savepoint()) {
        return storage_failed();
    }
    // Memory follows only once storage has the order.
    for (const auto& change : plan.balances) {
        balances_.apply(change.key, change.after, change.after - change.before);
    }
    for (const auto& change : plan.counters) {
        counters_.apply(change.key, change.after, change.after - change.before);
    }
    ++*next_order_id_;
    return receipt;
}

Receipt BatchWriter::make_receipt(const Plan& plan, Millis now_ms) const {
    Receipt receipt;
    receipt.order_id = *next_order_id_;
    receipt.committed_ms = now_ms;
    receipt.balances.reserve(plan.balances.size());
    for (const auto& change : plan.balances) {
        receipt.balances.push_back({change.key, change.after});
    }
    receipt.counters = plan.counter_values;
    return receipt;
}

Status BatchWriter::write_legs(const Order& order, std::int64_t order_id, Millis now_ms) {
    JournalEntry entry;
    entry.order_id = order_id;
    entry.room = order.room;
    entry.item = order.item;
    entry.count = order.count;
    entry.app = order.app;
    entry.memo = order.memo;
    entry.created_ms = now_ms;
    entry.reverses = order.reverses;
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
    return {};
}

// Writes each balance's and counter's net change of the batch: one statement per key per
// batch instead of one per order.
Status BatchWriter::flush_batch() {
    for (const auto& [account, delta] : balances_.batch_deltas()) {
        if (!backend_.adjust_balance(account, delta)) {
            return error(Errc::ledger_unavailable);
        }
    }
    for (const auto& [name, delta] : counters_.batch_deltas()) {
        if (!backend_.adjust_counter(name, delta)) {
            return error(Errc::ledger_unavailable);
        }
    }
    return {};
}

void BatchWriter::check_owner() {
    if (owner_ == std::thread::id()) {
        owner_ = std::this_thread::get_id();
    }
    BARRAGE_ASSERT(owner_ == std::this_thread::get_id());
}

Result<std::size_t> BatchWriter::maybe_prune() {
    check_owner();
    Millis now_ms = clock_.wall_ms();
    if (now_ms < next_prune_ms_) {
        return std::size_t{0};
    }
    if (!backend_.begin_batch()) {
        return error(Errc::ledger_unavailable);
    }
    auto pruned = backend_.prune_requests(now_ms - options_.request_retention_ms, kPruneRowsPerPassMax);
    if (!pruned || !backend_.commit_batch()) {
        backend_.rollback_batch();
        next_prune_ms_ = now_ms + options_.prune_interval_ms;
        return error(Errc::ledger_unavailable);
    }
    // A full pass means more are waiting: look again after the next batch.
    next_prune_ms_ = *pruned == kPruneRowsPerPassMax ? now_ms : now_ms + options_.prune_interval_ms;
    if (*pruned > 0) {
        log::info("ledger: pruned {} idempotency records older than {} ms", *pruned, options_.request_retention_ms);
    }
    return pruned;
}

}  // namespace barrage::ledger
