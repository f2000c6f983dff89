// An interactive game's long connection (PROTOCOL.md §4): the auth_body of /v2/app/start
// opens a connection that receives the room's events as LIVE_OPEN_PLATFORM_* cmds while the
// game runs, and LIVE_OPEN_PLATFORM_INTERACTION_END, then nothing, when it ends.

#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "message/open_dialect.h"
#include "support/economy_helpers.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::TestServer;
using test::Transport;

std::uint64_t marker(const TestServer& server) {
    return server.send_danmaku("marker", server.bot_token());
}

// auth_body with Barrage's resume point added, as a reconnecting game sends it.
std::string resuming(const std::string& auth_body, std::uint64_t last_seq) {
    auto body = json::parse(auth_body).as_object();
    body["last_seq"] = last_seq;
    return json::serialize(body);
}

TEST(OpenEvents, AGameReceivesTheRoomsEventsInTheOpenDialect) {
    TestServer server;
    SystemClock clock;
    auto platform = test::set_up_open_platform(server);
    auto game = test::start_game(server, platform.approved, platform.code, clock);
    auto auth = json::parse(game.auth_body).as_object();
    EXPECT_EQ(auth.at("group").as_string(), "open");
    EXPECT_EQ(auth.at("protover").as_int64(), 2);
    EXPECT_FALSE(auth.at("key").as_string().empty());
    auto connection = server.join(Transport::ws, game.auth_body);

    const auto alice = server.viewer_token();
    test::grant(server, test::kAlice, 1'000'000, "grant-alice");
    server.send_danmaku("attack the boss", alice);
    test::data_of(server.post("/api/v1/rooms/1/gifts", R"({"gift_id":3,"count":2,"request_id":"gift-1"})", alice));
    auto chat = test::data_of(
        server.post("/api/v1/rooms/1/super-chats", R"({"price_yuan":30,"message":"gg","request_id":"sc-1"})", alice));
    test::data_of(server.post("/api/v1/rooms/1/guards", R"({"level":3,"months":1,"request_id":"guard-1"})", alice));
    auto pushes = test::pushes_until(*connection, marker(server));

    auto dms = test::with_cmd(pushes, "LIVE_OPEN_PLATFORM_DM");
    ASSERT_EQ(dms.size(), 2U);  // alice's and the marker
    const auto& dm = dms[0].at("data").as_object();
    EXPECT_EQ(dm.at("msg").as_string(), "attack the boss");
    EXPECT_EQ(dm.at("uname").as_string(), "alice");
    EXPECT_EQ(dm.at("uid").as_int64(), 0);
    EXPECT_EQ(dm.at("room_id").as_int64(), 1);
    EXPECT_EQ(dm.at("open_id").as_string().size(), 32U);
    EXPECT_NE(dm.at("open_id").as_string(), game.anchor_open_id);  // alice's is not the streamer's

    auto gifts = test::with_cmd(pushes, "LIVE_OPEN_PLATFORM_SEND_GIFT");
    ASSERT_EQ(gifts.size(), 1U);
    const auto& gift = gifts[0].at("data").as_object();
    EXPECT_EQ(gift.at("gift_num").as_int64(), 2);
    EXPECT_EQ(gift.at("open_id"), dm.at("open_id"));  // the same user, the same open_id
    EXPECT_EQ(gift.at("anchor_info").at("open_id").as_string(), game.anchor_open_id);

    auto chats = test::with_cmd(pushes, "LIVE_OPEN_PLATFORM_SUPER_CHAT");
    ASSERT_EQ(chats.size(), 1U);
    EXPECT_EQ(chats[0].at("data").at("message").as_string(), "gg");
    EXPECT_EQ(chats[0].at("data").at("rmb").as_int64(), 30);
    EXPECT_EQ(chats[0].at("data").at("message_id"), chat.at("super_chat_id"));

    auto guards = test::with_cmd(pushes, "LIVE_OPEN_PLATFORM_GUARD");
    ASSERT_EQ(guards.size(), 1U);
    EXPECT_EQ(guards[0].at("data").at("guard_level").as_int64(), 3);
    EXPECT_EQ(guards[0].at("data").at("user_info").at("open_id"), dm.at("open_id"));

    // Nothing in another dialect.
    for (const auto& push : pushes) {
        EXPECT_TRUE(std::string_view(push.at("cmd").as_string()).starts_with("LIVE_OPEN_PLATFORM_"))
            << json::serialize(push);
    }
}

