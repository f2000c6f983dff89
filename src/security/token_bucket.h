#pragma once

#include <cstddef>

#include "base/ids.h"

namespace barrage::security {

// How fast a bucket refills and how much it holds.
struct Rate {
    double per_second = 1.0;
    double burst = 1.0;
};

// One token bucket: `burst` tokens at most, refilled continuously at `per_second`. A small
// value (16 bytes) so each connection can own one. The rate is passed in, not stored, so
// thousands of buckets share one Rate. Not thread-safe.
struct TokenBucket {
    double tokens = 0.0;
    Millis updated_ms = 0;  // steady time of the last refill

    static TokenBucket full(const Rate& rate, Millis now_ms) { return {rate.burst, now_ms}; }

    // Adds what `now_ms` earned since the last refill, up to the burst.
    void refill(const Rate& rate, Millis now_ms);
    // Refills, then takes `count` tokens if there are that many.
    bool take(const Rate& rate, Millis now_ms, double count = 1.0);
    // Whole tokens available after a refill at `now_ms`.
    std::size_t available(const Rate& rate, Millis now_ms);
    // Steady time at which the bucket (as last refilled) is full again; far in the future when
    // the rate is zero.
    Millis full_at_ms(const Rate& rate) const;
};

}  // namespace barrage::security
