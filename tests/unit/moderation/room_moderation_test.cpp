// The room's moderation rules on a fake clock: mutes and their expiry, bans and kicks on join,
// the room mute, chat modes, slow mode, duplicate flood, and who may act on whom.

#include <gtest/gtest.h>

#include "moderation/authority.h"
#include "moderation/flood_detector.h"
#include "moderation/global_bans.h"
#include "moderation/room_moderation.h"

namespace barrage::moderation {
namespace {

using message::Role;

constexpr Millis kT0 = 1'700'000'000'000;
constexpr UserId kViewer{10};
constexpr UserId kOther{11};

Speaker viewer(UserId uid = kViewer) {
    return Speaker{.uid = uid, .role = Role::viewer, .guard_level = 0, .level = 0};
}

Sanction until(Millis until_ms, Role by = Role::manager) {
    return Sanction{.until_ms = until_ms, .by = UserId{2}, .by_role = by, .reason = "spam", .at_ms = kT0};
}

std::error_code code_of(const std::optional<Refusal>& refusal) {
    return refusal ? refusal->code : std::error_code{};
}

TEST(RoomModeration, AMuteRefusesUntilItExpiresAndSaysUntilWhen) {
    RoomModeration room(ModerationOptions{});
    room.impose(RoomModeration::Kind::mute, kViewer, until(kT0 + 60'000));
    const auto refused = room.check_send(viewer(), "hello", kT0 + 59'999);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->code, Errc::muted);
    EXPECT_EQ(refused->until_ms, kT0 + 60'000);
    EXPECT_EQ(refused->reason, "spam");
    EXPECT_FALSE(room.check_send(viewer(kOther), "hello", kT0)) << "only the muted user";
    EXPECT_FALSE(room.check_send(viewer(), "hello", kT0 + 60'000)) << "expired";
    room.sweep(kT0 + 60'000);
    EXPECT_TRUE(room.active(RoomModeration::Kind::mute, kT0).empty()) << "forgotten once expired";
}

TEST(RoomModeration, AnIndefiniteMuteLastsUntilLifted) {
    RoomModeration room(ModerationOptions{});
    room.impose(RoomModeration::Kind::mute, kViewer, until(0));
    EXPECT_EQ(code_of(room.check_send(viewer(), "x", kT0 + 365LL * 86'400'000)), Errc::muted);
    EXPECT_TRUE(room.lift(RoomModeration::Kind::mute, kViewer));
    EXPECT_FALSE(room.check_send(viewer(), "x", kT0));
}

TEST(RoomModeration, BansAndKicksKeepAUserOutUntilTheirTime) {
    RoomModeration room(ModerationOptions{});
    room.impose(RoomModeration::Kind::kick, kViewer, until(kT0 + 300'000));
    EXPECT_EQ(code_of(room.check_join(kViewer, kT0 + 1)), Errc::kicked);
    EXPECT_FALSE(room.check_join(kViewer, kT0 + 300'000));
    room.impose(RoomModeration::Kind::ban, kOther, until(0));
    EXPECT_EQ(code_of(room.check_join(kOther, kT0)), Errc::banned);
    EXPECT_EQ(code_of(room.check_send(viewer(kOther), "x", kT0)), Errc::banned);
    // Even a manager who is banned does not speak.
    EXPECT_EQ(code_of(room.check_send(Speaker{.uid = kOther, .role = Role::manager}, "x", kT0)), Errc::banned);
    EXPECT_FALSE(room.check_join(UserId{0}, kT0)) << "anonymous viewers are never refused by uid 0";
}

TEST(RoomModeration, TheRoomMuteSilencesViewersButNotManagers) {
    RoomModeration room(ModerationOptions{});
    room.mute_room(until(kT0 + 10'000));
    EXPECT_EQ(code_of(room.check_send(viewer(), "x", kT0)), Errc::room_silenced);
    EXPECT_FALSE(room.check_send(Speaker{.uid = kOther, .role = Role::manager}, "x", kT0));
    EXPECT_FALSE(room.check_send(viewer(), "x", kT0 + 10'000));
    room.mute_room(until(0));
    EXPECT_TRUE(room.unmute_room());
    EXPECT_FALSE(room.check_send(viewer(), "x", kT0));
}

TEST(RoomModeration, ChatModesCheckLevelGuardsAndFollowAge) {
    RoomModeration room(ModerationOptions{});
    room.set_modes({.slow_s = 0, .followers_only_min = -1, .guards_only = false, .min_level = 10});
    EXPECT_EQ(code_of(room.check_send(Speaker{.uid = kViewer, .level = 9}, "x", kT0)), Errc::level_too_low);
    EXPECT_FALSE(room.check_send(Speaker{.uid = kViewer, .level = 10}, "x", kT0));
    room.set_modes({.slow_s = 0, .followers_only_min = -1, .guards_only = true, .min_level = 0});
    EXPECT_EQ(code_of(room.check_send(viewer(), "x", kT0)), Errc::guards_only);
    EXPECT_FALSE(room.check_send(Speaker{.uid = kViewer, .guard_level = 3}, "x", kT0));
    room.set_modes({.slow_s = 0, .followers_only_min = 10, .guards_only = false, .min_level = 0});
    EXPECT_EQ(code_of(room.check_send(viewer(), "x", kT0)), Errc::followers_only);
    room.follow(kViewer, kT0);
    const auto young = room.check_send(viewer(), "x", kT0 + 60'000);
    ASSERT_TRUE(young);
    EXPECT_EQ(young->code, Errc::followers_only);
    EXPECT_EQ(young->until_ms, kT0 + 600'000) << "says when the follow is old enough";
    EXPECT_FALSE(room.check_send(viewer(), "x", kT0 + 600'000));
    // Bots and managers pass chat modes.
    EXPECT_FALSE(room.check_send(Speaker{.uid = kOther, .role = Role::bot}, "x", kT0));
}

TEST(RoomModeration, SlowModeAllowsOneMessagePerIntervalPerUser) {
    RoomModeration room(ModerationOptions{});
    room.set_modes({.slow_s = 5, .followers_only_min = -1, .guards_only = false, .min_level = 0});
    ASSERT_FALSE(room.check_send(viewer(), "a", kT0));
    room.sent(viewer(), "a", kT0);
    const auto early = room.check_send(viewer(), "b", kT0 + 4'999);
    ASSERT_TRUE(early);
    EXPECT_EQ(early->code, Errc::slow_mode);
    EXPECT_EQ(early->until_ms, kT0 + 5'000);
    EXPECT_FALSE(room.check_send(viewer(kOther), "b", kT0 + 1)) << "per user";
    EXPECT_FALSE(room.check_send(viewer(), "b", kT0 + 5'000));
}

TEST(RoomModeration, DuplicateFloodStopsTheSixthUserOfTheSameTextWithinTheWindow) {
    RoomModeration room(ModerationOptions{.flood = {.window_ms = 10'000, .users_max = 5, .min_bytes = 10}});
    const std::string spam = "join my channel now";
    for (std::uint64_t i = 0; i < 5; ++i) {
        ASSERT_FALSE(room.check_send(viewer(UserId{100 + i}), spam, kT0 + static_cast<Millis>(i)));
        room.sent(viewer(UserId{100 + i}), spam, kT0 + static_cast<Millis>(i));
    }
    EXPECT_EQ(code_of(room.check_send(viewer(UserId{200}), "JOIN my  channel now!!", kT0 + 10)), Errc::duplicate_flood)
        << "nearly the same text counts";
    EXPECT_FALSE(room.check_send(viewer(UserId{100}), spam, kT0 + 10)) << "a sender repeating is not a flood";
    EXPECT_FALSE(room.check_send(viewer(UserId{200}), "something else entirely", kT0 + 10));
    EXPECT_FALSE(room.check_send(viewer(UserId{200}), spam, kT0 + 10'001)) << "the window passed";
}

TEST(FloodDetector, ShortTextsAreApplauseNotFlood) {
    FloodDetector flood({.window_ms = 10'000, .users_max = 2, .min_bytes = 10});
    for (std::uint64_t i = 0; i < 10; ++i) {
        flood.record(UserId{i + 1}, "666666", kT0);
    }
    EXPECT_FALSE(flood.floods(UserId{99}, "666666", kT0));
    EXPECT_EQ(flood.fingerprint("哈哈哈哈哈哈哈"), 0U) << "one character repeated is short";
    EXPECT_EQ(flood.fingerprint("Buy Cheap Coins Here"), flood.fingerprint("buy cheap coins here 123"));
    EXPECT_EQ(flood.fingerprint("buyyyy cheap coins here"), flood.fingerprint("buy cheap coins here"));
}

TEST(FloodDetector, RemembersAtMostItsBoundOfTexts) {
    FloodDetector flood({.window_ms = 10'000, .users_max = 1, .min_bytes = 1, .texts_max = 4});
    flood.record(UserId{1}, "first text", kT0);
    for (std::uint64_t i = 0; i < 4; ++i) {
        flood.record(UserId{2}, "other text " + std::string(i + 1, 'a' + static_cast<char>(i)), kT0);
    }
    EXPECT_FALSE(flood.floods(UserId{3}, "first text", kT0)) << "the oldest went first";
}

TEST(Authority, ManagersCannotActOnTheHostOrEachOtherNorLiftAStrongerHand) {
    EXPECT_TRUE(may_act_on(Role::manager, Role::viewer));
    EXPECT_TRUE(may_act_on(Role::manager, Role::bot));
    EXPECT_EQ(may_act_on(Role::manager, Role::manager).error(), Errc::cannot_moderate);
    EXPECT_EQ(may_act_on(Role::manager, Role::host).error(), Errc::cannot_moderate);
    EXPECT_TRUE(may_act_on(Role::host, Role::manager));
    EXPECT_EQ(may_act_on(Role::host, Role::admin).error(), Errc::cannot_moderate);
    EXPECT_TRUE(may_act_on(Role::admin, Role::host));
    EXPECT_EQ(may_lift(Role::manager, until(0, Role::admin)).error(), Errc::cannot_moderate);
    EXPECT_EQ(may_lift(Role::manager, until(0, Role::host)).error(), Errc::cannot_moderate);
    EXPECT_TRUE(may_lift(Role::manager, until(0, Role::manager)));
    EXPECT_TRUE(may_lift(Role::admin, until(0, Role::admin)));
    EXPECT_EQ(may_use(Role::viewer, Power::moderate).error(), Errc::forbidden);
    EXPECT_EQ(may_use(Role::manager, Power::appoint).error(), Errc::forbidden);
    EXPECT_EQ(may_use(Role::host, Power::operate_platform).error(), Errc::forbidden);
    EXPECT_TRUE(may_use(Role::admin, Power::operate_platform));
}

TEST(GlobalBans, ABanIsSeenUntilItExpiresOrIsLifted) {
    GlobalBans bans;
    bans.impose(kViewer, until(kT0 + 1'000, Role::admin));
    EXPECT_TRUE(bans.find(kViewer, kT0));
    EXPECT_FALSE(bans.find(kViewer, kT0 + 1'000));
    EXPECT_FALSE(bans.find(kOther, kT0));
    bans.impose(kOther, until(0, Role::admin));
    EXPECT_EQ(bans.active(kT0).size(), 2U);
    EXPECT_TRUE(bans.lift(kOther));
    EXPECT_FALSE(bans.lift(kOther));
    EXPECT_FALSE(bans.find(kOther, kT0));
}

}  // namespace
}  // namespace barrage::moderation
