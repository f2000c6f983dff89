#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
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

    bool ok() const;
    // A few lines for `barrage ledger verify` and logs.
    std::string summary() const;
};

// Checks the invariants on one consistent snapshot of the backend: the sum of all balances is
// zero, every balance equals the replay of the journal, no account but external is negative,
// every journal row is a valid leg. Blocking; reads the whole journal.
Result<VerifyReport> verify_ledger(LedgerBackend& backend);

}  // namespace barrage::ledger
