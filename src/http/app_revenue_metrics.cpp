#include "http/app_revenue_metrics.h"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "base/log.h"

namespace barrage::http {

void AppRevenueMetrics::append_metrics(std::string& out) {
    ledger::AppRevenueTally::Report report;
    {
        MutexLock lock(mutex_);
        report = last_;
    }
    out +=
        "# HELP barrage_app_revenue_coins An app's revenue from interactive gifts: the ledger's running total.\n"
        "# TYPE barrage_app_revenue_coins gauge\n";
    for (const auto& app : report.apps) {
        out += fmt::format("barrage_app_revenue_coins{{app=\"{}\"}} {}\n", app.app, app.counter);
    }
    out +=
        "# HELP barrage_app_revenue_journal_coins The same by the journal (gift_app_share legs less refunds).\n"
        "# TYPE barrage_app_revenue_journal_coins gauge\n";
    for (const auto& app : report.apps) {
        out += fmt::format("barrage_app_revenue_journal_coins{{app=\"{}\"}} {}\n", app.app, app.journal);
    }
    out += fmt::format(
        "# HELP barrage_app_revenue_mismatched_apps Apps whose running total differs from the journal (0 is "
        "healthy; run `barrage ledger verify`).\n"
        "# TYPE barrage_app_revenue_mismatched_apps gauge\n"
        "barrage_app_revenue_mismatched_apps {}\n"
        "# HELP barrage_app_revenue_caught_up 1 when the reconciliation has read the whole journal.\n"
        "# TYPE barrage_app_revenue_caught_up gauge\n"
        "barrage_app_revenue_caught_up {}\n"
        "# HELP barrage_app_revenue_checked_journal_id The last journal row the reconciliation has read.\n"
        "# TYPE barrage_app_revenue_checked_journal_id gauge\n"
        "barrage_app_revenue_checked_journal_id {}\n",
        report.mismatches, report.caught_up ? 1 : 0, report.cursor);
    // One pass at a time: scrapes faster than passes do not queue work.
    if (!pass_pending_.exchange(true)) {
        boost::asio::post(store_, [this] { pass(); });
    }
}

void AppRevenueMetrics::pass() {
    auto report = ledger_.tally(tally_);
    pass_pending_.store(false);
    if (!report) {
        log::warn("metrics: app revenue tally failed: {}", report.error().message());
        return;
    }
    if (report->caught_up && report->mismatches > 0) {
        log::error("ledger: {} apps' running revenue totals differ from the journal; run `barrage ledger verify`",
                   report->mismatches);
    }
    publish(std::move(*report));
}

void AppRevenueMetrics::publish(ledger::AppRevenueTally::Report report) {
    MutexLock lock(mutex_);
    last_ = std::move(report);
}

}  // namespace barrage::http
