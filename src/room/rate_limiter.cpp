#include "room/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace barrage::room {

namespace {

constexpr Millis kNever = std::numeric_limits<Millis>::max();

// Far enough to mean "never" yet small enough that adding it to a clock reading cannot
// overflow (about 31,000 years).
constexpr double kFullInMsMax = 1e15;

}  // namespace

UserRateLimiter::UserRateLimiter(Options options, const Clock& clock)
    : options_(options), clock_(clock) {}

bool UserRateLimiter::allow(UserId user) {
    const Millis now_ms = clock_.steady_ms();
    auto found = buckets_.find(user);
    const bool is_new = found == buckets_.end();
    if (is_new) {
        if (buckets_.size() >= options_.users_max) {
            evict_full_buckets(now_ms);
        }
        // Past the bound a new user is refused rather than the map grown: a flood of fresh
        // ids must not cost memory, and users already tracked keep their fair share.
        if (buckets_.size() >= options_.users_max) {
            return false;
        }
        const Bucket full{.tokens = options_.burst, .updated_ms = now_ms};
        found = buckets_.emplace(user, full).first;
    }
    Bucket& bucket = found->second;
    refill(bucket, now_ms);
    if (bucket.tokens < 1.0) {
        return false;
    }
    bucket.tokens -= 1.0;
    if (is_new) {
        // Keep next_eviction_ms_ a lower bound over every bucket, including this newcomer.
        next_eviction_ms_ = std::min(next_eviction_ms_, full_at_ms(bucket));
    }
    return true;
}

void UserRateLimiter::refill(Bucket& bucket, Millis now_ms) const {
    // A steady clock never goes back; the max() only guards against a misbehaving fake.
    const Millis elapsed_ms = std::max<Millis>(0, now_ms - bucket.updated_ms);
    const double gained = static_cast<double>(elapsed_ms) * options_.per_second / 1000.0;
    bucket.tokens = std::min(options_.burst, bucket.tokens + gained);
    bucket.updated_ms = now_ms;
}

Millis UserRateLimiter::full_at_ms(const Bucket& bucket) const {
    const double missing = options_.burst - bucket.tokens;
    if (missing <= 0.0) {
        return bucket.updated_ms;
    }
    if (options_.per_second <= 0.0) {
        return kNever;
    }
    const double full_in_ms =
        std::min(kFullInMsMax, std::ceil(missing * 1000.0 / options_.per_second));
    return bucket.updated_ms + static_cast<Millis>(full_in_ms);
}

void UserRateLimiter::evict_full_buckets(Millis now_ms) {
    // Tokens only grow with time and a bucket only gets further from full by spending, so
    // before next_eviction_ms_ a scan would find nothing: skip it, so that a flood of new ids
    // against a full map costs a lookup each, not a walk over the whole map.
    if (now_ms < next_eviction_ms_) {
        return;
    }
    // A full bucket holds no information (a new bucket starts full), so forgetting it is exact.
    Millis earliest_full_ms = kNever;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        refill(it->second, now_ms);
        if (it->second.tokens >= options_.burst) {
            it = buckets_.erase(it);
            continue;
        }
        earliest_full_ms = std::min(earliest_full_ms, full_at_ms(it->second));
        ++it;
    }
    next_eviction_ms_ = earliest_full_ms;
}

}  // namespace barrage::room
