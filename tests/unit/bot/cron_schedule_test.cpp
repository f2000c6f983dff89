#include "bot/cron_schedule.h"

#include <chrono>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace barrage::bot {
namespace {

// Unix ms of a UTC date and time.
Millis at(int y, unsigned m, unsigned d, int hour = 0, int minute = 0) {
    using namespace std::chrono;
    const auto date = sys_days{year{y} / month{m} / day{d}};
    return (static_cast<Millis>(date.time_since_epoch().count()) * 1440 + hour * 60 + minute) * 60'000;
}

CronSchedule cron(std::string_view text) {
    auto parsed = CronSchedule::parse(text);
    EXPECT_TRUE(parsed) << text << ": " << (parsed ? "" : parsed.error().message);
    return parsed.value();
}

std::optional<Millis> next(std::string_view text, Millis after_ms, int utc_offset_minutes = 0) {
    return cron(text).next_after(after_ms, utc_offset_minutes);
}

// The minutes of 2024-01-01 00:xx UTC on which `text` fires.
std::set<int> minutes_of_first_hour(std::string_view text) {
    const auto schedule = cron(text);
    std::set<int> minutes;
    Millis cursor = at(2024, 1, 1) - 1;
    for (int guard = 0; guard < 61; ++guard) {
        const auto fired = schedule.next_after(cursor, 0);
        if (!fired || *fired >= at(2024, 1, 1, 1)) break;
        minutes.insert(static_cast<int>((*fired - at(2024, 1, 1)) / 60'000));
        cursor = *fired;
    }
    return minutes;
}

CronError refusal(std::string_view text) {
    auto parsed = CronSchedule::parse(text);
    EXPECT_FALSE(parsed) << text << " parsed";
    return parsed ? CronError{} : parsed.error();
}

TEST(CronSchedule, StarFiresOnTheNextWholeMinuteStrictlyAfter) {
    EXPECT_EQ(next("* * * * *", at(2024, 1, 1, 12, 0) + 30'000), at(2024, 1, 1, 12, 1));
    EXPECT_EQ(next("* * * * *", at(2024, 1, 1, 12, 0)), at(2024, 1, 1, 12, 1));
    EXPECT_EQ(next("* * * * *", at(2024, 1, 1, 12, 0) - 1), at(2024, 1, 1, 12, 0));
}

TEST(CronSchedule, AcceptsEveryFieldForm) {
    EXPECT_EQ(minutes_of_first_hour("5 * * * *"), (std::set<int>{5}));
    EXPECT_EQ(minutes_of_first_hour("10-12 * * * *"), (std::set<int>{10, 11, 12}));
    EXPECT_EQ(minutes_of_first_hour("*/20 * * * *"), (std::set<int>{0, 20, 40}));
    EXPECT_EQ(minutes_of_first_hour("30-40/5 * * * *"), (std::set<int>{30, 35, 40}));
    EXPECT_EQ(minutes_of_first_hour("50/3 * * * *"), (std::set<int>{50, 53, 56, 59}));
    EXPECT_EQ(minutes_of_first_hour("1,3-4,*/30,57/2 * * * *"), (std::set<int>{0, 1, 3, 4, 30, 57, 59}));
    EXPECT_EQ(minutes_of_first_hour("07 * * * *"), (std::set<int>{7}));
    EXPECT_EQ(minutes_of_first_hour("0-59/1 * * * *").size(), 60u);
}

TEST(CronSchedule, HourAndMonthFieldsStepAcrossTheDayAndYear) {
    EXPECT_EQ(next("0 */6 * * *", at(2024, 1, 1, 1, 0)), at(2024, 1, 1, 6, 0));
    EXPECT_EQ(next("0 */6 * * *", at(2024, 1, 1, 18, 0)), at(2024, 1, 2, 0, 0));
    EXPECT_EQ(next("15 9-17/4 * * *", at(2024, 1, 1, 9, 15)), at(2024, 1, 1, 13, 15));
    EXPECT_EQ(next("0 0 1 */3 *", at(2024, 1, 1)), at(2024, 4, 1));
    EXPECT_EQ(next("0 0 1 */3 *", at(2024, 10, 1)), at(2025, 1, 1));
}

TEST(CronSchedule, CrossesMonthAndYearEnds) {
    EXPECT_EQ(next("0 0 1 1 *", at(2024, 6, 1)), at(2025, 1, 1));
    EXPECT_EQ(next("59 23 31 12 *", at(2024, 12, 31, 23, 59)), at(2025, 12, 31, 23, 59));
    EXPECT_EQ(next("* * * * *", at(2024, 12, 31, 23, 59)), at(2025, 1, 1, 0, 0));
    // Months without a 31st are skipped.
    EXPECT_EQ(next("0 0 31 * *", at(2024, 1, 31)), at(2024, 3, 31));
    EXPECT_EQ(next("0 0 31 * *", at(2024, 3, 31)), at(2024, 5, 31));
    EXPECT_EQ(next("0 0 30 * *", at(2023, 1, 30)), at(2023, 3, 30));
}

TEST(CronSchedule, FebruaryTwentyNinthFiresOnlyInLeapYears) {
    EXPECT_EQ(next("0 0 29 2 *", at(2023, 1, 1)), at(2024, 2, 29));
    EXPECT_EQ(next("0 0 29 2 *", at(2024, 3, 1)), at(2028, 2, 29));
    // 2100 is not a leap year.
    EXPECT_EQ(next("0 0 29 2 *", at(2096, 3, 1)), at(2104, 2, 29));
}

TEST(CronSchedule, SundayIsZeroAndSeven) {
    // 2024-01-01 is a Monday.
    EXPECT_EQ(next("0 0 * * 0", at(2024, 1, 1)), at(2024, 1, 7));
    EXPECT_EQ(next("0 0 * * 7", at(2024, 1, 1)), at(2024, 1, 7));
    EXPECT_EQ(next("0 0 * * 6-7", at(2024, 1, 6)), at(2024, 1, 7));
    EXPECT_EQ(next("0 0 * * 0-7", at(2024, 1, 1)), at(2024, 1, 2));
    EXPECT_EQ(next("0 0 * * 1-5", at(2024, 1, 5)), at(2024, 1, 8));
}

TEST(CronSchedule, RestrictedDayOfMonthAndWeekdayFireOnEither) {
    // Vixie cron: the 13th or any Friday. 2024-01-05 and 01-12 are Fridays, 01-13 a Saturday.
    EXPECT_EQ(next("0 0 13 * 5", at(2024, 1, 1)), at(2024, 1, 5));
    EXPECT_EQ(next("0 0 13 * 5", at(2024, 1, 12)), at(2024, 1, 13));
    EXPECT_EQ(next("0 0 13 * 5", at(2024, 1, 13)), at(2024, 1, 19));
    const auto schedule = cron("0 0 13 * 5");
    EXPECT_TRUE(schedule.fires_on_day(1, 13, 6));
    EXPECT_TRUE(schedule.fires_on_day(1, 5, 5));
    EXPECT_FALSE(schedule.fires_on_day(1, 6, 6));
}

TEST(CronSchedule, AStarredDayFieldMakesBothRequired) {
    EXPECT_EQ(next("0 0 13 * *", at(2024, 1, 1)), at(2024, 1, 13));
    EXPECT_EQ(next("0 0 * * 5", at(2024, 1, 1)), at(2024, 1, 5));
    // `*/2` starts with `*`, so (as in Vixie cron) it does not widen: odd days that are Mondays.
    // 2024-01-08 is a Monday but even; 2024-01-15 is a Monday and odd.
    EXPECT_EQ(next("0 0 */2 * 1", at(2024, 1, 1)), at(2024, 1, 15));
    EXPECT_FALSE(cron("0 0 */2 * 1").fires_on_day(1, 8, 1));
}

TEST(CronSchedule, ReadsFieldsOnTheLocalClock) {
    // 20:00 in China (UTC+8) is 12:00 UTC.
    EXPECT_EQ(next("0 20 * * *", at(2024, 1, 1), 480), at(2024, 1, 1, 12, 0));
    EXPECT_EQ(next("0 20 * * *", at(2024, 1, 1, 12, 0), 480), at(2024, 1, 2, 12, 0));
    // Local midnight at UTC-5 is 05:00 UTC.
    EXPECT_EQ(next("0 0 * * *", at(2024, 1, 1), -300), at(2024, 1, 1, 5, 0));
    // Monday 01:00 at UTC+8 is Sunday 17:00 UTC; the weekday is the local one.
    EXPECT_EQ(next("0 1 * * 1", at(2024, 1, 2), 480), at(2024, 1, 7, 17, 0));
    // A half-hour zone: 00:30 at UTC+5:30 is 19:00 UTC the day before.
    EXPECT_EQ(next("30 0 * * *", at(2024, 1, 1), 330), at(2024, 1, 1, 19, 0));
    // The local new year at UTC+14 comes before UTC's.
    EXPECT_EQ(next("0 0 1 1 *", at(2024, 6, 1), 840), at(2024, 12, 31, 10, 0));
}

TEST(CronSchedule, GivesUpPastTheSearchBound) {
    // Feb 29 on a Sunday (`*/7` is Sunday only, and starred, so both rules apply): 2032 is
    // within reach of 2005; after 2088 the next is 2128, past kCronSearchYears.
    EXPECT_EQ(next("0 0 29 2 */7", at(2005, 1, 1)), at(2032, 2, 29));
    EXPECT_EQ(next("0 0 29 2 */7", at(2088, 3, 1)), std::nullopt);
    // Outside years 1..9999.
    EXPECT_EQ(next("* * * * *", at(10000, 1, 1)), std::nullopt);
    EXPECT_EQ(next("* * * * *", at(0, 12, 31)), std::nullopt);
    EXPECT_EQ(next("* * * * *", at(1960, 1, 1)), at(1960, 1, 1, 0, 1));
}

TEST(CronSchedule, TextIsTrimmedWithSingleSpaces) {
    EXPECT_EQ(cron("  */5   *\t* * *\n").text(), "*/5 * * * *");
}

TEST(CronSchedule, RefusesWrongFieldCounts) {
    EXPECT_EQ(refusal("").position, 0u);
    EXPECT_EQ(refusal("* * * *").position, 7u);
    const auto six = refusal("* * * * * *");
    EXPECT_EQ(six.position, 10u);
    EXPECT_NE(six.message.find("more than five"), std::string::npos);
}

TEST(CronSchedule, RefusesValuesOutOfRangeWithTheirPosition) {
    EXPECT_EQ(refusal("60 * * * *").position, 0u);
    EXPECT_EQ(refusal("* 24 * * *").position, 2u);
    EXPECT_EQ(refusal("* * 0 * *").position, 4u);
    EXPECT_EQ(refusal("* * 32 * *").position, 4u);
    EXPECT_EQ(refusal("* * * 0 *").position, 6u);
    EXPECT_EQ(refusal("* * * 13 *").position, 6u);
    EXPECT_EQ(refusal("* * * * 8").position, 8u);
    EXPECT_EQ(refusal("1,99999999999999999999 * * * *").position, 2u);
    EXPECT_NE(refusal("60 * * * *").message.find("minute 0-59"), std::string::npos);
}

TEST(CronSchedule, RefusesBackwardRangesAndBadSteps) {
    EXPECT_EQ(refusal("5-1 * * * *").position, 0u);
    EXPECT_EQ(refusal("*/0 * * * *").position, 2u);
    EXPECT_EQ(refusal("*/60 * * * *").position, 2u);
    EXPECT_EQ(refusal("* */24 * * *").position, 4u);
    EXPECT_EQ(refusal("* * * * */8").position, 10u);
    EXPECT_EQ(refusal("*/ * * * *").position, 2u);
    EXPECT_EQ(refusal("1- * * * *").position, 2u);
    EXPECT_EQ(refusal("-5 * * * *").position, 0u);
    EXPECT_EQ(refusal("1,,2 * * * *").position, 2u);
    EXPECT_EQ(refusal("1, * * * *").position, 2u);
    EXPECT_EQ(refusal("*5 * * * *").position, 1u);
    EXPECT_EQ(refusal("1/2/3 * * * *").position, 3u);
    EXPECT_NE(refusal("*/0 * * * *").message.find("step"), std::string::npos);
}

TEST(CronSchedule, RefusesNamesMacrosAndQuartzForms) {
    EXPECT_NE(refusal("* * * JAN *").message.find("names"), std::string::npos);
    EXPECT_EQ(refusal("* * * JAN *").position, 6u);
    EXPECT_EQ(refusal("* * * * MON").position, 8u);
    EXPECT_EQ(refusal("* * * * 1-FRI").position, 10u);
    const auto macro = refusal("  @daily");
    EXPECT_EQ(macro.position, 2u);
    EXPECT_NE(macro.message.find("@hourly"), std::string::npos);
    EXPECT_NE(refusal("* * ? * *").message.find("Quartz"), std::string::npos);
    EXPECT_EQ(refusal("* * ? * *").position, 4u);
    EXPECT_EQ(refusal("* * L * *").position, 4u);
    EXPECT_NE(refusal("* * 15W * *").message.find("Quartz"), std::string::npos);
    EXPECT_EQ(refusal("* * 15W * *").position, 6u);
    EXPECT_EQ(refusal("* * * * 5#3").position, 9u);
    EXPECT_EQ(refusal("* * * * 5L").position, 9u);
}

TEST(CronSchedule, RefusesDaysThatNeverComeInTheirMonths) {
    const auto february = refusal("0 0 31 2 *");
    EXPECT_EQ(february.position, 4u);
    EXPECT_NE(february.message.find("never"), std::string::npos);
    EXPECT_EQ(refusal("0 0 30 2 *").position, 4u);
    EXPECT_EQ(refusal("0 0 31 4,6,9,11 *").position, 4u);
    // One possible pairing is enough; a restricted weekday fires alone under the OR rule.
    EXPECT_TRUE(CronSchedule::parse("0 0 31 2,3 *"));
    EXPECT_TRUE(CronSchedule::parse("0 0 20 1 *"));
    EXPECT_TRUE(CronSchedule::parse("0 0 31 12 *"));
    EXPECT_TRUE(CronSchedule::parse("0 0 30,1 2 *"));
    EXPECT_TRUE(CronSchedule::parse("0 0 30 2 1"));
    EXPECT_EQ(next("0 0 30 2 1", at(2024, 1, 1)), at(2024, 2, 5));
}

TEST(CronSchedule, BoundsTheTextLength) {
    std::string longest = "* * * * *";
    longest.resize(kCronTextBytesMax, ' ');
    EXPECT_TRUE(CronSchedule::parse(longest));
    longest.push_back(' ');
    EXPECT_EQ(refusal(longest).position, kCronTextBytesMax);
}

TEST(CronSchedule, ValueOnARefusalThrowsWithTheMessage) {
    EXPECT_THROW(CronSchedule::parse("* * * * MON").value(), std::invalid_argument);
}

}  // namespace
}  // namespace barrage::bot
