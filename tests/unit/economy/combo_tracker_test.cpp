#include "economy/combo_tracker.h"

#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

constexpr UserId kAlice{1};
constexpr UserId kBob{2};
constexpr std::uint64_t kGiftA = 31036;
constexpr std::uint64_t kGiftB = 31039;

ComboTracker::Options options(Millis window_ms = 3000, std::size_t entries_max = 100) {
    return {.window_ms = window_ms, .entries_max = entries_max};
}

TEST(ComboTracker, MergesSameGiftWithinWindow) {
    FakeClock clock;
    ComboTracker tracker(options(), clock);
    const ComboHit first = tracker.hit(kAlice, kGiftA, 1);
    EXPECT_NE(first.combo_id, 0U);
    EXPECT_EQ(first.combo_count, 1U);
    EXPECT_EQ(first.combo_total, 1U);

    clock.advance_ms(1000);
    const ComboHit second = tracker.hit(kAlice, kGiftA, 10);
    EXPECT_EQ(second, (ComboHit{first.combo_id, 2, 11}));

    clock.advance_ms(3000);  // exactly the window after the previous hit: still the streak
    const ComboHit third = tracker.hit(kAlice, kGiftA, 5);
    EXPECT_EQ(third, (ComboHit{first.combo_id, 3, 16}));
}

TEST(ComboTracker, TotalsFollowTheLedgersGiftNumbersWhenHitsArriveOutOfCommitOrder) {
    FakeClock clock;
    ComboTracker tracker(options(), clock);
    // A user's 10 single gifts committed as numbers 11..20 (10 were sent earlier, in another
    // streak), reaching the home thread in another order: the totals follow the numbers.
    const std::uint64_t arrival[] = {11, 16, 17, 18, 19, 20, 12, 13, 14, 15};
    std::uint64_t combo_id = 0;
    for (std::size_t i = 0; i < std::size(arrival); ++i) {
        const ComboHit hit = tracker.hit(kAlice, kGiftA, 1, arrival[i]);
        combo_id = combo_id == 0 ? hit.combo_id : combo_id;
        EXPECT_EQ(hit.combo_id, combo_id);
        EXPECT_EQ(hit.combo_count, i + 1) << "hits still count in arrival order";
        EXPECT_EQ(hit.combo_total, arrival[i] - 10) << i;
    }
    // A hit committed before the streak's first one counts only itself.
    ComboTracker late(options(), clock);
    (void)late.hit(kBob, kGiftA, 1, 5);
    EXPECT_EQ(late.hit(kBob, kGiftA, 1, 4).combo_total, 1U);
    // Without numbers, arrival order.
    EXPECT_EQ(late.hit(kBob, kGiftB, 2).combo_total, 2U);
    EXPECT_EQ(late.hit(kBob, kGiftB, 3).combo_total, 5U);
}

TEST(ComboTracker, WindowPlusOneMillisecondStartsNewCombo) {
    FakeClock clock;
    ComboTracker tracker(options(), clock);
    const ComboHit first = tracker.hit(kAlice, kGiftA, 1);
    clock.advance_ms(3001);
    const ComboHit second = tracker.hit(kAlice, kGiftA, 1);
    EXPECT_NE(second.combo_id, first.combo_id);
    EXPECT_EQ(second.combo_count, 1U);
    EXPECT_EQ(second.combo_total, 1U);
}

TEST(ComboTracker, WindowSlidesFromTheLatestHit) {
    FakeClock clock;
    ComboTracker tracker(options(), clock);
    const std::uint64_t id = tracker.hit(kAlice, kGiftA, 1).combo_id;
    for (std::uint32_t count = 2; count <= 20; ++count) {
        clock.advance_ms(2500);
        const ComboHit hit = tracker.hit(kAlice, kGiftA, 1);
        EXPECT_EQ(hit, (ComboHit{id, count, count}));
    }
}

TEST(ComboTracker, DifferentGiftOrUserMakesSeparateCombos) {
    FakeClock clock;
    ComboTracker tracker(options(), clock);
    const ComboHit alice_a = tracker.hit(kAlice, kGiftA, 1);
    const ComboHit alice_b = tracker.hit(kAlice, kGiftB, 1);
    const ComboHit bob_a = tracker.hit(kBob, kGiftA, 1);
    EXPECT_EQ(alice_b.combo_count, 1U);
    EXPECT_EQ(bob_a.combo_count, 1U);
    EXPECT_NE(alice_a.combo_id, alice_b.combo_id);
    EXPECT_NE(alice_a.combo_id, bob_a.combo_id);
    EXPECT_NE(alice_b.combo_id, bob_a.combo_id);
    EXPECT_EQ(tracker.hit(kAlice, kGiftA, 2), (ComboHit{alice_a.combo_id, 2, 3}));
    EXPECT_EQ(tracker.size(), 3U);
}

// Seed 003, case 3: A1, 1 s later B1, 1 s later A2, 1.5 s later B2. Each gift streaks on its
// own although the other came in between: with our 3 s window A2 continues A1 and B2
// continues B1.
TEST(ComboTracker, InterleavedGiftsFromSeed003FormTwoCombos) {
    FakeClock clock;
    ComboTracker tracker(options(3000), clock);
    const ComboHit a1 = tracker.hit(kAlice, kGiftA, 1);
    clock.advance_ms(1000);
    const ComboHit b1 = tracker.hit(kAlice, kGiftB, 1);
    clock.advance_ms(1000);
    const ComboHit a2 = tracker.hit(kAlice, kGiftA, 1);
    clock.advance_ms(1500);
    const ComboHit b2 = tracker.hit(kAlice, kGiftB, 1);
    EXPECT_EQ(a2, (ComboHit{a1.combo_id, 2, 2}));
    EXPECT_EQ(b2, (ComboHit{b1.combo_id, 2, 2}));
    EXPECT_NE(a1.combo_id, b1.combo_id);
}

