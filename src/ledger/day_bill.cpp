#include "ledger/day_bill.h"

#include <map>
#include <set>

#include "base/clock.h"
#include "economy/app_revenue.h"
#include "ledger/gift_order_rows.h"
#include "ledger/limits.h"

namespace barrage::ledger {

namespace {

struct AppWork {
    AppDayBill bill;
    std::vector<std::int64_t> app_entry_ids;  // rows that moved the app's revenue that day
};

void add_ids(std::vector<std::int64_t>& to, const std::vector<std::int64_t>& ids) {
    for (auto id : ids) {
        if (to.size() >= kVerifyListedMax) {
            return;
        }
        to.push_back(id);
    }
}

BillRatio& ratio_of(AppDayBill& bill, const economy::AppShareInForce& in_force) {
    for (auto& ratio : bill.ratios) {
        if (ratio.effective_ms == in_force.effective_ms && ratio.from_default == in_force.from_default) {
            return ratio;
        }
    }
    bill.ratios.push_back({.per_mille = in_force.per_mille,
                           .effective_ms = in_force.effective_ms,
                           .from_default = in_force.from_default});
    return bill.ratios.back();
}

void add_order(const AppOrderRows& rows, const economy::AppShareSchedule& shares,
               std::map<std::uint64_t, AppWork>& apps, std::vector<BillDiscrepancy>& discrepancies) {
    auto& work = apps[rows.app];
    auto& bill = work.bill;
    bill.app = rows.app;
    if (rows.is_refund()) {
        ++bill.refunds;
        bill.refunded_gross += rows.gross;
        bill.refunded_app_coins += rows.to_app;
        add_ids(work.app_entry_ids, rows.entry_ids);
        return;
    }
    const auto in_force = shares.at(rows.app, rows.created_ms);
    const Coins expected = rows.expected_cut(shares);
    ++bill.orders;
    bill.gifts += rows.count;
    bill.gross += rows.gross;
    bill.app_coins += rows.to_app;
    bill.expected_app_coins += expected;
    auto& ratio = ratio_of(bill, in_force);
    ++ratio.orders;
    ratio.gifts += rows.count;
    ratio.gross += rows.gross;
    ratio.app_coins += rows.to_app;
    add_ids(work.app_entry_ids, rows.entry_ids);
    if (expected != rows.to_app) {
        discrepancies.push_back({.kind = "app_cut",
                                 .app = rows.app,
                                 .order_id = rows.order_id,
                                 .expected = expected,
                                 .actual = rows.to_app,
                                 .entry_ids = rows.entry_ids});
    }
}

Status add_counters(LedgerBackend& backend, std::int32_t yyyymmdd, AppWork& work,
                    std::vector<BillDiscrepancy>& discrepancies) {
    auto& bill = work.bill;
    auto revenue = backend.load_counter(economy::app_revenue_day_key(bill.app, yyyymmdd));
    auto gross = backend.load_counter(economy::app_gross_day_key(bill.app, yyyymmdd));
    if (!revenue || !gross) {
        return make_error_code(Errc::ledger_unavailable);
    }
    bill.net_app_coins = bill.app_coins - bill.refunded_app_coins;
    bill.revenue_counter = revenue->value_or(0);
    bill.gross_counter = gross->value_or(0);
    if (bill.revenue_counter != bill.net_app_coins) {
        discrepancies.push_back({.kind = "revenue_counter",
                                 .app = bill.app,
                                 .expected = bill.net_app_coins,
                                 .actual = bill.revenue_counter,
                                 .entry_ids = work.app_entry_ids});
    }
    if (bill.gross_counter != bill.gross - bill.refunded_gross) {
        discrepancies.push_back({.kind = "gross_counter",
                                 .app = bill.app,
                                 .expected = bill.gross - bill.refunded_gross,
                                 .actual = bill.gross_counter,
                                 .entry_ids = work.app_entry_ids});
    }
    return {};
}

// Apps that may have counters for the day without rows: every app account and running total.
Status add_known_apps(LedgerBackend& backend, std::map<std::uint64_t, AppWork>& apps) {
    auto scanned = backend.scan_balances([&](const AccountBalance& entry, bool decoded) {
        if (decoded && entry.account.kind == AccountKind::app) {
            apps[entry.account.owner].bill.app = entry.account.owner;
        }
    });
    if (!scanned) {
        return scanned;
    }
    auto listed = backend.counters(economy::kAppRevenuePrefix, kCountersPageMax);
    if (!listed) {
        return listed.error();
    }
    for (const auto& counter : *listed) {
        if (auto app = economy::parse_app_revenue_key(counter.name)) {
            apps[*app].bill.app = *app;
        }
    }
    return {};
}

}  // namespace

Result<DayBill> bill_day(LedgerBackend& backend, const economy::AppShareSchedule& shares, std::int32_t yyyymmdd) {
    DayBill day{.yyyymmdd = yyyymmdd, .from_ms = utc_day_start_ms(yyyymmdd)};
    day.to_ms = day.from_ms + 24LL * 3600 * 1000;
    if (auto begun = backend.begin_snapshot(); !begun) {
        return begun.error();
    }
    std::map<std::uint64_t, AppWork> apps;
    AppOrderFolder folder([&](const AppOrderRows& rows) { add_order(rows, shares, apps, day.discrepancies); });
    auto scanned = backend.scan_journal([&](const JournalEntry& entry, bool decoded) {
        if (decoded && entry.created_ms >= day.from_ms && entry.created_ms < day.to_ms) {
            folder.add(entry);
        }
    });
    folder.finish();
    if (scanned) {
        scanned = add_known_apps(backend, apps);
    }
    for (auto& [app, work] : apps) {
        if (scanned) {
            scanned = add_counters(backend, yyyymmdd, work, day.discrepancies);
        }
        day.apps.push_back(work.bill);
    }
    backend.end_snapshot();
    if (!scanned) {
        return scanned.error();
    }
    return day;
}

}  // namespace barrage::ledger
