#include "ledger/balance_cache.h"

#include "base/assert.h"

namespace barrage::ledger {

std::optional<Coins> BalanceCache::find(AccountId account) const {
    auto found = balances_.find(account);
    if (found == balances_.end()) {
        return std::nullopt;
    }
    return found->second;
}

void BalanceCache::load(AccountId account, Coins stored) {
    auto [where, inserted] = balances_.emplace(account, stored);
    BARRAGE_ASSERT(inserted);
}

void BalanceCache::apply(AccountId account, Coins balance, Coins delta) {
    auto found = balances_.find(account);
    BARRAGE_ASSERT(found != balances_.end());
    // Both sides of the boundary: the new balance is the old one moved by exactly delta.
    BARRAGE_ASSERT(found->second + delta == balance);
    found->second = balance;
    deltas_[account] += delta;
}

void BalanceCache::commit() {
    deltas_.clear();
    if (balances_.size() > accounts_max_) {
        balances_.clear();
    }
}

void BalanceCache::clear() {
    deltas_.clear();
    balances_.clear();
}

}  // namespace barrage::ledger
