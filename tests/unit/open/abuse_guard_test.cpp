#include "open/abuse_guard.h"

#include <gtest/gtest.h>

namespace barrage::open {
namespace {

constexpr Millis kMinute = 60'000;

AbuseGuard::Options small() {
    AbuseGuard::Options options;
    options.app = {.per_second = 1, .burst = 3};
    options.address = {.per_second = 1, .burst = 5};
    options.code = {.per_second = 1, .burst = 2};
    options.wrong_code_app = {.per_second = 1.0 / 60, .burst = 3};
    options.wrong_code_address = {.per_second = 1.0 / 60, .burst = 4};
    return options;
}

TEST(AbuseGuard, AnAddressPastItsBurstIsBannedAndTheMessageSaysUntilWhen) {
    FakeClock clock(1'700'000'000'000);  // 2023-11-14T22:13:20Z
    AbuseGuard guard(small(), clock);
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(guard.admit_address("10.0.0.1")) << i;
    }
    auto refused = guard.admit_address("10.0.0.1");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->kind, LimitKind::address);
    EXPECT_EQ(refused->cause, RefusalCause::limit);
    EXPECT_NE(refused->message.find("banned until 2023-11-14T22:14:20Z"), std::string::npos) << refused->message;
    EXPECT_FALSE(guard.admit_address("10.0.0.2")) << "another address has its own bucket";

    clock.advance_ms(30'000);  // the bucket is full again, the ban runs on
    refused = guard.admit_address("10.0.0.1");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->cause, RefusalCause::ban);
    clock.advance_ms(30'000);
    EXPECT_FALSE(guard.admit_address("10.0.0.1")) << "the first ban lasts a minute";
}

TEST(AbuseGuard, ARepeatWithinTheWindowIsBannedLonger) {
    FakeClock clock;
    AbuseGuard guard(small(), clock);
    const auto exhaust = [&] {
        for (int i = 0; i < 3; ++i) {
            EXPECT_FALSE(guard.admit_app("key")) << i;
        }
        return guard.admit_app("key");
    };
    ASSERT_TRUE(exhaust());
    EXPECT_TRUE(guard.check_app_ban("key"));
    clock.advance_ms(kMinute);
    EXPECT_FALSE(guard.check_app_ban("key"));
    auto second = exhaust();
    ASSERT_TRUE(second);
    EXPECT_NE(second->message.find("ban 2 in a row"), std::string::npos) << second->message;
    clock.advance_ms(10 * kMinute - 1);
    EXPECT_TRUE(guard.check_app_ban("key")) << "the second ban lasts ten minutes";
    clock.advance_ms(1);
    EXPECT_FALSE(guard.check_app_ban("key"));
    ASSERT_EQ(guard.counters().bans_issued[static_cast<std::size_t>(LimitKind::app)], 2U);
}

TEST(AbuseGuard, WrongCodesSpreadOverAppsAreCaughtByAddressAndOverAddressesByApp) {
    FakeClock clock;
    AbuseGuard guard(small(), clock);
    // One address, a new app each time: the address's four run out.
    for (int i = 0; i < 4; ++i) {
        EXPECT_FALSE(guard.wrong_code("app" + std::to_string(i), "10.0.0.1")) << i;
    }
    auto refused = guard.wrong_code("app9", "10.0.0.1");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->kind, LimitKind::wrong_code_address);
    EXPECT_TRUE(guard.check_start("another-app", "10.0.0.1")) << "the address's starts are held back";
    EXPECT_FALSE(guard.check_app_ban("another-app")) << "but not its other calls";

    // One app, a new address each time: the app's three run out.
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(guard.wrong_code("guesser", "10.1.0." + std::to_string(i))) << i;
    }
    refused = guard.wrong_code("guesser", "10.1.0.9");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->kind, LimitKind::wrong_code_app);
    EXPECT_TRUE(guard.check_start("guesser", "10.2.0.1")) << "even the right code, from anywhere";
}

