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

// A slow reader's pacing (`barrage bench --read-rate`): it reads at most `read_chunk_bytes` per
// wake-up when on time, and waits for that much. Its burst is a quarter second of its rate (at
// least one chunk): when the load generator's thread is busy with the fast readers and a
// reader's timer comes late, the tokens that accrued meanwhile are still there to read, so the
// reader keeps its rate instead of reading one chunk per late wake-up. (With a one-chunk burst,
// 4 KiB per 50 ms loop turn held a "200 kB/s" reader to 80 kB/s at 20,000 msg/s.)
struct SlowReadPacing {
    static constexpr double kBurstSeconds = 0.25;

    SlowReadPacing(double rate_per_s, std::size_t read_chunk_bytes, std::int64_t now_ns);

    // Bytes to wait for before the next read.
    std::size_t wanted() const { return wanted_; }
    // Nanoseconds until wanted() bytes may be read (0: now).
    std::int64_t wait_ns(std::int64_t now_ns) { return bucket.wait_ns(wanted_, now_ns); }
    // How many bytes the next read may take: all the tokens there are, at least one.
    std::size_t allowed(std::int64_t now_ns);

    TokenBucket bucket;

private:
    std::size_t wanted_;
};

}  // namespace barrage::loadgen
