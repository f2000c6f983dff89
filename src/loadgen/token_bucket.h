#pragma once

#include <cstddef>
#include <cstdint>

namespace barrage::loadgen {

// Pacing for a slow reader: tokens are bytes it may read, refilled at `rate_per_s` up to
// `burst`. Time comes in as steady nanoseconds from the caller, so tests drive it by hand.
// Owner thread only.
class TokenBucket {
public:
    // Starts full at `now_ns`. `rate_per_s` and `burst` must be positive.
    TokenBucket(double rate_per_s, double burst, std::int64_t now_ns);

    // Whole tokens available at `now_ns` (time never runs backwards here: an earlier reading
    // refills nothing).
    std::size_t available(std::int64_t now_ns);
    // Spends `bytes` tokens (at most what available() said).
    void take(std::size_t bytes, std::int64_t now_ns);
    // Nanoseconds from `now_ns` until `bytes` tokens are available (capped at the burst);
    // 0 when they already are.
    std::int64_t wait_ns(std::size_t bytes, std::int64_t now_ns);

private:
    void refill(std::int64_t now_ns);

    double rate_per_s_;
    double burst_;
    double tokens_;
    std::int64_t last_ns_;
};

}  // namespace barrage::loadgen
