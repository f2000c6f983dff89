#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <unordered_map>

#include "base/clock.h"
#include "security/token_bucket.h"

namespace barrage::security {

// A token bucket per key (user, address, token): `burst` at once, refilled at `per_second`.
// Bounded: at most `keys_max` buckets; full buckets of idle keys are evicted first (a full
// bucket holds no information, a new one starts full), and when none can be evicted a new key
// is refused rather than the map grown: a flood of fresh keys must not cost memory, and keys
// already tracked keep their fair share. Owner thread only; see SharedRateLimiter.
template <typename Key>
class KeyedRateLimiter {
public:
    struct Options {
        double per_second = 2.0;
        double burst = 5.0;
        std::size_t keys_max = 100'000;
    };

    KeyedRateLimiter(Options options, const Clock& clock)
        : options_(options), rate_{options.per_second, options.burst}, clock_(clock) {}

    // Why check() refused, or that it did not: a key over its rate and a key that could not be
    // tracked at all (the map full of busy keys) call for different answers (the first may be
    // banned, the second did nothing wrong).
    enum class Verdict : std::uint8_t { allowed, limited, full };

    // Takes one token for `key` if there is one.
    bool allow(const Key& key) { return check(key) == Verdict::allowed; }

    // The same, saying why a refusal was one.
    Verdict check(const Key& key) {
        const Millis now_ms = clock_.steady_ms();
        auto found = buckets_.find(key);
        const bool is_new = found == buckets_.end();
        if (is_new) {
            if (buckets_.size() >= options_.keys_max) {
                evict_full_buckets(now_ms);
            }
            if (buckets_.size() >= options_.keys_max) {
                return Verdict::full;
            }
            found = buckets_.emplace(key, TokenBucket::full(rate_, now_ms)).first;
        }
        TokenBucket& bucket = found->second;
        if (!bucket.take(rate_, now_ms)) {
            return Verdict::limited;
        }
        if (is_new) {
            // Keep next_eviction_ms_ a lower bound over every bucket, including this newcomer.
            next_eviction_ms_ = std::min(next_eviction_ms_, bucket.full_at_ms(rate_));
        }
        return Verdict::allowed;
    }

    std::size_t tracked_keys() const { return buckets_.size(); }

private:
    static constexpr Millis kNever = std::numeric_limits<Millis>::max();

    void evict_full_buckets(Millis now_ms) {
        // Tokens only grow with time and a bucket only gets further from full by spending, so
        // before next_eviction_ms_ a scan would find nothing: skip it, so that a flood of new
        // keys against a full map costs a lookup each, not a walk over the whole map.
        if (now_ms < next_eviction_ms_) {
            return;
        }
        Millis earliest_full_ms = kNever;
        for (auto it = buckets_.begin(); it != buckets_.end();) {
            it->second.refill(rate_, now_ms);
            if (it->second.tokens >= rate_.burst) {
                it = buckets_.erase(it);
                continue;
            }
            earliest_full_ms = std::min(earliest_full_ms, it->second.full_at_ms(rate_));
            ++it;
        }
        next_eviction_ms_ = earliest_full_ms;
    }

    Options options_;
    Rate rate_;
    const Clock& clock_;
    std::unordered_map<Key, TokenBucket> buckets_;
    // Steady time before which no kept bucket can be full: while the map is full, new keys
    // before then are refused without scanning it again.
    Millis next_eviction_ms_ = 0;
};

// A KeyedRateLimiter behind a mutex, for limits that span every I/O loop (joins per address
// or per token: connections of one address land on every loop). Meant for events that are
// rare next to packets; the lock is held for one map lookup. Safe from any thread.
template <typename Key>
class SharedRateLimiter {
public:
    using Options = typename KeyedRateLimiter<Key>::Options;

    SharedRateLimiter(Options options, const Clock& clock) : limiter_(options, clock) {}

    bool allow(const Key& key) {
        std::lock_guard lock(mutex_);
        return limiter_.allow(key);
    }

private:
    std::mutex mutex_;
    KeyedRateLimiter<Key> limiter_;  // guarded by mutex_
};

}  // namespace barrage::security
