#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/mutex.h"
#include "base/result.h"
#include "ledger/annotation.h"
#include "ledger/app_revenue_tally.h"
#include "ledger/batch_writer.h"
#include "ledger/journal_entry.h"
#include "ledger/ledger_backend.h"
#include "ledger/limits.h"
#include "ledger/order.h"
#include "ledger/receipt.h"
#include "ledger/verifier.h"

namespace barrage::ledger {

// The durable coin ledger, with group commit in two stages:
// - the writer thread takes everything queued (up to batch_orders_max), runs one transaction
//   through BatchWriter, and hands the committed batch on;
// - the acknowledging thread makes all batches handed to it durable with one sync
//   (LedgerBackend::sync_committed, an fdatasync for SQLite) and only then calls each order's
//   callback. Meanwhile the writer is already applying the next batch.
// One fsync serves every order of one or more batches. Reads run on a second connection (WAL
// lets them proceed while the writer commits) and see committed state, which may include
// orders whose callbacks have not run yet.
//
// If a sync fails, nothing handed over can be called durable: those orders and every later one
// are answered Errc::ledger_unavailable, and the ledger refuses work until it is reopened.
//
// Thread rule: safe from any thread. Callbacks run on the acknowledging thread and must be
// short and must not throw; post the result to your own thread. submit_and_wait() and stop()
// must not be called from a callback.
class Ledger {
public:
    using Done = std::function<void(Result<Receipt>)>;
    using Annotated = std::function<void(Status)>;

    struct Options {
        std::size_t batch_orders_max = kBatchOrdersDefault;  // at most kBatchOrdersMax
        std::size_t queue_orders_max = kQueueOrdersMax;
        BatchWriter::Options writer;
    };

    // What the writer has done so far; for metrics and the benchmark.
    struct Stats {
        std::uint64_t batches = 0;         // transactions attempted
        std::uint64_t orders = 0;          // orders answered (any result)
        std::uint64_t orders_applied = 0;  // orders that moved money
        std::uint64_t orders_replayed = 0;
        std::uint64_t orders_refused = 0;  // turned away at submit (stopped or queue full)
        std::size_t queue_depth = 0;
    };

    // Takes the writer and reader backends (two connections to one store) and starts the
    // writer thread.
    Ledger(std::unique_ptr<LedgerBackend> writer, std::unique_ptr<LedgerBackend> reader, const Clock& clock,
           const Options& options);
    // Stops (draining the queue) if stop() was not called.
    ~Ledger();
    Ledger(const Ledger&) = delete;
    Ledger& operator=(const Ledger&) = delete;

    // Queues an order. `done` is called exactly once: on the acknowledging thread once the
    // order's batch is durable (or failed), or at once on the calling thread with
    // Errc::ledger_unavailable when the ledger is stopped or failed or its queue is full.
    void submit(Order order, Done done);
    // submit() and wait for the durable answer. For tests and the CLI.
    Result<Receipt> submit_and_wait(Order order);
    // Queues an annotation of an answered order's idempotency record (see Annotation): written
    // with the next batch. `done` is called exactly once, like an order's: once durable (or
    // failed), or at once with Errc::ledger_unavailable when the ledger is stopped or failed or
    // holds kQueueAnnotationsMax annotations already.
    void annotate(Annotation annotation, Annotated done);
    // The schedule orders with an AppCut are resolved by, from the next batch on
    // (BatchWriter::set_app_shares). Publish it before answering whoever changed it, and
    // before the first order with a cut.
    void set_app_shares(std::shared_ptr<const economy::AppShareSchedule> schedule) {
        writer_.set_app_shares(std::move(schedule));
    }
    // Answers every order already queued, then stops the writer. Later submits are refused.
    void stop();

