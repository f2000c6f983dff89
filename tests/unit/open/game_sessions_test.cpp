#include "open/game_sessions.h"

#include <regex>

#include <gtest/gtest.h>

namespace barrage::open {
namespace {

constexpr std::int64_t kApp = 1650000000001;
constexpr std::int64_t kOtherApp = 1650000000002;

GameSession started(GameSessions& sessions, std::int64_t app, RoomId room) {
    auto made = sessions.start(app, room);
    EXPECT_TRUE(std::holds_alternative<GameSession>(made));
    return std::holds_alternative<GameSession>(made) ? std::get<GameSession>(made) : GameSession{};
}

OpenCode refused(GameSessions& sessions, std::int64_t app, RoomId room) {
    auto made = sessions.start(app, room);
    EXPECT_TRUE(std::holds_alternative<OpenCode>(made));
    return std::holds_alternative<OpenCode>(made) ? std::get<OpenCode>(made) : OpenCode::ok;
}

TEST(GameSessions, AStartedGameHasAUuidAndLivesOnHeartbeats) {
    FakeClock clock;
    GameSessions sessions({}, clock);
    auto game = started(sessions, kApp, RoomId{1});
    EXPECT_TRUE(std::regex_match(game.game_id,
                                 std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << game.game_id;
    // Beats every 20 s, as blivedm does, keep it alive well past 60 s.
    for (int beat = 0; beat < 10; ++beat) {
        clock.advance_ms(20'000);
        EXPECT_EQ(sessions.heartbeat(game.game_id), OpenCode::ok);
        EXPECT_TRUE(sessions.expire().empty());
    }
    EXPECT_EQ(sessions.heartbeat("no-such-game"), OpenCode::heartbeat_expired);
}

TEST(GameSessions, ARoomsLiveGameIsListedUntilItFallsSilent) {
    FakeClock clock;
    GameSessions sessions({}, clock);
    const auto game = started(sessions, kApp, RoomId{1});
    const auto elsewhere = started(sessions, kOtherApp, RoomId{2});
    auto live = sessions.in_room(RoomId{1});
    ASSERT_EQ(live.size(), 1U);
    EXPECT_EQ(live[0].game_id, game.game_id);
    EXPECT_EQ(sessions.in_room(RoomId{2}).at(0).game_id, elsewhere.game_id);
    EXPECT_TRUE(sessions.in_room(RoomId{9}).empty());
    // Room 1's game falls silent past its time: no longer listed, even before it is collected.
    clock.advance_ms(50'000);
    EXPECT_EQ(sessions.heartbeat(elsewhere.game_id), OpenCode::ok);
    clock.advance_ms(10'000);
    EXPECT_TRUE(sessions.in_room(RoomId{1}).empty());
    EXPECT_EQ(sessions.in_room(RoomId{2}).size(), 1U);
}

TEST(GameSessions, ASilentGameExpiresAfterSixtySecondsAndIsHandedBackOnce) {
    FakeClock clock;
    GameSessions sessions({}, clock);
    auto game = started(sessions, kApp, RoomId{1});
    clock.advance_ms(59'999);
    EXPECT_TRUE(sessions.expire().empty());
    clock.advance_ms(1);
    EXPECT_EQ(sessions.heartbeat(game.game_id), OpenCode::heartbeat_expired);  // too late to revive
    auto expired = sessions.expire();
    ASSERT_EQ(expired.size(), 1U);
    EXPECT_EQ(expired[0].game_id, game.game_id);
    EXPECT_EQ(expired[0].room, RoomId{1});
    EXPECT_TRUE(sessions.expire().empty());
    EXPECT_EQ(sessions.size(), 0U);
    // blivedm restarts after 7003: the room is free again.
    started(sessions, kOtherApp, RoomId{1});
}

// A silent session stops holding its room at once, yet is still handed back by expire() (so its
// room is told the game ended) even when another game started there first.
TEST(GameSessions, AnExpiredSessionFreesTheRoomAndIsStillReported) {
    FakeClock clock;
    GameSessions sessions({}, clock);
    auto old = started(sessions, kApp, RoomId{1});
    clock.advance_ms(60'000);
    auto fresh = started(sessions, kOtherApp, RoomId{1});
    auto expired = sessions.expire();
    ASSERT_EQ(expired.size(), 1U);
    EXPECT_EQ(expired[0].game_id, old.game_id);
    EXPECT_EQ(sessions.heartbeat(fresh.game_id), OpenCode::ok);
}

TEST(GameSessions, ARoomRunsOneAppAndAnAppAtMostFiveSessionsThere) {
    FakeClock clock;
    GameSessions sessions({}, clock);
    for (int i = 0; i < 5; ++i) {
        started(sessions, kApp, RoomId{1});
    }
    EXPECT_EQ(refused(sessions, kApp, RoomId{1}), OpenCode::sessions_limit);
    EXPECT_EQ(refused(sessions, kOtherApp, RoomId{1}), OpenCode::room_has_game);
    started(sessions, kOtherApp, RoomId{2});  // other rooms are other rooms
    EXPECT_EQ(sessions.size(), 6U);
}

TEST(GameSessions, EndBelongsToTheGamesAppAndFreesItsPlace) {
    FakeClock clock;
    GameSessions sessions({}, clock);
    auto game = started(sessions, kApp, RoomId{1});
    EXPECT_EQ(sessions.end(kOtherApp, game.game_id), OpenCode::wrong_app);
    EXPECT_EQ(sessions.end(kApp, game.game_id), OpenCode::ok);
    EXPECT_EQ(sessions.end(kApp, game.game_id), OpenCode::heartbeat_expired);  // blivedm treats it as ended
    EXPECT_EQ(sessions.heartbeat(game.game_id), OpenCode::heartbeat_expired);
    started(sessions, kOtherApp, RoomId{1});
}

TEST(GameSessions, BatchHeartbeatsNameTheIdsThatFailed) {
    FakeClock clock;
    GameSessions sessions({}, clock);
    auto first = started(sessions, kApp, RoomId{1});
    auto second = started(sessions, kApp, RoomId{2});
    EXPECT_EQ(sessions.end(kApp, second.game_id), OpenCode::ok);
    clock.advance_ms(50'000);
    auto failed = sessions.batch_heartbeat({first.game_id, second.game_id, "unknown"});
    EXPECT_EQ(failed, (std::vector<std::string>{second.game_id, "unknown"}));
    clock.advance_ms(50'000);  // the batch kept the first alive
    EXPECT_EQ(sessions.heartbeat(first.game_id), OpenCode::ok);
}

}  // namespace
}  // namespace barrage::open
