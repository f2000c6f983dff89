#include "loadgen/token_bucket.h"

#include <algorithm>
#include <cmath>

#include "base/assert.h"

namespace barrage::loadgen {

TokenBucket::TokenBucket(double rate_per_s, double burst, std::int64_t now_ns)
    : rate_per_s_(rate_per_s), burst_(burst), tokens_(burst), last_ns_(now_ns) {
    BARRAGE_ASSERT(rate_per_s > 0 && burst > 0);
}

void TokenBucket::refill(std::int64_t now_ns) {
    if (now_ns <= last_ns_) {
        return;
    }
    tokens_ = std::min(burst_, tokens_ + rate_per_s_ * static_cast<double>(now_ns - last_ns_) / 1e9);
    last_ns_ = now_ns;
}

std::size_t TokenBucket::available(std::int64_t now_ns) {
    refill(now_ns);
    return static_cast<std::size_t>(std::floor(tokens_));
}

void TokenBucket::take(std::size_t bytes, std::int64_t now_ns) {
    refill(now_ns);
    BARRAGE_ASSERT(static_cast<double>(bytes) <= tokens_ + 1e-6);
    tokens_ = std::max(0.0, tokens_ - static_cast<double>(bytes));
}

std::int64_t TokenBucket::wait_ns(std::size_t bytes, std::int64_t now_ns) {
    refill(now_ns);
    const double wanted = std::min(burst_, static_cast<double>(bytes));
    if (tokens_ >= wanted) {
        return 0;
    }
    // Rounded up, so that after waiting this long the tokens are really there.
    return static_cast<std::int64_t>(std::ceil((wanted - tokens_) * 1e9 / rate_per_s_));
}

SlowReadPacing::SlowReadPacing(double rate_per_s, std::size_t read_chunk_bytes, std::int64_t now_ns)
    : bucket(rate_per_s, std::max(static_cast<double>(read_chunk_bytes), rate_per_s * kBurstSeconds), now_ns),
      wanted_(static_cast<std::size_t>(std::min(static_cast<double>(read_chunk_bytes), rate_per_s))) {
    BARRAGE_ASSERT(wanted_ > 0);
}

std::size_t SlowReadPacing::allowed(std::int64_t now_ns) {
    return std::max<std::size_t>(1, bucket.available(now_ns));
}

}  // namespace barrage::loadgen
