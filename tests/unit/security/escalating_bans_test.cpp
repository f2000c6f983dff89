#include "security/escalating_bans.h"

#include <algorithm>
#include <iterator>

#include <gtest/gtest.h>

namespace barrage::security {
namespace {

constexpr Millis kMinute = 60'000;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;

TEST(EscalatingBans, TheFirstBanLastsTheFirstStepAndThenEnds) {
    FakeClock clock;
    EscalatingBans bans({}, clock);
    const Millis start = clock.steady_ms();
    auto ban = bans.ban("a", "over 1/s");
    ASSERT_TRUE(ban);
    EXPECT_EQ(ban->level, 1U);
    EXPECT_EQ(ban->until_ms, start + kMinute);
    EXPECT_EQ(ban->reason, "over 1/s");
    clock.advance_ms(kMinute - 1);
    EXPECT_TRUE(bans.active("a"));
    EXPECT_FALSE(bans.active("b"));
    clock.advance_ms(1);
    EXPECT_FALSE(bans.active("a")) << "a ban ends on its time";
    EXPECT_EQ(bans.active_count(), 0U);
}

TEST(EscalatingBans, EveryRepeatWithinTheWindowClimbsTheLadderUpToItsLastStep) {
    FakeClock clock;
    EscalatingBans bans({}, clock);
    const Millis expected[] = {kMinute, 10 * kMinute, kHour, kDay, kDay};
    for (std::size_t i = 0; i < std::size(expected); ++i) {
        const Millis now = clock.steady_ms();
        auto ban = bans.ban("a", "again");
        ASSERT_TRUE(ban) << i;
        EXPECT_EQ(ban->level, std::min<std::size_t>(i + 1, 4)) << i;
        EXPECT_EQ(ban->until_ms - now, expected[i]) << i;
        clock.advance_ms(expected[i] + 5 * kMinute);  // ended, and back within minutes
    }
}

TEST(EscalatingBans, AskingAgainDuringABanNeitherLengthensNorClimbs) {
    FakeClock clock;
    EscalatingBans bans({}, clock);
    auto first = bans.ban("a", "one");
    clock.advance_ms(1000);
    auto again = bans.ban("a", "two");
    ASSERT_TRUE(first && again);
    EXPECT_EQ(again->level, 1U);
    EXPECT_EQ(again->until_ms, first->until_ms);
    EXPECT_EQ(again->id, first->id);
}

TEST(EscalatingBans, AKeyQuietForTheWholeWindowStartsAgainAtTheFirstStep) {
    FakeClock clock;
    EscalatingBans bans({.steps_ms = {kMinute, kHour}, .repeat_window_ms = kDay}, clock);
    ASSERT_TRUE(bans.ban("a", "x"));
    clock.advance_ms(kMinute + kDay - 1);
    EXPECT_EQ(bans.ban("a", "x")->level, 2U) << "one millisecond inside the window is a repeat";
    clock.advance_ms(kHour + kDay);
    EXPECT_EQ(bans.ban("a", "x")->level, 1U);
}

TEST(EscalatingBans, ListsRunningBansSoonestFirstAndLiftsOneByItsId) {
    FakeClock clock;
    EscalatingBans bans({}, clock);
    auto a = bans.ban("a", "x");
    clock.advance_ms(kMinute + 1);  // a's first ban is over
    a = bans.ban("a", "x");         // level 2: ten minutes
    auto b = bans.ban("b", "y");    // level 1: one minute
    ASSERT_TRUE(a && b);
    auto listed = bans.list();
    ASSERT_EQ(listed.size(), 2U);
    EXPECT_EQ(listed[0].key, "b");
    EXPECT_EQ(listed[1].key, "a");
    EXPECT_NE(a->id, b->id);

    EXPECT_TRUE(bans.lift(a->id));
    EXPECT_FALSE(bans.active("a"));
    EXPECT_FALSE(bans.lift(a->id)) << "a lifted ban is no longer running";
    EXPECT_FALSE(bans.lift(12345));
    EXPECT_EQ(bans.active_count(), 1U);
    EXPECT_EQ(bans.ban("a", "x")->level, 3U) << "a pardon is not a clean record";
}

TEST(EscalatingBans, WhenFullOfRunningBansANewOneIsNotRecordedAndEndedOnesMakeRoom) {
    FakeClock clock;
    EscalatingBans bans({.keys_max = 2}, clock);
    ASSERT_TRUE(bans.ban("a", "x"));
    clock.advance_ms(1000);
    ASSERT_TRUE(bans.ban("b", "x"));
    EXPECT_FALSE(bans.ban("c", "x")) << "both records are running bans";
    EXPECT_EQ(bans.tracked_keys(), 2U);
    EXPECT_TRUE(bans.active("a") && bans.active("b")) << "running bans are never dropped";
    clock.advance_ms(kMinute - 1000);  // a's ban is over, b's is not
    auto c = bans.ban("c", "x");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->level, 1U);
    EXPECT_EQ(bans.tracked_keys(), 2U);
    EXPECT_TRUE(bans.active("b"));
}

TEST(EscalatingBans, RecordsPastTheWindowAreForgottenFirst) {
    FakeClock clock;
    EscalatingBans bans({.repeat_window_ms = kHour, .keys_max = 1}, clock);
    ASSERT_TRUE(bans.ban("a", "x"));
    clock.advance_ms(kMinute + kHour);
    EXPECT_TRUE(bans.ban("b", "x"));
    EXPECT_EQ(bans.tracked_keys(), 1U);
}

}  // namespace
}  // namespace barrage::security
