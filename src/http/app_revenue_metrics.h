#pragma once

#include <atomic>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "base/mutex.h"
#include "ledger/app_revenue_tally.h"
#include "ledger/ledger.h"

namespace barrage::http {

// Each app's revenue and the real-time reconciliation of its running total against the journal,
// as Prometheus text for /metrics:
//   barrage_app_revenue_coins{app}           the running total (counter app_revenue:<app>)
//   barrage_app_revenue_journal_coins{app}   the same by the journal
//   barrage_app_revenue_mismatched_apps      apps whose two differ (0 is healthy)
//   barrage_app_revenue_caught_up            1 when the tally has read the whole journal
//   barrage_app_revenue_checked_journal_id   the last journal row the tally has read
//
// The work never runs on an I/O thread: a scrape renders the last result (cheap, under a
// mutex) and asks the store pool for one more pass of ledger::AppRevenueTally (unless one is
// running), which reads at most kTallyRowsPerPassMax journal rows past the last pass. So a
// scrape costs a copy of one number per app, a pass a bounded slice of the journal, and the
// figures are one scrape behind.
//
// Thread rule: append_metrics() is safe from any thread; passes run on the store pool.
class AppRevenueMetrics {
public:
    AppRevenueMetrics(ledger::Ledger& ledger, boost::asio::any_io_executor store)
        : ledger_(ledger), store_(std::move(store)) {}

    void append_metrics(std::string& out);

private:
    void pass();  // store pool
    void publish(ledger::AppRevenueTally::Report report);

    ledger::Ledger& ledger_;
    boost::asio::any_io_executor store_;
    ledger::AppRevenueTally tally_;  // store pool only
    std::atomic<bool> pass_pending_{false};
    Mutex mutex_;
    ledger::AppRevenueTally::Report last_ BARRAGE_GUARDED_BY(mutex_);
};

}  // namespace barrage::http
