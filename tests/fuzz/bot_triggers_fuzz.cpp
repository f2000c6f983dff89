// libFuzzer target for bot triggers (bot/cron_schedule.h, bot/reply_matcher.h): hostile bytes
// as a cron line, as a trigger pattern (the input's first line) and as a message.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
//   - a cron line that parses gives back a text that parses again to the same text, and
//     next_after() answers, on a few clocks and offsets, with a later whole local minute on
//     a day the schedule fires, from which asking again moves strictly on;
//   - a pattern compiled as contains and as exact matches a message that holds it between
//     brackets (contains) or is it (exact); a pattern refused only as a regex is refused
//     with the regex's index, and one refused as a literal is refused before the regex;
//   - matches() answers in ascending order with no repeats and only valid indexes.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "bot/cron_schedule.h"
#include "bot/reply_matcher.h"

namespace {

using namespace barrage;
using namespace barrage::bot;

constexpr Millis kMinuteMs = 60'000;

void check_firing(const CronSchedule& schedule, Millis after_ms, int utc_offset_minutes) {
    using namespace std::chrono;
    const auto fired = schedule.next_after(after_ms, utc_offset_minutes);
    if (!fired) return;
    BARRAGE_ASSERT(*fired > after_ms);
    const Millis local_ms = *fired + Millis{utc_offset_minutes} * kMinuteMs;
    BARRAGE_ASSERT(local_ms % kMinuteMs == 0);
    const sys_days day = floor<days>(sys_time<milliseconds>{milliseconds{local_ms}});
    const year_month_day date{day};
    BARRAGE_ASSERT(schedule.fires_on_day(static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                         weekday{day}.c_encoding()));
    // Asking again just before the firing finds it again; from the firing itself, a later one.
    BARRAGE_ASSERT(schedule.next_after(*fired - 1, utc_offset_minutes) == fired);
    const auto later = schedule.next_after(*fired, utc_offset_minutes);
    BARRAGE_ASSERT(!later || *later > *fired);
}

void check_cron(std::string_view input) {
    auto parsed = CronSchedule::parse(input);
    if (!parsed) {
        BARRAGE_ASSERT(parsed.error().position <= input.size());
        BARRAGE_ASSERT(!parsed.error().message.empty());
        return;
    }
    auto again = CronSchedule::parse(parsed->text());
    BARRAGE_ASSERT(again && again->text() == parsed->text());
    // The epoch, a moment in 2023, the last millisecond before a leap day, and one in 1938.
    constexpr std::array<Millis, 4> kClocks{0, 1'700'000'000'123, 1'709'164'799'999, -1'000'000'000'000};
    constexpr std::array<int, 4> kOffsets{0, 480, -720, 840};
    for (std::size_t i = 0; i < kClocks.size(); ++i)
        check_firing(*parsed, kClocks[i], kOffsets[(i + input.size()) % kOffsets.size()]);
}

void check_order(const std::vector<std::uint32_t>& matched, std::size_t triggers) {
    for (std::size_t i = 0; i < matched.size(); ++i) {
        BARRAGE_ASSERT(matched[i] < triggers);
        BARRAGE_ASSERT(i == 0 || matched[i - 1] < matched[i]);
    }
}

void check_matcher(std::string_view input, MatchScratch& scratch) {
    static const auto fixed = ReplyMatcher::compile({{MatchKind::exact, "签到"},
                                                     {MatchKind::contains, "主播"},
                                                     {MatchKind::contains, "a.b"},
                                                     {MatchKind::regex, "[0-9]+号"},
                                                     {MatchKind::regex, "(?i)caf[eé]"}})
                                  .value();
    std::vector<std::uint32_t> matched;
    fixed->matches(input, scratch, matched);
    check_order(matched, fixed->triggers().size());

    // One compile for the three kinds (Vectorscan compiles dominate the run time); the
    // literals alone only when the regex is what was refused.
    const std::string pattern(input.substr(0, input.find('\n')));
    auto all = ReplyMatcher::compile(
        {{MatchKind::contains, pattern}, {MatchKind::exact, pattern}, {MatchKind::regex, pattern}});
    std::shared_ptr<const ReplyMatcher> literals;
    if (all) {
        literals = *all;
        (*all)->matches(input, scratch, matched);
        check_order(matched, 3);
    } else if (all.error().trigger == 2) {
        literals = ReplyMatcher::compile({{MatchKind::contains, pattern}, {MatchKind::exact, pattern}}).value();
    }
    if (literals) {
        literals->matches("[" + pattern + "]", scratch, matched);
        BARRAGE_ASSERT(!matched.empty() && matched[0] == 0);
        // Exact is sure to match; contains is not, as its edge whitespace is trimmed off.
        literals->matches(pattern, scratch, matched);
        BARRAGE_ASSERT(std::find(matched.begin(), matched.end(), 1U) != matched.end());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static MatchScratch scratch;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_cron(input);
    check_matcher(input, scratch);
    return 0;
}
