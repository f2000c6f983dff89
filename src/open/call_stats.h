#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>

#include "base/ids.h"

namespace barrage::open {

// Per app, per endpoint of the open platform's game API: calls, answers that were not code 0
// (by code), and how long the answers took. What a developer needs to see that their game
// misbehaves (seed 004's per-developer statistics), since the server started. A call counts
// for an app once its access key named one, so a wrong signature shows under its app too.
// Memory: a fixed block per app (a few KB), for at most apps_max apps (calls of more are not
// counted); only keys of real apps get that far. Owner thread only (the store pool).
class CallStats {
public:
    static constexpr std::size_t kEndpoints = 4;  // start, heartbeat, batchHeartbeat, end

    struct Endpoint {
        std::uint64_t calls = 0;
        std::map<int, std::uint64_t> errors;  // code -> answers (few distinct codes exist)
        Millis p50_ms = 0;                    // bucket bounds: within 25 % above 8 ms
        Millis p99_ms = 0;
    };

    explicit CallStats(std::size_t apps_max = 10'000) : apps_max_(apps_max) {}

    void record(std::int64_t app_id, std::size_t endpoint, int code, Millis latency_ms);
    // Every endpoint of `app_id`, all zero when it made no call.
    std::array<Endpoint, kEndpoints> of(std::int64_t app_id) const;

private:
    // Latency buckets: 0..7 ms one each, then 4 per doubling up to about a minute.
    static constexpr std::size_t kBuckets = 8 + 4 * 13;
    static std::size_t bucket_of(Millis latency_ms);
    static Millis upper_bound_of(std::size_t bucket);
    static Millis percentile(const std::array<std::uint32_t, kBuckets>& counts, std::uint64_t total, double share);

    struct Counts {
        std::uint64_t calls = 0;
        std::map<int, std::uint64_t> errors;
        std::array<std::uint32_t, kBuckets> latency{};
    };

    std::size_t apps_max_;
    std::unordered_map<std::int64_t, std::array<Counts, kEndpoints>> apps_;
};

}  // namespace barrage::open