// The same sends with the seed's own 2 s window: A2 is exactly 2 s after A1 ("不越过2s", so
// still a combo), but B2 comes 2.5 s after B1 and starts over.
TEST(ComboTracker, InterleavedGiftsWithTheSeedsTwoSecondWindow) {
    FakeClock clock;
    ComboTracker tracker(options(2000), clock);
    const ComboHit a1 = tracker.hit(kAlice, kGiftA, 1);
    clock.advance_ms(1000);
    const ComboHit b1 = tracker.hit(kAlice, kGiftB, 1);
    clock.advance_ms(1000);
    const ComboHit a2 = tracker.hit(kAlice, kGiftA, 1);
    clock.advance_ms(1500);
    const ComboHit b2 = tracker.hit(kAlice, kGiftB, 1);
    EXPECT_EQ(a2, (ComboHit{a1.combo_id, 2, 2}));
    EXPECT_NE(b2.combo_id, b1.combo_id);
    EXPECT_EQ(b2.combo_count, 1U);
}

// Seed 003, case 4: A1, B1, A2, B2 two seconds apart each. A2 is 4 s after A1, past the 2 s
// window, so every send is its own combo of one ("送了1个", never "送了2个").
TEST(ComboTracker, SendsSpacedPastTheWindowFromSeed003AreSingleCombos) {
    FakeClock clock;
    ComboTracker tracker(options(2000), clock);
    std::set<std::uint64_t> ids;
    for (const std::uint64_t gift : {kGiftA, kGiftB, kGiftA, kGiftB}) {
        const ComboHit hit = tracker.hit(kAlice, gift, 1);
        EXPECT_EQ(hit.combo_count, 1U);
        EXPECT_EQ(hit.combo_total, 1U);
        ids.insert(hit.combo_id);
        clock.advance_ms(2000);
    }
    EXPECT_EQ(ids.size(), 4U);
}

TEST(ComboTracker, IdsAreUniqueAndSafeForJavaScript) {
    FakeClock clock;
    ComboTracker tracker(options(3000, 100'000), clock);
    std::set<std::uint64_t> ids;
    for (std::uint64_t user = 1; user <= 5000; ++user) {
        const ComboHit hit = tracker.hit(UserId{user}, kGiftA, 1);
        EXPECT_NE(hit.combo_id, 0U);
        EXPECT_LT(hit.combo_id, std::uint64_t{1} << 53U);
        ids.insert(hit.combo_id);
    }
    EXPECT_EQ(ids.size(), 5000U);
}

TEST(ComboTracker, DropsExpiredEntries) {
    FakeClock clock;
    ComboTracker tracker(options(), clock);
    for (std::uint64_t user = 1; user <= 50; ++user) {
        tracker.hit(UserId{user}, kGiftA, 1);
    }
    EXPECT_EQ(tracker.size(), 50U);
    clock.advance_ms(3001);
    tracker.hit(kAlice, kGiftB, 1);
    EXPECT_EQ(tracker.size(), 1U);
}

TEST(ComboTracker, PastEntriesMaxForgetsTheOldestStreak) {
    FakeClock clock;
    ComboTracker tracker(options(3000, 3), clock);
    const ComboHit first = tracker.hit(UserId{1}, kGiftA, 1);
    clock.advance_ms(10);
    const ComboHit second = tracker.hit(UserId{2}, kGiftA, 1);
    clock.advance_ms(10);
    tracker.hit(UserId{3}, kGiftA, 1);
    clock.advance_ms(10);
    tracker.hit(UserId{4}, kGiftA, 1);  // evicts user 1, the oldest
    EXPECT_EQ(tracker.size(), 3U);

    // User 2 still streaks; user 1 was forgotten and starts over (evicting user 3 now, since
    // user 2's hit just made it the newest).
    EXPECT_EQ(tracker.hit(UserId{2}, kGiftA, 1), (ComboHit{second.combo_id, 2, 2}));
    const ComboHit again = tracker.hit(UserId{1}, kGiftA, 1);
    EXPECT_NE(again.combo_id, first.combo_id);
    EXPECT_EQ(again.combo_count, 1U);
    EXPECT_EQ(tracker.size(), 3U);
    EXPECT_EQ(tracker.hit(UserId{3}, kGiftA, 1).combo_count, 1U);
}

TEST(ComboTracker, StaysWithinEntriesMaxUnderAFlood) {
    FakeClock clock;
    ComboTracker tracker(options(3000, 64), clock);
    for (std::uint64_t user = 1; user <= 10'000; ++user) {
        tracker.hit(UserId{user}, user % 7, 1);
        EXPECT_LE(tracker.size(), 64U);
    }
}

TEST(ComboTrackerDeathTest, AssertsItsOwnerThread) {
    FakeClock clock;
    ComboTracker tracker(options(), clock);
    tracker.hit(kAlice, kGiftA, 1);
    EXPECT_DEATH(std::thread([&] { tracker.hit(kBob, kGiftA, 1); }).join(), "owner_");
}

}  // namespace
}  // namespace barrage::economy