TEST(OpenEvents, EndingTheGameSendsInteractionEndAndClosesItsConnection) {
    TestServer server;
    SystemClock clock;
    auto platform = test::set_up_open_platform(server);
    auto game = test::start_game(server, platform.approved, platform.code, clock);
    auto connection = server.join(Transport::ws, game.auth_body);
    const auto last = marker(server);
    test::pushes_until(*connection, last);

    ASSERT_EQ(test::end_game(server, platform.approved, game.game_id, clock), 0);
    auto end = connection->next_cmd("LIVE_OPEN_PLATFORM_INTERACTION_END").json().as_object();
    EXPECT_EQ(end.at("data").at("game_id").as_string(), game.game_id);
    EXPECT_GT(end.at("data").at("timestamp").as_int64(), 0);
    EXPECT_TRUE(connection->wait_closed());  // and nothing after it

    // The ended game's key opens nothing any more.
    auto again = server.connect(Transport::ws);
    again->send_auth(game.auth_body);
    auto reply = again->auth_reply();
    EXPECT_NE(reply.at("code").as_int64(), 0);
    EXPECT_EQ(reply.at("error").as_int64(), static_cast<int>(Errc::game_ended));
}

TEST(OpenEvents, AGameWithoutHeartbeatsExpiresAfterSixtySeconds) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    auto platform = test::set_up_open_platform(server);
    auto game = test::start_game(server, platform.approved, platform.code, clock);
    auto connection = server.join(Transport::ws, game.auth_body);

    // The connection's own heartbeats (op 2) keep the socket open; only the game's heartbeat
    // (POST /v2/app/heartbeat) keeps the game.
    clock.advance_ms(59'000);
    connection->send_heartbeat();
    ASSERT_EQ(test::game_heartbeat(server, platform.approved, game.game_id, clock), 0);
    clock.advance_ms(59'000);  // 59 s after the heartbeat: still alive
    connection->send_heartbeat();
    const auto last = marker(server);
    auto pushes = test::pushes_until(*connection, last);
    EXPECT_EQ(test::with_cmd(pushes, "LIVE_OPEN_PLATFORM_INTERACTION_END").size(), 0U);

    clock.advance_ms(1'000);  // 60 s: the sweep ends it
    connection->send_heartbeat();
    auto end = connection->next_cmd("LIVE_OPEN_PLATFORM_INTERACTION_END").json().as_object();
    EXPECT_EQ(end.at("data").at("game_id").as_string(), game.game_id);
    EXPECT_TRUE(connection->wait_closed());
    EXPECT_EQ(test::game_heartbeat(server, platform.approved, game.game_id, clock), 7003);
}

TEST(OpenEvents, ForgedMovedOrMissingKeysAreRefused) {
    TestServer server;
    SystemClock clock;
    auto platform = test::set_up_open_platform(server);
    auto game = test::start_game(server, platform.approved, platform.code, clock);
    auto body = json::parse(game.auth_body).as_object();
    const std::string key(body.at("key").as_string());
    const auto refused_with = [&](json::object auth) {
        auto client = server.connect(Transport::ws);
        client->send_auth(json::serialize(auth));
        auto reply = client->auth_reply();
        EXPECT_EQ(reply.at("code").as_int64(), -101) << json::serialize(reply);
        EXPECT_TRUE(client->wait_closed());
        return reply.at("error").as_int64();
    };
    auto forged = body;
    forged["key"] = key.substr(0, key.size() - 1) + (key.back() == '0' ? "1" : "0");
    EXPECT_EQ(refused_with(forged), static_cast<int>(Errc::token_bad_signature));
    auto user_token = body;
    user_token["key"] = server.viewer_token();  // a user's token is no game's key
    EXPECT_EQ(refused_with(user_token), static_cast<int>(Errc::token_bad_signature));
    auto moved = body;
    moved["roomid"] = 2;  // a key for room 1 opens no other room
    EXPECT_EQ(refused_with(moved), static_cast<int>(Errc::forbidden));
    // A viewer cannot ask for the open dialect (it carries the app's open_ids) without a game.
    EXPECT_EQ(refused_with(json::object{{"roomid", 1}, {"dialect", "open_platform"}}),
              static_cast<int>(Errc::bad_request));
}

TEST(OpenEvents, AReconnectingGameResumesFromItsLastSequence) {
    TestServer server;
    SystemClock clock;
    auto platform = test::set_up_open_platform(server);
    auto game = test::start_game(server, platform.approved, platform.code, clock);
    std::uint64_t seen = 0;
    {
        auto connection = server.join(Transport::ws, game.auth_body);
        seen = marker(server);
        test::pushes_until(*connection, seen);
    }
    // Missed while away.
    server.send_danmaku("one", server.viewer_token());
    server.send_danmaku("two", server.viewer_token(test::kBob, "bob"));
    auto connection = server.join(Transport::ws, resuming(game.auth_body, seen));
    auto pushes = test::pushes_until(*connection, marker(server));
    auto dms = test::with_cmd(pushes, "LIVE_OPEN_PLATFORM_DM");
    ASSERT_EQ(dms.size(), 3U);
    EXPECT_EQ(dms[0].at("data").at("msg").as_string(), "one");
    EXPECT_EQ(dms[0].at("seq").as_int64(), static_cast<std::int64_t>(seen + 1));
    EXPECT_EQ(dms[1].at("data").at("msg").as_string(), "two");
    // Each message keeps its msg_id across the replay: a game can drop what it already had.
    EXPECT_NE(dms[0].at("data").at("msg_id"), dms[1].at("data").at("msg_id"));
}

}  // namespace
}  // namespace barrage
