#include "ledger/ledger.h"

#include <algorithm>
#include <chrono>
#include <future>

#include <pthread.h>

#include "base/assert.h"
#include "base/log.h"

namespace barrage::ledger {

namespace {

// How long an idle writer sleeps before it looks at the pruning schedule again.
constexpr auto kIdleWake = std::chrono::seconds(1);

std::error_code unavailable() {
    return make_error_code(Errc::ledger_unavailable);
}

}  // namespace

Ledger::Ledger(std::unique_ptr<LedgerBackend> writer, std::unique_ptr<LedgerBackend> reader, const Clock& clock,
               const Options& options)
    : options_(options),
      writer_backend_(std::move(writer)),
      writer_(*writer_backend_, clock, options.writer),
      reader_(std::move(reader)) {
    BARRAGE_ASSERT(writer_backend_ && reader_);
    options_.batch_orders_max = std::clamp<std::size_t>(options_.batch_orders_max, 1, kBatchOrdersMax);
    options_.queue_orders_max = std::clamp(options_.queue_orders_max, options_.batch_orders_max, kQueueOrdersMax);
    acknowledger_ = std::thread([this] { run_acknowledger(); });
    writer_thread_ = std::thread([this] { run_writer(); });
}

Ledger::~Ledger() {
    stop();
}

void Ledger::submit(Order order, Done done) {
    {
        MutexLock lock(queue_mutex_);
        if (!stopping_ && !failed_.load() && queue_.size() < options_.queue_orders_max) {
            queue_.push_back({std::move(order), std::move(done)});
            // Notify under the lock: the writer cannot miss it between its check and its wait.
            queue_ready_.notify_one();
            return;
        }
    }
    orders_refused_.fetch_add(1, std::memory_order_relaxed);
    done(unavailable());
}

void Ledger::annotate(Annotation annotation, Annotated done) {
    {
        MutexLock lock(queue_mutex_);
        if (!stopping_ && !failed_.load() && annotations_.size() < kQueueAnnotationsMax) {
            annotations_.push_back({std::move(annotation), std::move(done)});
            queue_ready_.notify_one();
            return;
        }
    }
    done(unavailable());
}

bool Ledger::on_ledger_thread() const {
    auto self = std::this_thread::get_id();
    return self == writer_thread_.get_id() || self == acknowledger_.get_id();
}

Result<Receipt> Ledger::submit_and_wait(Order order) {
    BARRAGE_ASSERT(!on_ledger_thread());
    // Shared: the writer may still be inside set_value() when this thread wakes and returns.
    auto promise = std::make_shared<std::promise<Result<Receipt>>>();
    auto answer = promise->get_future();
    submit(std::move(order), [promise](Result<Receipt> result) { promise->set_value(std::move(result)); });
    return answer.get();
}

void Ledger::stop() {
    BARRAGE_ASSERT(!on_ledger_thread());
    {
        MutexLock lock(queue_mutex_);
        stopping_ = true;
        queue_ready_.notify_one();
    }
    // The writer answers what is queued and ends; the acknowledger then syncs and answers
    // what the writer handed over, and ends.
    MutexLock stop_lock(stop_mutex_);
    if (writer_thread_.joinable()) {
        writer_thread_.join();
    }
    if (acknowledger_.joinable()) {
        acknowledger_.join();
    }
}

void Ledger::run_writer() {
    // Names for top, perf and the benchmark, which measures this thread's CPU per gift.
    ::pthread_setname_np(::pthread_self(), "ledger-writer");
    Taken taken;
    while (take_batch(taken)) {
        if (!taken.empty()) {
            batches_.fetch_add(1, std::memory_order_relaxed);
            hand_over(write_batch(taken));
        }
        // Pruning runs between batches, so it never holds a batch's answers back.
        (void)writer_.maybe_prune();
    }
    MutexLock lock(finished_mutex_);
    writer_ended_ = true;
    finished_ready_.notify_one();
}

Ledger::Finished Ledger::write_batch(Taken& taken) {
    Finished finished;
    if (failed_.load()) {
        finished.results.assign(taken.orders.size(), unavailable());
        finished.annotation_results.assign(taken.annotations.size(), unavailable());
    } else {
        auto written = writer_.write(taken.orders, taken.annotations);
        finished.results = std::move(written.receipts);
        finished.annotation_results = std::move(written.annotations);
    }
    finished.dones = std::move(taken.dones);
    finished.annotated = std::move(taken.annotated);
    taken.dones = {};
    taken.annotated = {};
    return finished;
}

void Ledger::hand_over(Finished finished) {
    MutexLock lock(finished_mutex_);
    while (finished_.size() >= kBatchesAwaitingSyncMax) {
        lock.wait(finished_room_);
    }
    finished_.push_back(std::move(finished));
    finished_ready_.notify_one();
}

bool Ledger::take_finished(std::deque<Finished>& finished) {
    MutexLock lock(finished_mutex_);
    while (finished_.empty() && !writer_ended_) {
        lock.wait(finished_ready_);
    }
    if (finished_.empty()) {
        return false;
    }
    finished.swap(finished_);
    finished_room_.notify_one();
    return true;
}

void Ledger::run_acknowledger() {
    ::pthread_setname_np(::pthread_self(), "ledger-ack");
    std::deque<Finished> finished;
    while (take_finished(finished)) {
        // Every batch taken was committed before this call: one sync covers them all.
        bool durable = !failed_.load() && writer_backend_->sync_committed();
        if (!durable && !failed_.exchange(true)) {
            log::error("ledger: sync failed; refusing orders until the ledger is reopened");
        }
        for (auto& batch : finished) {
            answer(batch, durable);
        }
        finished.clear();
        // After the answers, so it never delays one.
        writer_backend_->start_writeback();
    }
}

bool Ledger::take_batch(Taken& taken) {
    taken.orders.clear();
    taken.dones.clear();
    taken.annotations.clear();
    taken.annotated.clear();
    MutexLock lock(queue_mutex_);
    const auto idle_until = std::chrono::steady_clock::now() + kIdleWake;
    while (queue_.empty() && annotations_.empty() && !stopping_) {
        if (lock.wait_until(queue_ready_, idle_until) == std::cv_status::timeout) {
            break;
        }
    }
    if (queue_.empty() && annotations_.empty()) {
        return !stopping_;
    }
    auto count = std::min(queue_.size(), options_.batch_orders_max);
    for (std::size_t i = 0; i < count; ++i) {
        taken.orders.push_back(std::move(queue_.front().order));
        taken.dones.push_back(std::move(queue_.front().done));
        queue_.pop_front();
    }
    // Every waiting annotation: each is one small UPDATE, and the queue is bounded.
    for (auto& pending : annotations_) {
        taken.annotations.push_back(std::move(pending.annotation));
        taken.annotated.push_back(std::move(pending.done));
    }
    annotations_.clear();
    return true;
}

void Ledger::answer(Finished& finished, bool durable) {
    auto& results = finished.results;
    BARRAGE_ASSERT(results.size() == finished.dones.size());
    if (!durable) {
        // Committed, perhaps, but not known to be on disk: the client retries with the same
        // request id once the ledger is back, and gets the stored receipt or a fresh order.
        std::fill(results.begin(), results.end(), Result<Receipt>(unavailable()));
    }
    // Counted first: whoever holds an answer sees it in stats() too.
    std::uint64_t applied = 0;
    std::uint64_t replayed = 0;
    for (const auto& result : results) {
        if (result) {
            ++(result->replayed ? replayed : applied);
        }
    }
    orders_.fetch_add(results.size(), std::memory_order_relaxed);
    orders_applied_.fetch_add(applied, std::memory_order_relaxed);
    orders_replayed_.fetch_add(replayed, std::memory_order_relaxed);
    for (std::size_t i = 0; i < results.size(); ++i) {
        finished.dones[i](std::move(results[i]));
    }
    BARRAGE_ASSERT(finished.annotation_results.size() == finished.annotated.size());
    for (std::size_t i = 0; i < finished.annotated.size(); ++i) {
        finished.annotated[i](durable ? finished.annotation_results[i] : Status(unavailable()));
    }
}

Result<Coins> Ledger::balance(AccountId account) const {
    MutexLock lock(reader_mutex_);
    return reader_->balance(account);
}

Result<std::vector<JournalEntry>> Ledger::journal(AccountId account, std::size_t limit, std::int64_t before_id) const {
    MutexLock lock(reader_mutex_);
    return reader_->journal(account, std::min(limit, kJournalPageMax), before_id);
}

Result<std::vector<CounterValue>> Ledger::counters(std::string_view prefix, std::size_t limit) const {
    MutexLock lock(reader_mutex_);
    return reader_->counters(prefix, std::min(limit, kCountersPageMax));
}

Result<OrderRecord> Ledger::order(std::int64_t order_id) const {
    MutexLock lock(reader_mutex_);
    if (auto begun = reader_->begin_snapshot(); !begun) {
        return begun.error();
    }
    OrderRecord record;
    auto entries = reader_->order_entries(order_id);
    auto reversal = entries ? reader_->reversal_of(order_id) : Result<std::int64_t>(0);
    reader_->end_snapshot();
    if (!entries) {
        return entries.error();
    }
    if (!reversal) {
        return reversal.error();
    }
    record.entries = std::move(*entries);
    record.reversed_by = *reversal;
    return record;
}

Result<std::vector<OrderSummary>> Ledger::purchases(PurchaseCodes codes, Millis since_ms) const {
    MutexLock lock(reader_mutex_);
    return reader_->purchases(codes, since_ms);
}

Result<std::vector<EarningsRow>> Ledger::earnings(std::uint64_t uid, Millis from_ms, Millis to_ms) const {
    MutexLock lock(reader_mutex_);
    return reader_->earnings(uid, from_ms, to_ms);
}

Result<VerifyReport> Ledger::verify() const {
    MutexLock lock(reader_mutex_);
    return verify_ledger(*reader_);
}

Result<AppRevenueTally::Report> Ledger::tally(AppRevenueTally& tally) const {
    MutexLock lock(reader_mutex_);
    return tally.advance(*reader_, kTallyRowsPerPassMax);
}

Ledger::Stats Ledger::stats() const {
    Stats stats{
        .batches = batches_.load(std::memory_order_relaxed),
        .orders = orders_.load(std::memory_order_relaxed),
        .orders_applied = orders_applied_.load(std::memory_order_relaxed),
        .orders_replayed = orders_replayed_.load(std::memory_order_relaxed),
        .orders_refused = orders_refused_.load(std::memory_order_relaxed),
    };
    MutexLock lock(queue_mutex_);
    stats.queue_depth = queue_.size();
    return stats;
}

}  // namespace barrage::ledger