TEST(AbuseGuard, AnIdentityCodeStartedTooOftenIsBannedAndListedByItsFirstFourCharacters) {
    FakeClock clock;
    AbuseGuard guard(small(), clock);
    EXPECT_FALSE(guard.admit_code("ABCDEFGHIJKLMN"));
    EXPECT_FALSE(guard.admit_code("ABCDEFGHIJKLMN"));
    ASSERT_TRUE(guard.admit_code("ABCDEFGHIJKLMN"));
    auto bans = guard.bans();
    ASSERT_EQ(bans.size(), 1U);
    EXPECT_EQ(bans[0].kind, LimitKind::code);
    EXPECT_EQ(bans[0].key, "ABCD") << "never a whole identity code";
    EXPECT_EQ(bans[0].level, 1U);
    EXPECT_EQ(bans[0].until_wall_ms, clock.wall_ms() + kMinute);
    EXPECT_EQ(bans[0].reason.find("ABCDEFGHIJKLMN"), std::string::npos);

    auto lifted = guard.lift(bans[0].id);
    ASSERT_TRUE(lifted);
    EXPECT_EQ(lifted->key, "ABCD");
    EXPECT_TRUE(guard.bans().empty());
    EXPECT_FALSE(guard.lift(bans[0].id));
    clock.advance_ms(1000);
    EXPECT_FALSE(guard.admit_code("ABCDEFGHIJKLMN")) << "lifted, and its bucket has refilled a little";
}

TEST(AbuseGuard, BanIdsAreUniqueAcrossKinds) {
    FakeClock clock;
    AbuseGuard guard(small(), clock);
    for (int i = 0; i < 6; ++i) {
        (void)guard.admit_address("10.0.0.1");
    }
    for (int i = 0; i < 4; ++i) {
        (void)guard.admit_app("key");
    }
    auto bans = guard.bans();
    ASSERT_EQ(bans.size(), 2U);
    EXPECT_NE(bans[0].id, bans[1].id);
    auto lifted = guard.lift(bans[1].id);
    ASSERT_TRUE(lifted);
    EXPECT_EQ(lifted->kind, bans[1].kind);
    EXPECT_EQ(guard.bans().size(), 1U);
    EXPECT_EQ(guard.bans()[0].kind, bans[0].kind);
}

TEST(AbuseGuard, AFullLimiterRefusesNewKeysWithoutBanningThem) {
    FakeClock clock;
    auto options = small();
    options.keys_max = 2;
    AbuseGuard guard(options, clock);
    EXPECT_FALSE(guard.admit_address("10.0.0.1"));
    EXPECT_FALSE(guard.admit_address("10.0.0.2"));
    auto refused = guard.admit_address("10.0.0.3");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->cause, RefusalCause::full);
    EXPECT_TRUE(guard.bans().empty()) << "a newcomer did nothing wrong";
    clock.advance_ms(1000);  // the tracked buckets are full again: they can be forgotten
    EXPECT_FALSE(guard.admit_address("10.0.0.3"));
    const auto counters = guard.counters();
    EXPECT_EQ(
        counters.refused[static_cast<std::size_t>(LimitKind::address)][static_cast<std::size_t>(RefusalCause::full)],
        1U);
}

TEST(AbuseGuard, CountersSayWhatWasRefusedAndWhatRuns) {
    FakeClock clock;
    AbuseGuard guard(small(), clock);
    for (int i = 0; i < 8; ++i) {
        (void)guard.admit_address("10.0.0.1");
    }
    const auto counters = guard.counters();
    const auto address = static_cast<std::size_t>(LimitKind::address);
    EXPECT_EQ(counters.refused[address][static_cast<std::size_t>(RefusalCause::limit)], 1U);
    EXPECT_EQ(counters.refused[address][static_cast<std::size_t>(RefusalCause::ban)], 2U);
    EXPECT_EQ(counters.bans_issued[address], 1U);
    EXPECT_EQ(counters.bans_active[address], 1U);
    clock.advance_ms(kMinute);
    EXPECT_EQ(guard.counters().bans_active[address], 0U);
}

TEST(AddressOfRemote, CountsIpv4AsIsAndIpv6ByItsSlash64) {
    EXPECT_EQ(address_of_remote("10.0.0.1:4321"), "10.0.0.1");
    EXPECT_EQ(address_of_remote("10.0.0.1"), "10.0.0.1");
    EXPECT_EQ(address_of_remote("[2001:db8:1:2:3:4:5:6]:443"), "2001:db8:1:2::/64");
    EXPECT_EQ(address_of_remote("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
    EXPECT_EQ(address_of_remote("?"), "unknown");
}

}  // namespace
}  // namespace barrage::open
