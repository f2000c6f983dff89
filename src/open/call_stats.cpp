#include "open/call_stats.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace barrage::open {

std::size_t CallStats::bucket_of(Millis latency_ms) {
    if (latency_ms < 8) {
        return static_cast<std::size_t>(std::max<Millis>(0, latency_ms));
    }
    const auto value = static_cast<std::uint64_t>(latency_ms);
    const auto doubling = static_cast<int>(std::bit_width(value)) - 4;  // 8..15 -> 0, 16..31 -> 1, ...
    const auto quarter = static_cast<std::size_t>((value >> (doubling + 1)) & 3);
    return std::min(kBuckets - 1, 8 + static_cast<std::size_t>(doubling) * 4 + quarter);
}

Millis CallStats::upper_bound_of(std::size_t bucket) {
    if (bucket < 8) {
        return static_cast<Millis>(bucket);
    }
    const std::size_t doubling = (bucket - 8) / 4;
    const std::size_t quarter = (bucket - 8) % 4;
    const Millis base = Millis{8} << doubling;
    return base + static_cast<Millis>(quarter + 1) * (base / 4) - 1;
}

Millis CallStats::percentile(const std::array<std::uint32_t, kBuckets>& counts, std::uint64_t total, double share) {
    if (total == 0) {
        return 0;
    }
    const auto rank = static_cast<std::uint64_t>(std::ceil(share * static_cast<double>(total)));
    std::uint64_t seen = 0;
    for (std::size_t bucket = 0; bucket < kBuckets; ++bucket) {
        seen += counts[bucket];
        if (seen >= rank) {
            return upper_bound_of(bucket);
        }
    }
    return upper_bound_of(kBuckets - 1);
}

void CallStats::record(std::int64_t app_id, std::size_t endpoint, int code, Millis latency_ms) {
    if (endpoint >= kEndpoints) {
        return;
    }
    auto found = apps_.find(app_id);
    if (found == apps_.end()) {
        if (apps_.size() >= apps_max_) {
            return;
        }
        found = apps_.emplace(app_id, std::array<Counts, kEndpoints>{}).first;
    }
    Counts& counts = found->second[endpoint];
    ++counts.calls;
    if (code != 0) {
        ++counts.errors[code];
    }
    auto& bucket = counts.latency[bucket_of(latency_ms)];
    bucket = bucket == UINT32_MAX ? bucket : bucket + 1;
}

std::array<CallStats::Endpoint, CallStats::kEndpoints> CallStats::of(std::int64_t app_id) const {
    std::array<Endpoint, kEndpoints> answer{};
    const auto found = apps_.find(app_id);
    if (found == apps_.end()) {
        return answer;
    }
    for (std::size_t endpoint = 0; endpoint < kEndpoints; ++endpoint) {
        const Counts& counts = found->second[endpoint];
        answer[endpoint] = Endpoint{.calls = counts.calls,
                                    .errors = counts.errors,
                                    .p50_ms = percentile(counts.latency, counts.calls, 0.5),
                                    .p99_ms = percentile(counts.latency, counts.calls, 0.99)};
    }
    return answer;
}

}  // namespace barrage::open
