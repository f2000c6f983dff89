#include "ledger/app_revenue_tally.h"

#include "economy/app_revenue.h"
#include "ledger/gift_order_rows.h"
#include "ledger/limits.h"

namespace barrage::ledger {

Result<AppRevenueTally::Report> AppRevenueTally::advance(LedgerBackend& reader, std::size_t rows_max) {
    if (auto begun = reader.begin_snapshot(); !begun) {
        return begun.error();
    }
    std::size_t rows = 0;
    auto scanned = reader.scan_journal_after(cursor_, rows_max, [&](const JournalEntry& entry, bool decoded) {
        ++rows;
        cursor_ = entry.id;
        if (!decoded) {
            return;  // verify reports it; the tally skips it
        }
        if (auto delta = app_revenue_delta(entry)) {
            journal_[delta->app] += delta->delta;
        }
    });
    if (!scanned) {
        reader.end_snapshot();
        return scanned.error();
    }
    if (rows == rows_max) {
        reader.end_snapshot();
        last_.caught_up = false;
        last_.cursor = cursor_;
        return last_;
    }
    Report report{.caught_up = true, .cursor = cursor_};
    for (const auto& [app, journal] : journal_) {
        auto counter = reader.load_counter(economy::app_revenue_key(app));
        if (!counter) {
            reader.end_snapshot();
            return counter.error();
        }
        report.apps.push_back({app, journal, counter->value_or(0)});
        if (counter->value_or(0) != journal) {
            ++report.mismatches;
        }
    }
    reader.end_snapshot();
    last_ = report;
    return report;
}

}  // namespace barrage::ledger
