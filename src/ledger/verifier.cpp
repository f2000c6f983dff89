#include "ledger/verifier.h"

#include <unordered_map>

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

}  // namespace

bool VerifyReport::ok() const {
    return balance_sum == 0 && !sum_overflowed && mismatch_count == 0 && negative_count == 0 && bad_row_count == 0 &&
           bad_account_count == 0;
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
    return out;
}

Result<VerifyReport> verify_ledger(LedgerBackend& backend) {
    if (auto begun = backend.begin_snapshot(); !begun) {
        return begun.error();
    }
    VerifyReport report;
    Replay replay;
    auto scanned = backend.scan_journal(
        [&](const JournalEntry& entry, bool decoded) { replay_row(entry, decoded, replay, report); });
    if (scanned) {
        scanned = backend.scan_balances(
            [&](const AccountBalance& entry, bool decoded) { check_balance(entry, decoded, replay, report); });
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
