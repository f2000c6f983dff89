#pragma once

#include <atomic>
#include <cstdint>

#include "base/ids.h"

namespace barrage {

// Where time comes from. Rate limits, batching, timeouts and timestamps all read a Clock so
// tests can drive them with FakeClock and never sleep. Safe from any thread.
class Clock {
public:
    virtual ~Clock() = default;
    // Monotonic milliseconds; use for intervals and deadlines.
    virtual Millis steady_ms() const = 0;
    // Wall-clock milliseconds since the Unix epoch; use for timestamps shown to people.
    virtual Millis wall_ms() const = 0;
};

class SystemClock final : public Clock {
public:
    Millis steady_ms() const override;
    Millis wall_ms() const override;
};

// A clock that moves only when told to. Safe from any thread.
class FakeClock final : public Clock {
public:
    explicit FakeClock(Millis start_ms = 1'700'000'000'000) : now_ms_(start_ms) {}
    Millis steady_ms() const override { return now_ms_.load(); }
    Millis wall_ms() const override { return now_ms_.load(); }
    void advance_ms(Millis delta_ms) { now_ms_.fetch_add(delta_ms); }

private:
    std::atomic<Millis> now_ms_;
};

// The UTC calendar day of a wall-clock time, as yyyymmdd (e.g. 20240229). Days are UTC: one
// boundary for every node and viewer, whatever their zone. Asserts a year of four digits.
std::int32_t utc_yyyymmdd(Millis wall_ms);
// True for an existing calendar day written yyyymmdd, years 1000..9999.
bool is_utc_day(std::int64_t yyyymmdd);
// The first millisecond of a day written yyyymmdd (is_utc_day must hold).
Millis utc_day_start_ms(std::int32_t yyyymmdd);

}  // namespace barrage
