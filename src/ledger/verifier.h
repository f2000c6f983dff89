#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "economy/app_share_schedule.h"
#include "ledger/account.h"
#include "ledger/coins.h"
#include "ledger/ledger_backend.h"

namespace barrage::ledger {

// A stored balance that differs from the sum of its journal rows.
struct BalanceMismatch {
    AccountId account;
    Coins stored = 0;    // accounts.balance (0 when the row is missing)
    Coins replayed = 0;  // SUM(credits) - SUM(debits) over the journal
    bool operator==(const BalanceMismatch&) const = default;
};

// An app's running revenue total (counter app_revenue:<app>) that differs from the journal's
// gift_app_share credits to app:<app> less the refunds taken back from it.
struct AppRevenueMismatch {
    std::uint64_t app = 0;
    Coins counter = 0;  // 0 when the counter has no row
    Coins journal = 0;
    std::int64_t last_entry_id = 0;  // the newest journal row that moved the app's revenue; 0: none
    bool operator==(const AppRevenueMismatch&) const = default;
};

// An interactive gift whose app leg is not the app's cut at the ratio in force when it
// committed (checked only when verify is given the share schedule).
struct AppCutMismatch {
    std::int64_t order_id = 0;
    std::uint64_t app = 0;
    Coins expected = 0;
    Coins written = 0;
    std::vector<std::int64_t> entry_ids{};  // the order's journal rows
    bool operator==(const AppCutMismatch&) const = default;
};

// What verify() found. Lists hold at most kVerifyListedMax entries; the counts are complete.
struct VerifyReport {
    std::int64_t accounts = 0;      // rows in accounts
    std::int64_t journal_rows = 0;  // rows in journal
    Coins balance_sum = 0;          // must be 0: double entry creates and destroys nothing
    bool sum_overflowed = false;    // the sum left the 64-bit range (damaged balances)

    std::int64_t mismatch_count = 0;
    std::vector<BalanceMismatch> mismatches;
    std::int64_t negative_count = 0;  // non-external accounts below zero
    std::vector<AccountBalance> negatives;
    std::int64_t bad_row_count = 0;      // journal rows failing check_leg or not decoding
    std::vector<std::int64_t> bad_rows;  // their journal ids
    std::int64_t bad_account_count = 0;  // account rows with an unknown kind or owner

    std::int64_t apps = 0;  // apps with revenue in the journal, a counter or an account
    std::int64_t app_revenue_mismatch_count = 0;
    std::vector<AppRevenueMismatch> app_revenue_mismatches;
    std::int64_t app_gift_orders = 0;  // interactive gift orders whose cut was recomputed
    std::int64_t app_cut_mismatch_count = 0;
    std::vector<AppCutMismatch> app_cut_mismatches;

    bool ok() const;
    // A few lines for `barrage ledger verify` and logs.
    std::string summary() const;
};

// Checks the invariants on one consistent snapshot of the backend: the sum of all balances is
// zero, every balance equals the replay of the journal, no account but external is negative,
// every journal row is a valid leg, and every app's running revenue total equals the journal.
// Given the share schedule, also recomputes every interactive gift's app cut at the ratio in
// force when it committed. Blocking; reads the whole journal.
Result<VerifyReport> verify_ledger(LedgerBackend& backend, const economy::AppShareSchedule* shares = nullptr);

}  // namespace barrage::ledger
