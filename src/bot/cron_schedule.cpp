#include "bot/cron_schedule.h"

#include <array>
#include <bit>
#include <chrono>
#include <vector>

#include "base/assert.h"

namespace barrage::bot {

namespace {

struct FieldSpec {
    std::string_view name;
    unsigned min;
    unsigned max;
};

// In the order they are written. Day-of-week takes 7 as well as 0 for Sunday, as Vixie cron
// does; parse() folds 7 into 0.
constexpr std::array<FieldSpec, 5> kFields{{
    {"minute", 0, 59},
    {"hour", 0, 23},
    {"day-of-month", 1, 31},
    {"month", 1, 12},
    {"day-of-week", 0, 7},
}};

constexpr std::string_view kFieldList = "minute hour day-of-month month day-of-week";

// Digits in a number: every field value has at most two, so a third is out of range already
// and a long run cannot overflow.
constexpr std::size_t kNumberDigitsMax = 3;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The most days `month` (1..12) has in any year: February counts its leap day.
unsigned days_in_month_max(unsigned month) {
    constexpr std::array<unsigned, 13> kDays{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return kDays[month];
}

// The lowest set bit of `mask` at `from` or above.
std::optional<unsigned> next_bit(std::uint64_t mask, unsigned from) {
    if (from >= 64) return std::nullopt;
    const std::uint64_t rest = mask & (~std::uint64_t{0} << from);
    if (rest == 0) return std::nullopt;
    return static_cast<unsigned>(std::countr_zero(rest));
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
    const std::int64_t quotient = value / divisor;
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

constexpr Millis kMinuteMs = 60'000;
constexpr Millis kDayMinutes = 1'440;
constexpr Millis days_ms(std::chrono::sys_days day) {
    return static_cast<Millis>(day.time_since_epoch().count()) * kDayMinutes * kMinuteMs;
}
// next_after() stays inside the years <chrono> and people use; its arithmetic cannot overflow.
constexpr Millis kFirstMs = days_ms(std::chrono::sys_days{std::chrono::year{1} / 1 / 1});
constexpr Millis kEndMs = days_ms(std::chrono::sys_days{std::chrono::year{10000} / 1 / 1});

}  // namespace

// One parse() call: the text and the schedule being filled.
struct CronParser {
    std::string_view text;
    CronSchedule schedule;

    struct Token {
        std::size_t offset;
        std::string_view text;
    };

    static CronError error_at(std::size_t position, std::string message) {
        return CronError{position, std::move(message)};
    }

    // Why the character at `position` cannot start or continue a value.
    CronError unexpected(std::size_t position, const FieldSpec& field) const {
        const char c = text[position];
        if (is_letter(c)) {
            std::size_t end = position;
            while (end < text.size() && is_letter(text[end]))
                ++end;
            const auto word = text.substr(position, end - position);
            if (word == "L" || word == "W" || word == "LW") {
                return error_at(position, "Quartz forms (? L W #) are not supported");
            }
            return error_at(position, "names such as JAN or MON are not supported; write numbers (" +
                                          std::string(field.name) + " " + std::to_string(field.min) + "-" +
                                          std::to_string(field.max) + ")");
        }
        if (c == '?' || c == '#') return error_at(position, "Quartz forms (? L W #) are not supported");
        if (c == '@') return error_at(position, "macros such as @hourly are not supported; write the five fields");
        const bool printable = c > ' ' && c < '\x7f';
        const std::string shown =
            printable ? "'" + std::string(1, c) + "'" : "byte " + std::to_string(static_cast<unsigned char>(c));
        return error_at(position, "unexpected " + shown + " in the " + std::string(field.name) + " field");
    }

    // Reads a number at `at` within `item` and moves past it.
    std::optional<CronError> number(const Token& item, std::size_t& at, const FieldSpec& field, unsigned& value) const {
        const std::size_t begin = at;
        while (at < item.text.size() && is_digit(item.text[at]))
            ++at;
        if (at == begin && at == item.text.size()) {
            return error_at(item.offset + at, "a number is missing in the " + std::string(field.name) + " field");
        }
        if (at == begin) return unexpected(item.offset + at, field);
        const auto digits = item.text.substr(begin, at - begin);
        unsigned parsed = 0;
        for (const char digit : digits.substr(0, kNumberDigitsMax))
            parsed = parsed * 10 + static_cast<unsigned>(digit - '0');
        if (digits.size() > kNumberDigitsMax || parsed < field.min || parsed > field.max) {
            return error_at(item.offset + begin, std::string(digits) + " is outside " + std::string(field.name) + " " +
                                                     std::to_string(field.min) + "-" + std::to_string(field.max));
        }
        value = parsed;
        return std::nullopt;
    }

    // One list item: `*`, `n`, `a-b`, each optionally `/step`; sets its values in `mask`.
    std::optional<CronError> item(const Token& item, const FieldSpec& field, std::uint64_t& mask) const {
        std::size_t at = 0;
        unsigned low = field.min;
        unsigned high = field.max;
        bool single = false;
        if (item.text[0] == '*') {
            at = 1;
        } else {
            if (auto error = number(item, at, field, low)) return error;
            high = low;
            single = true;
            if (at < item.text.size() && item.text[at] == '-') {
                ++at;
                if (auto error = number(item, at, field, high)) return error;
                single = false;
                if (high < low) {
                    return error_at(item.offset,
                                    "range " + std::to_string(low) + "-" + std::to_string(high) + " runs backwards");
                }
            }
        }
        unsigned step = 1;
        if (at < item.text.size() && item.text[at] == '/') {
            ++at;
            const std::size_t step_at = at;
            const FieldSpec step_field{"step", 1, field.max};
            if (auto error = number(item, at, step_field, step)) {
                if (step_at < item.text.size() && is_digit(item.text[step_at])) {
                    return error_at(item.offset + step_at,
                                    "a " + std::string(field.name) + " step must be 1-" + std::to_string(field.max));
                }
                return error;
            }
            if (single) high = field.max;  // `a/s` runs from a to the field's end
        }
        if (at != item.text.size()) return unexpected(item.offset + at, field);
        for (unsigned value = low; value <= high; value += step)
            mask |= std::uint64_t{1} << value;
        return std::nullopt;
    }

    // A comma list of items into `mask`.
    std::optional<CronError> field(const Token& token, const FieldSpec& spec, std::uint64_t& mask) const {
        std::size_t begin = 0;
        while (true) {
            const std::size_t comma = token.text.find(',', begin);
            const std::size_t end = comma == std::string_view::npos ? token.text.size() : comma;
            if (end == begin) {
                return error_at(token.offset + begin, "empty item in the " + std::string(spec.name) + " list");
            }
            if (auto error = item({token.offset + begin, token.text.substr(begin, end - begin)}, spec, mask)) {
                return error;
            }
            if (comma == std::string_view::npos) return std::nullopt;
            begin = comma + 1;
        }
    }

    std::vector<Token> split() const {
        std::vector<Token> tokens;
        std::size_t at = 0;
        while (at < text.size()) {
            if (is_space(text[at])) {
                ++at;
                continue;
            }
            const std::size_t begin = at;
            while (at < text.size() && !is_space(text[at]))
                ++at;
            tokens.push_back({begin, text.substr(begin, at - begin)});
        }
        return tokens;
    }

    // True when some listed month has some listed day of the month, in some year.
    bool days_fit_months() const {
        for (unsigned month = 1; month <= 12; ++month) {
            if ((schedule.months_ >> month & 1U) == 0) continue;
            // Bits 1..n; 64 bits wide because a 31-day month shifts a one to bit 32.
            const std::uint64_t days_that_exist = (std::uint64_t{1} << (days_in_month_max(month) + 1)) - 2;
            if ((schedule.days_of_month_ & days_that_exist) != 0) return true;
        }
        return false;
    }

    std::optional<CronError> run() {
        const auto tokens = split();
        if (!tokens.empty() && tokens[0].text[0] == '@') {
            return error_at(tokens[0].offset, "macros such as @hourly are not supported; write the five fields");
        }
        if (tokens.size() > kFields.size()) {
            return error_at(tokens[kFields.size()].offset,
                            "more than five fields; expected " + std::string(kFieldList) + " (no seconds or year)");
        }
        if (tokens.size() < kFields.size()) {
            return error_at(text.size(), "only " + std::to_string(tokens.size()) + " of five fields; expected " +
                                             std::string(kFieldList));
        }
        std::array<std::uint64_t, 5> masks{};
        for (std::size_t i = 0; i < kFields.size(); ++i) {
            if (auto error = field(tokens[i], kFields[i], masks[i])) return error;
        }
        schedule.minutes_ = masks[0];
        schedule.hours_ = static_cast<std::uint32_t>(masks[1]);
        schedule.days_of_month_ = static_cast<std::uint32_t>(masks[2]);
        schedule.months_ = static_cast<std::uint16_t>(masks[3]);
        const std::uint64_t sunday_as_seven = masks[4] >> 7 & 1U;
        schedule.weekdays_ = static_cast<std::uint8_t>((masks[4] | sunday_as_seven) & 0x7fU);
        schedule.day_of_month_star_ = tokens[2].text[0] == '*';
        schedule.weekday_star_ = tokens[4].text[0] == '*';
        // With day-of-week unrestricted, the day rule needs the day of the month to exist; a
        // `*` day-of-month always includes the 1st, and a restricted day-of-week alone fires.
        if (!schedule.day_of_month_star_ && schedule.weekday_star_ && !days_fit_months()) {
            return error_at(tokens[2].offset,
                            "the day-of-month never falls in the months listed, so the schedule never fires");
        }
        for (const auto& token : tokens) {
            if (!schedule.text_.empty()) schedule.text_.push_back(' ');
            schedule.text_.append(token.text);
        }
        return std::nullopt;
    }
};

CronResult CronSchedule::parse(std::string_view text) {
    if (text.size() > kCronTextBytesMax) {
        return CronError{kCronTextBytesMax, "cron schedule is " + std::to_string(text.size()) + " bytes; at most " +
                                                std::to_string(kCronTextBytesMax)};
    }
    CronParser parser{text, CronSchedule()};
    if (auto error = parser.run()) return std::move(*error);
    return std::move(parser.schedule);
}

bool CronSchedule::fires_on_day(unsigned month, unsigned day_of_month, unsigned weekday) const {
    if (month > 12 || day_of_month > 31 || weekday > 6) return false;
    if ((months_ >> month & 1U) == 0) return false;
    const bool day_hit = (days_of_month_ >> day_of_month & 1U) != 0;
    const bool weekday_hit = (weekdays_ >> weekday & 1U) != 0;
    if (day_of_month_star_ || weekday_star_) return day_hit && weekday_hit;
    return day_hit || weekday_hit;
}

std::optional<Millis> CronSchedule::next_after(Millis after_ms, int utc_offset_minutes) const {
    using namespace std::chrono;
    BARRAGE_ASSERT(utc_offset_minutes >= kUtcOffsetMinutesMin && utc_offset_minutes <= kUtcOffsetMinutesMax);
    if (after_ms < kFirstMs || after_ms >= kEndMs) return std::nullopt;
    const Millis offset_ms = Millis{utc_offset_minutes} * kMinuteMs;
    // Local minutes since the epoch: the first whole minute strictly after `after_ms`.
    const std::int64_t first_minute = floor_div(after_ms + offset_ms, kMinuteMs) + 1;
    sys_days day{days{floor_div(first_minute, kDayMinutes)}};
    auto from_minute = static_cast<unsigned>(first_minute - floor_div(first_minute, kDayMinutes) * kDayMinutes);
    const year last_year = year_month_day{day}.year() + years{kCronSearchYears};
    // Each pass moves on a day or a month and the year bound ends it: at most
    // kCronSearchYears * 366 passes.
    while (true) {
        const year_month_day date{day};
        if (date.year() > last_year) return std::nullopt;
        const auto month_number = static_cast<unsigned>(date.month());
        if ((months_ >> month_number & 1U) == 0) {
            day = sys_days{(date.year() / date.month() + months{1}) / 1};
            from_minute = 0;
            continue;
        }
        if (fires_on_day(month_number, static_cast<unsigned>(date.day()), weekday{day}.c_encoding())) {
            const unsigned hour_from = from_minute / 60;
            std::optional<unsigned> hour = next_bit(hours_, hour_from);
            std::optional<unsigned> minute;
            if (hour && *hour == hour_from) minute = next_bit(minutes_, from_minute % 60);
            if (hour && !minute) {
                if (*hour == hour_from) hour = next_bit(hours_, hour_from + 1);
                if (hour) minute = next_bit(minutes_, 0);
            }
            if (hour && minute) {
                return days_ms(day) + Millis{*hour * 60 + *minute} * kMinuteMs - offset_ms;
            }
        }
        day += days{1};
        from_minute = 0;
    }
}

}  // namespace barrage::bot
