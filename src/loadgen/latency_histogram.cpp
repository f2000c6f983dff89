#include "loadgen/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace barrage::loadgen {

std::size_t LatencyHistogram::bucket_of(std::uint64_t value_us) {
    if (value_us < kLinearMax) {
        return static_cast<std::size_t>(value_us);
    }
    // The value has at least 8 bits: keep its top 7 (64..127) and the shift dropping the rest.
    const unsigned shift = static_cast<unsigned>(std::bit_width(value_us)) - (kSubBucketBits + 1);
    if (shift > kShiftMax) {
        return kBucketCount - 1;
    }
    constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;
    const std::uint64_t sub = (value_us >> shift) - kSubBuckets;
    return static_cast<std::size_t>(kLinearMax + (shift - 1) * kSubBuckets + sub);
}

std::uint64_t LatencyHistogram::bucket_upper_us(std::size_t bucket) {
    if (bucket < kLinearMax) {
        return bucket;
    }
    const std::size_t offset = bucket - kLinearMax;
    const unsigned shift = static_cast<unsigned>(offset >> kSubBucketBits) + 1;
    const std::uint64_t sub =
        (offset & ((std::size_t{1} << kSubBucketBits) - 1)) + (std::uint64_t{1} << kSubBucketBits);
    return ((sub + 1) << shift) - 1;
}

void LatencyHistogram::record_us(std::uint64_t value_us) {
    ++counts_[bucket_of(value_us)];
    ++count_;
    max_us_ = std::max(max_us_, value_us);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        counts_[i] += other.counts_[i];
    }
    count_ += other.count_;
    max_us_ = std::max(max_us_, other.max_us_);
}

std::uint64_t LatencyHistogram::percentile_us(double fraction) const {
    if (count_ == 0) {
        return 0;
    }
    const double wanted = std::ceil(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(count_));
    const std::uint64_t rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        seen += counts_[i];
        if (seen >= rank) {
            return std::min(bucket_upper_us(i), max_us_);
        }
    }
    return max_us_;
}

}  // namespace barrage::loadgen
