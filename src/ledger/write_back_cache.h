#pragma once

#include <cstddef>
#include <optional>
#include <unordered_map>

#include "base/assert.h"
#include "ledger/coins.h"

namespace barrage::ledger {

// The writer's copy of stored running totals (balances by account, counters by name): the
// committed value of each key it has seen, plus what the open batch changed. Orders are
// checked against it without a SELECT, and each key's net change is written once per batch.
// Storage is the truth: after a failed batch the cache is cleared and refills lazily.
//
// Thread rule: owner thread only (the writer).
template <class Key>
class WriteBackCache {
public:
    explicit WriteBackCache(std::size_t entries_max) : entries_max_(entries_max) {}

    // The current value (committed plus this batch), if the key is cached.
    std::optional<Coins> find(const Key& key) const {
        auto found = values_.find(key);
        if (found == values_.end()) {
            return std::nullopt;
        }
        return found->second;
    }

    // Caches a value just read from storage; the key must not be cached yet.
    void load(const Key& key, Coins stored) {
        auto [where, inserted] = values_.emplace(key, stored);
        BARRAGE_ASSERT(inserted);
    }

    // Records an applied order's effect on one key: its new value and the change that made it.
    void apply(const Key& key, Coins value, Coins delta) {
        auto found = values_.find(key);
        BARRAGE_ASSERT(found != values_.end());
        // Both sides of the boundary: the new value is the old one moved by exactly delta.
        BARRAGE_ASSERT(found->second + delta == value);
        found->second = value;
        // The batch's net change is the difference of two in-range values; it leaves the
        // 64-bit range only if one batch moves more than 9.2e18 coins through one key.
        Coins& net = deltas_[key];
        bool overflowed = __builtin_add_overflow(net, delta, &net);
        BARRAGE_ASSERT(!overflowed);
    }

    // Net change per key in the open batch (an entry may be 0: touched, not changed).
    const std::unordered_map<Key, Coins>& batch_deltas() const { return deltas_; }

    // The batch committed: its changes are now stored. Past entries_max the cache is emptied
    // and refills lazily, one SELECT per key, instead of growing without bound.
    void commit() {
        deltas_.clear();
        if (values_.size() > entries_max_) {
            values_.clear();
        }
    }

    // The batch failed, or storage may differ from memory: forget everything.
    void clear() {
        deltas_.clear();
        values_.clear();
    }

    std::size_t size() const { return values_.size(); }

private:
    std::size_t entries_max_;
    std::unordered_map<Key, Coins> values_;
    std::unordered_map<Key, Coins> deltas_;
};

}  // namespace barrage::ledger
