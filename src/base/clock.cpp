#include "base/clock.h"

#include <chrono>

#include "base/assert.h"

namespace barrage {

Millis SystemClock::steady_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Millis SystemClock::wall_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

std::chrono::year_month_day date_of(std::int64_t yyyymmdd) {
    return std::chrono::year_month_day{std::chrono::year{static_cast<int>(yyyymmdd / 10000)},
                                       std::chrono::month{static_cast<unsigned>(yyyymmdd / 100 % 100)},
                                       std::chrono::day{static_cast<unsigned>(yyyymmdd % 100)}};
}

}  // namespace

bool is_utc_day(std::int64_t yyyymmdd) {
    return yyyymmdd >= 10000101 && yyyymmdd <= 99991231 && date_of(yyyymmdd).ok();
}

Millis utc_day_start_ms(std::int32_t yyyymmdd) {
    BARRAGE_ASSERT(is_utc_day(yyyymmdd));
    using namespace std::chrono;
    return duration_cast<milliseconds>(sys_days{date_of(yyyymmdd)}.time_since_epoch()).count();
}

std::int32_t utc_yyyymmdd(Millis wall_ms) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_time<milliseconds>{milliseconds{wall_ms}});
    const year_month_day date{day};
    const int year = static_cast<int>(date.year());
    // Eight digits: the clock is broken long before year 10000.
    BARRAGE_ASSERT(year >= 1000 && year <= 9999);
    return year * 10000 + static_cast<int>(static_cast<unsigned>(date.month())) * 100 +
           static_cast<int>(static_cast<unsigned>(date.day()));
}

}  // namespace barrage
