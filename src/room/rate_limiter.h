#pragma once

#include <cstddef>
#include <unordered_map>

#include "base/clock.h"
#include "base/ids.h"

namespace barrage::room {

// Token bucket per user: `burst` sends at once, refilled at `per_second`. Owner thread only.
// Bounded: at most `users_max` buckets; full buckets of idle users are evicted first, and when
// none can be evicted a new user is refused (Errc::rate_limited upstream) rather than growing.
class UserRateLimiter {
public:
    struct Options {
        double per_second = 2.0;
        double burst = 5.0;
        std::size_t users_max = 100'000;
    };

    UserRateLimiter(Options options, const Clock& clock);

    // Takes one token for `user` if there is one.
    bool allow(UserId user);

    std::size_t tracked_users() const { return buckets_.size(); }

private:
    struct Bucket {
        double tokens;
        Millis updated_ms;
    };
    // Refills `bucket` up to `now_ms`.
    void refill(Bucket& bucket, Millis now_ms) const;
    // Steady time at which `bucket` (just refilled) will be full again.
    Millis full_at_ms(const Bucket& bucket) const;
    void evict_full_buckets(Millis now_ms);

    Options options_;
    const Clock& clock_;
    std::unordered_map<UserId, Bucket> buckets_;
    // Steady time before which no kept bucket can be full: while the map is full, new users
    // before then are refused without scanning it again.
    Millis next_eviction_ms_ = 0;
};

}  // namespace barrage::room
