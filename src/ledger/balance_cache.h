#pragma once

#include <cstddef>
#include <optional>
#include <unordered_map>

#include "ledger/account.h"
#include "ledger/coins.h"

namespace barrage::ledger {

// The writer's view of balances: the committed value of each account it has seen, plus what
// the open batch changed. Orders are checked against it without a SELECT; the batch's net
// change per account is written once at the end. Writer thread only.
class BalanceCache {
public:
    explicit BalanceCache(std::size_t accounts_max) : accounts_max_(accounts_max) {}

    // The current balance (committed plus this batch), if the account is cached.
    std::optional<Coins> find(AccountId account) const;
    // Caches a balance just read from storage; the account must not be cached yet.
    void load(AccountId account, Coins stored);
    // Records an applied order's effect: the new balance and the change it made.
    void apply(AccountId account, Coins balance, Coins delta);

    // Net change per account in the open batch (entries may be 0: touched, not changed).
    const std::unordered_map<AccountId, Coins>& batch_deltas() const { return deltas_; }

    // The batch committed: its changes are now the stored values. Past accounts_max the cache
    // is emptied and refills lazily.
    void commit();
    // The batch failed or storage may differ from memory: forget everything.
    void clear();

    std::size_t size() const { return balances_.size(); }

private:
    std::size_t accounts_max_;
    std::unordered_map<AccountId, Coins> balances_;
    std::unordered_map<AccountId, Coins> deltas_;
};

}  // namespace barrage::ledger
