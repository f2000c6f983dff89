#include "ledger/verifier.h"

#include <map>
#include <set>
#include <unordered_map>

#include "economy/app_revenue.h"
#include "ledger/gift_order_rows.h"
#include "ledger/limits.h"
#include "ledger/order.h"

namespace barrage::ledger {

namespace {

template <class T>
void note(std::int64_t& count, std::vector<T>& listed, T value) {
    ++count;
    if (listed.size() < kVerifyListedMax) {
        listed.push_back(std::move(value));
    }
}

using Replay = std::unordered_map<AccountId, Coins>;

// Adds one journal row to the replay; rows that fail the leg check are reported instead.
void replay_row(const JournalEntry& entry, bool decoded, Replay& replay, VerifyReport& report) {
    ++report.journal_rows;
    if (!decoded || !check_leg(entry.leg)) {
        note(report.bad_row_count, report.bad_rows, entry.id);
        return;
    }
    // An overflow needs ~10^7 maximal rows on one account; it is reported, never wrapped.
    Coins& debit = replay[entry.leg.debit];
    Coins& credit = replay[entry.leg.credit];
    if (__builtin_sub_overflow(debit, entry.leg.amount, &debit) ||
        __builtin_add_overflow(credit, entry.leg.amount, &credit)) {
        report.sum_overflowed = true;
    }
}

void check_balance(const AccountBalance& entry, bool decoded, Replay& replay, VerifyReport& report) {
    ++report.accounts;
    if (!decoded || !is_valid(entry.account)) {
        ++report.bad_account_count;
        return;
    }
    if (__builtin_add_overflow(report.balance_sum, entry.balance, &report.balance_sum)) {
        report.sum_overflowed = true;
    }
    if (entry.balance < 0 && !may_go_negative(entry.account)) {
        note(report.negative_count, report.negatives, entry);
    }
    auto found = replay.find(entry.account);
    Coins replayed = found == replay.end() ? 0 : found->second;
    if (found != replay.end()) {
        replay.erase(found);
    }
    if (entry.balance != replayed) {
        note(report.mismatch_count, report.mismatches, BalanceMismatch{entry.account, entry.balance, replayed});
    }
}

// Each app's revenue by the journal, and the newest row that moved it.
struct AppRevenue {
    Coins journal = 0;
    std::int64_t last_entry_id = 0;
};
using AppRevenues = std::map<std::uint64_t, AppRevenue>;

void add_app_revenue(const JournalEntry& entry, AppRevenues& revenues) {
    if (auto delta = app_revenue_delta(entry)) {
        auto& revenue = revenues[delta->app];
        revenue.journal += delta->delta;  // bounded like balances: legs are at most kLegAmountMax
        revenue.last_entry_id = entry.id;
    }
}

void check_app_cut(const AppOrderRows& rows, const economy::AppShareSchedule& shares, VerifyReport& report) {
    if (rows.is_refund()) {
        return;
    }
    ++report.app_gift_orders;
    const Coins expected = rows.expected_cut(shares);
    if (expected != rows.to_app) {
        note(report.app_cut_mismatch_count, report.app_cut_mismatches,
             AppCutMismatch{rows.order_id, rows.app, expected, rows.to_app, rows.entry_ids});
    }
}

// Compares each app's running total with the journal, on the snapshot the scans used.
Status check_app_revenues(LedgerBackend& backend, AppRevenues& revenues, const std::set<std::uint64_t>& accounts,
                          VerifyReport& report) {
    std::set<std::uint64_t> apps = accounts;
    for (const auto& [app, revenue] : revenues) {
        apps.insert(app);
    }
    auto listed = backend.counters(economy::kAppRevenuePrefix, kCountersPageMax);
    if (!listed) {
        return listed.error();
    }
    for (const auto& counter : *listed) {
        if (auto app = economy::parse_app_revenue_key(counter.name)) {
            apps.insert(*app);
        }
    }
    report.apps = static_cast<std::int64_t>(apps.size());
    for (const auto app : apps) {
        auto counter = backend.load_counter(economy::app_revenue_key(app));
        if (!counter) {
            return counter.error();
        }
        const auto& revenue = revenues[app];
        if (counter->value_or(0) != revenue.journal) {
            note(report.app_revenue_mismatch_count, report.app_revenue_mismatches,
                 AppRevenueMismatch{app, counter->value_or(0), revenue.journal, revenue.last_entry_id});
        }
    }
    return {};
}

}  // namespace

bool VerifyReport::ok() const {
    return balance_sum == 0 && !sum_overflowed && mismatch_count == 0 && negative_count == 0 && bad_row_count == 0 &&
           bad_account_count == 0 && app_revenue_mismatch_count == 0 && app_cut_mismatch_count == 0;
}

std::string VerifyReport::summary() const {
    std::string out = ok() ? "ledger OK" : "ledger DAMAGED";
    out += ": " + std::to_string(accounts) + " accounts, " + std::to_string(journal_rows) +
           " journal rows, balance sum " + std::to_string(balance_sum) + (sum_overflowed ? " (overflowed)" : "");
    out += "\n  balance mismatches: " + std::to_string(mismatch_count);
    for (const auto& mismatch : mismatches) {
        out += "\n    " + to_string(mismatch.account) + " stored " + std::to_string(mismatch.stored) + " journal " +
               std::to_string(mismatch.replayed);
    }
    out += "\n  negative balances: " + std::to_string(negative_count);
    for (const auto& negative : negatives) {
        out += "\n    " + to_string(negative.account) + " " + std::to_string(negative.balance);
    }
    out += "\n  bad journal rows: " + std::to_string(bad_row_count);
    for (auto id : bad_rows) {
        out += "\n    id " + std::to_string(id);
    }
    out += "\n  bad account rows: " + std::to_string(bad_account_count);
    out += "\n  app revenue totals differing from the journal: " + std::to_string(app_revenue_mismatch_count) + " of " +
           std::to_string(apps) + " apps";
    for (const auto& mismatch : app_revenue_mismatches) {
        out += "\n    app " + std::to_string(mismatch.app) + " counter " + std::to_string(mismatch.counter) +
               " journal " + std::to_string(mismatch.journal) + " (last journal id " +
               std::to_string(mismatch.last_entry_id) + ")";
    }
    out += "\n  interactive gifts whose app cut is not the ratio's: " + std::to_string(app_cut_mismatch_count) +
           " of " + std::to_string(app_gift_orders) + " checked";
    for (const auto& mismatch : app_cut_mismatches) {
        out += "\n    order " + std::to_string(mismatch.order_id) + " app " + std::to_string(mismatch.app) +
               " expected " + std::to_string(mismatch.expected) + " written " + std::to_string(mismatch.written) +
               " journal ids";
        for (auto id : mismatch.entry_ids) {
            out += " " + std::to_string(id);
        }
    }
    return out;
}

Result<VerifyReport> verify_ledger(LedgerBackend& backend, const economy::AppShareSchedule* shares) {
    if (auto begun = backend.begin_snapshot(); !begun) {
        return begun.error();
    }
    VerifyReport report;
    Replay replay;
    AppRevenues revenues;
    std::set<std::uint64_t> app_accounts;
    AppOrderFolder folder([&](const AppOrderRows& rows) {
        if (shares != nullptr) {
            check_app_cut(rows, *shares, report);
        }
    });
    auto scanned = backend.scan_journal([&](const JournalEntry& entry, bool decoded) {
        replay_row(entry, decoded, replay, report);
        if (decoded) {
            add_app_revenue(entry, revenues);
            folder.add(entry);
        }
    });
    folder.finish();
    if (scanned) {
        scanned = backend.scan_balances([&](const AccountBalance& entry, bool decoded) {
            check_balance(entry, decoded, replay, report);
            if (decoded && entry.account.kind == AccountKind::app) {
                app_accounts.insert(entry.account.owner);
            }
        });
    }
    if (scanned) {
        scanned = check_app_revenues(backend, revenues, app_accounts, report);
    }
    backend.end_snapshot();
    if (!scanned) {
        return scanned.error();
    }
    // Accounts the journal moved money through but that have no stored row.
    for (const auto& [account, replayed] : replay) {
        if (replayed != 0) {
            note(report.mismatch_count, report.mismatches, BalanceMismatch{account, 0, replayed});
        }
    }
    return report;
}

}  // namespace barrage::ledger
