#include "loadgen/latency_histogram.h"

#include <gtest/gtest.h>

namespace barrage::loadgen {
namespace {

TEST(LatencyHistogram, EmptyReportsZero) {
    const LatencyHistogram histogram;
    EXPECT_EQ(histogram.count(), 0u);
    EXPECT_EQ(histogram.percentile_us(0.5), 0u);
}

TEST(LatencyHistogram, ExactBelow128Microseconds) {
    LatencyHistogram histogram;
    for (std::uint64_t value = 0; value < 100; ++value) {
        histogram.record_us(value);
    }
    EXPECT_EQ(histogram.percentile_us(0.5), 49u);
    EXPECT_EQ(histogram.percentile_us(1.0), 99u);
    EXPECT_EQ(histogram.max_us(), 99u);
}

TEST(LatencyHistogram, PercentilesWithinBucketPrecision) {
    LatencyHistogram histogram;
    for (std::uint64_t value = 1; value <= 1'000'000; ++value) {
        histogram.record_us(value);
    }
    const auto near = [](std::uint64_t actual, double expected) {
        return std::abs(static_cast<double>(actual) - expected) <= expected * 0.016;
    };
    EXPECT_TRUE(near(histogram.percentile_us(0.5), 500'000)) << histogram.percentile_us(0.5);
    EXPECT_TRUE(near(histogram.percentile_us(0.99), 990'000)) << histogram.percentile_us(0.99);
    EXPECT_EQ(histogram.percentile_us(1.0), 1'000'000u);
}

TEST(LatencyHistogram, NeverReportsAboveTheMaximum) {
    LatencyHistogram histogram;
    histogram.record_us(1000);
    EXPECT_EQ(histogram.percentile_us(0.999), 1000u);
}

TEST(LatencyHistogram, HugeValuesLandInTheLastBucket) {
    LatencyHistogram histogram;
    histogram.record_us(~std::uint64_t{0});
    EXPECT_EQ(histogram.count(), 1u);
    EXPECT_EQ(histogram.max_us(), ~std::uint64_t{0});
}

TEST(LatencyHistogram, MergeAddsCountsAndKeepsTheMaximum) {
    LatencyHistogram left;
    LatencyHistogram right;
    left.record_us(10);
    right.record_us(20);
    right.record_us(5000);
    left.merge(right);
    EXPECT_EQ(left.count(), 3u);
    EXPECT_EQ(left.max_us(), 5000u);
    EXPECT_EQ(left.percentile_us(0.5), 20u);
}

}  // namespace
}  // namespace barrage::loadgen
