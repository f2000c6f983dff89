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

std::error_code unavailable() { return make_error_code(Errc::ledger_unavailable); }

}  // namespace

Ledger::Ledger(std::unique_ptr<LedgerBackend> writer, std::unique_ptr<LedgerBackend> reader,
               const Clock& clock, const Options& options)
    : options_(options),
      writer_backend_(std::move(writer)),
      writer_(*writer_backend_, clock, options.writer),
      reader_(std::move(reader)) {
    BARRAGE_ASSERT(writer_backend_ && reader_);
    options_.batch_orders_max =
        std::clamp<std::size_t>(options_.batch_orders_max, 1, kBatchOrdersMax);
    options_.queue_orders_max =
        std::clamp(options_.queue_orders_max, options_.batch_orders_max, kQueueOrdersMax);
    thread_ = std::thread([this] { run(); });
}

Ledger::~Ledger() { stop(); }

void Ledger::submit(Order order, Done done) {
    {
        std::lock_guard lock(queue_mutex_);
        if (!stopping_ && queue_.size() < options_.queue_orders_max) {
            queue_.push_back({std::move(order), std::move(done)});
            // Notify under the lock: the writer cannot miss it between its check and its wait.
            queue_ready_.notify_one();
            return;
        }
    }
    orders_refused_.fetch_add(1, std::memory_order_relaxed);
    done(unavailable());
}

Result<Receipt> Ledger::submit_and_wait(Order order) {
    BARRAGE_ASSERT(std::this_thread::get_id() != thread_.get_id());
    // Shared: the writer may still be inside set_value() when this thread wakes and returns.
    auto promise = std::make_shared<std::promise<Result<Receipt>>>();
    auto answer = promise->get_future();
    submit(std::move(order),
           [promise](Result<Receipt> result) { promise->set_value(std::move(result)); });
    return answer.get();
}

void Ledger::stop() {
    BARRAGE_ASSERT(std::this_thread::get_id() != thread_.get_id());
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
        queue_ready_.notify_one();
    }
    std::lock_guard stop_lock(stop_mutex_);
    if (thread_.joinable()) {
        thread_.join();
    }
}

void Ledger::run() {
    // A name for top, perf and the benchmark, which measures this thread's CPU per gift.
    ::pthread_setname_np(::pthread_self(), "ledger-writer");
    std::vector<Order> orders;
    std::vector<Done> dones;
    while (take_batch(orders, dones)) {
        if (!orders.empty()) {
            auto results = writer_.write(orders);
            batches_.fetch_add(1, std::memory_order_relaxed);
            answer(results, dones);
        }
        // Pruning runs between batches, so it never holds a batch's callbacks back.
        (void)writer_.maybe_prune();
    }
}

bool Ledger::take_batch(std::vector<Order>& orders, std::vector<Done>& dones) {
    orders.clear();
    dones.clear();
    std::unique_lock lock(queue_mutex_);
    queue_ready_.wait_for(lock, kIdleWake, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) {
        return !stopping_;
    }
    auto count = std::min(queue_.size(), options_.batch_orders_max);
    for (std::size_t i = 0; i < count; ++i) {
        orders.push_back(std::move(queue_.front().order));
        dones.push_back(std::move(queue_.front().done));
        queue_.pop_front();
    }
    return true;
}

void Ledger::answer(std::vector<Result<Receipt>>& results, std::vector<Done>& dones) {
    BARRAGE_ASSERT(results.size() == dones.size());
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
        dones[i](std::move(results[i]));
    }
}

Result<Coins> Ledger::balance(AccountId account) const {
    std::lock_guard lock(reader_mutex_);
    return reader_->balance(account);
}

Result<std::vector<JournalEntry>> Ledger::journal(AccountId account, std::size_t limit,
                                                  std::int64_t before_id) const {
    std::lock_guard lock(reader_mutex_);
    return reader_->journal(account, std::min(limit, kJournalPageMax), before_id);
}

Result<std::vector<CounterValue>> Ledger::counters(std::string_view prefix,
                                                   std::size_t limit) const {
    std::lock_guard lock(reader_mutex_);
    return reader_->counters(prefix, std::min(limit, kCountersPageMax));
}

Result<VerifyReport> Ledger::verify() const {
    std::lock_guard lock(reader_mutex_);
    return verify_ledger(*reader_);
}

Ledger::Stats Ledger::stats() const {
    Stats stats{
        .batches = batches_.load(std::memory_order_relaxed),
        .orders = orders_.load(std::memory_order_relaxed),
        .orders_applied = orders_applied_.load(std::memory_order_relaxed),
        .orders_replayed = orders_replayed_.load(std::memory_order_relaxed),
        .orders_refused = orders_refused_.load(std::memory_order_relaxed),
    };
    std::lock_guard lock(queue_mutex_);
    stats.queue_depth = queue_.size();
    return stats;
}

}  // namespace barrage::ledger