    Result<Coins> balance(AccountId account) const;
    // Rows moving money in or out of the account, newest first, below before_id; at most
    // kJournalPageMax.
    Result<std::vector<JournalEntry>> journal(AccountId account, std::size_t limit,
                                              std::int64_t before_id = INT64_MAX) const;
    // Counters named prefix..., highest first; at most kCountersPageMax.
    Result<std::vector<CounterValue>> counters(std::string_view prefix, std::size_t limit) const;
    // One order's rows and the order reversing it, if any, read on one snapshot.
    Result<OrderRecord> order(std::int64_t order_id) const;
    // Purchases of one kind never reversed, committed at or after since_ms, oldest first.
    Result<std::vector<OrderSummary>> purchases(PurchaseCodes codes, Millis since_ms) const;
    // What earnings(uid) took in and gave back in [from_ms, to_ms), grouped (LedgerBackend).
    Result<std::vector<EarningsRow>> earnings(std::uint64_t uid, Millis from_ms, Millis to_ms) const;
    // Checks every invariant on one snapshot; reads the whole journal, and other reads wait
    // meanwhile (they share the reader connection). For a large ledger, run verify_ledger()
    // on a connection of its own, as `barrage ledger verify` does.
    Result<VerifyReport> verify() const;

    // Advances `tally` by at most kTallyRowsPerPassMax journal rows on the reader connection
    // (other reads wait meanwhile, a few milliseconds). Blocking: the store pool.
    Result<AppRevenueTally::Report> tally(AppRevenueTally& tally) const;

    Stats stats() const;

private:
    struct Pending {
        Order order;
        Done done;
    };
    struct PendingAnnotation {
        Annotation annotation;
        Annotated done;
    };

    // What the writer takes from the queues for one batch.
    struct Taken {
        std::vector<Order> orders;
        std::vector<Done> dones;
        std::vector<Annotation> annotations;
        std::vector<Annotated> annotated;
        bool empty() const { return orders.empty() && annotations.empty(); }
    };

    // A batch the writer has finished, waiting for its sync.
    struct Finished {
        std::vector<Result<Receipt>> results;
        std::vector<Done> dones;
        std::vector<Status> annotation_results;
        std::vector<Annotated> annotated;
    };

    void run_writer();
    void run_acknowledger();
    // Waits for work; false when stopping with nothing left.
    bool take_batch(Taken& taken);
    Finished write_batch(Taken& taken);
    // Passes a finished batch to the acknowledging thread; waits while too many are waiting.
    void hand_over(Finished finished);
    // Waits for finished batches; false when the writer has stopped and none are left.
    bool take_finished(std::deque<Finished>& finished);
    void answer(Finished& finished, bool durable);
    bool on_ledger_thread() const;

    Options options_;
    std::unique_ptr<LedgerBackend> writer_backend_;
    BatchWriter writer_;  // writer thread only

    mutable Mutex reader_mutex_;
    std::unique_ptr<LedgerBackend> reader_ BARRAGE_GUARDED_BY(reader_mutex_);

    mutable Mutex queue_mutex_;
    std::condition_variable queue_ready_;
    std::deque<Pending> queue_ BARRAGE_GUARDED_BY(queue_mutex_);
    std::deque<PendingAnnotation> annotations_ BARRAGE_GUARDED_BY(queue_mutex_);
    bool stopping_ BARRAGE_GUARDED_BY(queue_mutex_) = false;

    Mutex finished_mutex_;
    std::condition_variable finished_ready_;  // a batch was handed over, or the writer ended
    std::condition_variable finished_room_;   // the acknowledger took the waiting batches
    std::deque<Finished> finished_ BARRAGE_GUARDED_BY(finished_mutex_);
    bool writer_ended_ BARRAGE_GUARDED_BY(finished_mutex_) = false;

    // Set when a sync failed: no later answer can be trusted to be durable.
    std::atomic<bool> failed_{false};

    Mutex stop_mutex_;  // one joiner at a time: stop() may race with the destructor

    std::atomic<std::uint64_t> batches_{0};
    std::atomic<std::uint64_t> orders_{0};
    std::atomic<std::uint64_t> orders_applied_{0};
    std::atomic<std::uint64_t> orders_replayed_{0};
    std::atomic<std::uint64_t> orders_refused_{0};

    // Last: they start after everything they use exists.
    std::thread acknowledger_;
    std::thread writer_thread_;
};

}  // namespace barrage::ledger
