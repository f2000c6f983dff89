#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace barrage::loadgen {

// Latencies in microseconds, in log-linear buckets like HdrHistogram: exact below 128 µs, then
// 64 buckets per power of two (under 1.6 % relative error) up to 2^40 µs (12 days). A fixed
// array: recording never allocates, and merging two histograms is adding arrays.
// Owner thread only.
class LatencyHistogram {
public:
    void record_us(std::uint64_t value_us);
    void merge(const LatencyHistogram& other);

    std::uint64_t count() const { return count_; }
    std::uint64_t max_us() const { return max_us_; }
    // The smallest recorded value v such that `fraction` of all values are <= v, reported as
    // its bucket's upper bound (never above the true maximum). 0 when empty.
    std::uint64_t percentile_us(double fraction) const;

private:
    static constexpr unsigned kSubBucketBits = 6;                      // 64 per power of two
    static constexpr std::uint64_t kLinearMax = 2u << kSubBucketBits;  // 128: exact below
    static constexpr unsigned kShiftMax = 34;                          // 128 << 33 ~ 2^40
    static constexpr std::size_t kBucketCount =
        kLinearMax + std::size_t{kShiftMax} * (std::size_t{1} << kSubBucketBits);

    static std::size_t bucket_of(std::uint64_t value_us);
    static std::uint64_t bucket_upper_us(std::size_t bucket);

    std::array<std::uint64_t, kBucketCount> counts_{};
    std::uint64_t count_ = 0;
    std::uint64_t max_us_ = 0;
};

}  // namespace barrage::loadgen
