#pragma once

// A bot's timed post, written as a five-field cron line ("*/15 9-18 * * 1-5"). Parsed once
// when the bot is configured, then asked for its next firing time on a fixed UTC offset (a
// room's local clock); no time zone database, so no daylight saving.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "base/clock.h"

namespace barrage::bot {

// Bytes in one cron line. Five fields with a few list items each fit in 40; the bound keeps
// parsing and error messages small for text that arrives from an HTTP body.
inline constexpr std::size_t kCronTextBytesMax = 100;
// Years next_after() looks ahead. Every weekday falls on every date (Feb 29 included) within
// 28 years, except across a skipped leap year (2100); a schedule that needs longer returns
// nullopt rather than searching on. The search skips whole months that cannot match, so the
// worst case is about 10,000 day tests.
inline constexpr int kCronSearchYears = 28;
// The offsets next_after() accepts, in minutes ahead of UTC: every zone in use lies within.
inline constexpr int kUtcOffsetMinutesMin = -720;
inline constexpr int kUtcOffsetMinutesMax = 840;

// Why a cron line did not parse.
struct CronError {
    std::size_t position = 0;  // byte offset in the text given to parse()
    std::string message;
};

// Lets boost::system::result<T, CronError>::value() report an error it was called on.
[[noreturn]] inline void throw_exception_from_error(const CronError& error, const boost::source_location&) {
    throw std::invalid_argument("cron schedule at byte " + std::to_string(error.position) + ": " + error.message);
}

class CronSchedule;
using CronResult = boost::system::result<CronSchedule, CronError>;

// A parsed schedule: the sets of minutes, hours, days of the month, months and weekdays it
// fires on. A plain value; safe from any thread (it is only read after parse()).
class CronSchedule {
public:
    // Parses "minute hour day-of-month month day-of-week", fields separated by ASCII
    // whitespace. Each field is a comma list of `*`, `n`, `a-b`, `*/s`, `a-b/s` or `a/s` (a to
    // the field's maximum); day-of-week 0 and 7 are both Sunday. Refused: names (JAN, MON),
    // macros (@hourly), Quartz forms (? L W #), numbers out of range, a range that runs
    // backwards, a step outside 1..field maximum, text over kCronTextBytesMax bytes, and a
    // day-of-month and month that never meet (Feb 30) when day-of-week does not widen them.
    static CronResult parse(std::string_view text);

    // The start (Unix ms) of the first whole minute strictly after `after_ms` on which the
    // schedule fires, reading the fields on a clock `utc_offset_minutes` ahead of UTC (480
    // for China). nullopt when it does not fire within kCronSearchYears, or `after_ms` lies
    // outside years 1..9999. The offset must lie within kUtcOffsetMinutesMin..Max (asserted:
    // callers validate it when it is configured).
    std::optional<Millis> next_after(Millis after_ms, int utc_offset_minutes) const;

    // The text as given, trimmed, with each run of whitespace between fields made one space.
    const std::string& text() const { return text_; }

    // Whether the schedule fires on a local calendar day, by Vixie cron's rule: when both
    // day-of-month and day-of-week are restricted (neither starts with `*`) either may match;
    // otherwise both must. `weekday` is 0..6, Sunday 0.
    bool fires_on_day(unsigned month, unsigned day_of_month, unsigned weekday) const;

private:
    CronSchedule() = default;
    friend struct CronParser;

    // Bit n set: the field value n fires.
    std::uint64_t minutes_ = 0;        // 0..59
    std::uint32_t hours_ = 0;          // 0..23
    std::uint32_t days_of_month_ = 0;  // 1..31
    std::uint16_t months_ = 0;         // 1..12
    std::uint8_t weekdays_ = 0;        // 0..6, Sunday 0
    // Fields written starting with `*` (`*` or `*/s`): Vixie cron treats them as unrestricted
    // for the day rule, even with a step.
    bool day_of_month_star_ = false;
    bool weekday_star_ = false;
    std::string text_;
};

}  // namespace barrage::bot
