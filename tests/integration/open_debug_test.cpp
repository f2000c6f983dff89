// The open platform's debug tool: a developer injects danmaku, gifts, super chats, guards and likes into
// one of the app's test rooms, from a made-up viewer, so a game can be exercised without real
// viewers. The events reach the game like real ones but marked "test": true in every dialect,
// and no wallet or ledger is touched.

#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::developer_token;
using test::kDeveloper;
using test::TestServer;
using test::Transport;

test::HttpReply call(const TestServer& server, std::string_view method, std::string_view target, std::string_view token,
                     std::string_view body = {}) {
    return test::http_request(server.http_port(), method, target, body, token);
}

// A developer (granted by the admin) and a draft app of theirs.
test::OpenAppKeys developer_with_app(const TestServer& server, UserId uid = kDeveloper) {
    test::grant_developer(server, uid);
    auto made = test::data_of(
        call(server, "POST", "/api/v1/open/apps", developer_token(server, uid), R"({"name":"Debugged game"})"));
    return {made.at("app_id").as_int64(), std::string(made.at("access_key_id").as_string()),
            std::string(made.at("access_key_secret").as_string())};
}

test::HttpReply inject(const TestServer& server, const test::OpenAppKeys& app, std::string_view body,
                       UserId as = kDeveloper) {
    return call(server, "POST", fmt::format("/api/v1/open/apps/{}/debug/1", app.app_id), developer_token(server, as),
                body);
}

TEST(OpenDebug, TestEventsReachTheGameMarkedAndTouchNoMoney) {
    TestServer server;
    SystemClock clock;
    auto app = developer_with_app(server);
    // Room 1 is the demo streamer's: not a test room of this app until it is whitelisted.
    auto refused = inject(server, app, R"({"kind":"danmaku","text":"hello"})");
    EXPECT_EQ(refused.status, 403U) << refused.body;
    ASSERT_EQ(call(server, "PUT", fmt::format("/api/v1/open/apps/{}/whitelist/1", app.app_id), developer_token(server))
                  .status,
              200U);
    auto code = test::set_up_open_platform(server).code;
    auto game = test::start_game(server, app, code, clock);  // a draft app, in its test room
    auto connection = server.join(Transport::ws, game.auth_body);
    auto web = server.join(Transport::tcp, test::AuthBody().str());
    const auto journal_before = test::read_journal(server.data_dir()).size();

    test::data_of(inject(server, app, R"({"kind":"danmaku","text":"boss fight","uname":"tester"})"));
    test::data_of(inject(
        server, app, R"({"kind":"gift","gift_id":9,"gift_name":"potion","count":3,"price":100,"interactive":true})"));
    test::data_of(inject(server, app, R"({"kind":"super_chat","text":"gg","price_yuan":30})"));
    test::data_of(inject(server, app, R"({"kind":"like","count":12})"));
    auto last = test::data_of(inject(server, app, R"({"kind":"guard","level":2,"months":3})"));
    const auto seq = static_cast<std::uint64_t>(last.at("seq").as_int64());

    auto pushes = test::pushes_until(*connection, seq);
    ASSERT_EQ(pushes.size(), 5U);
    for (const auto& push : pushes) {
        EXPECT_TRUE(push.at("test").as_bool()) << json::serialize(push);
    }
    EXPECT_EQ(pushes[0].at("cmd").as_string(), "LIVE_OPEN_PLATFORM_DM");
    EXPECT_EQ(pushes[0].at("data").at("msg").as_string(), "boss fight");
    EXPECT_EQ(pushes[0].at("data").at("uname").as_string(), "tester");
    EXPECT_EQ(pushes[0].at("data").at("open_id").as_string().size(), 32U);
    EXPECT_EQ(pushes[1].at("cmd").as_string(), "LIVE_OPEN_PLATFORM_SEND_GIFT");
    EXPECT_EQ(pushes[1].at("data").at("gift_num").as_int64(), 3);
    EXPECT_EQ(pushes[2].at("cmd").as_string(), "LIVE_OPEN_PLATFORM_SUPER_CHAT");
    EXPECT_EQ(pushes[2].at("data").at("rmb").as_int64(), 30);
    EXPECT_EQ(pushes[3].at("cmd").as_string(), "LIVE_OPEN_PLATFORM_LIKE");
    EXPECT_EQ(pushes[3].at("data").at("like_count").as_int64(), 12);
    EXPECT_EQ(pushes[4].at("cmd").as_string(), "LIVE_OPEN_PLATFORM_GUARD");
    EXPECT_EQ(pushes[4].at("data").at("guard_level").as_int64(), 2);

    // Viewers see the test marked too, not a coin moved, and the room's like total is untouched.
    auto danmu = test::with_cmd(test::pushes_until(*web, seq), "DANMU_MSG");
    ASSERT_EQ(danmu.size(), 1U);
    EXPECT_TRUE(danmu[0].at("test").as_bool());
    EXPECT_EQ(test::read_journal(server.data_dir()).size(), journal_before);
    EXPECT_EQ(server.get("/api/v1/rooms/1").json().at("data").at("like_count").as_int64(), 0);
}

TEST(OpenDebug, TheConsoleStartsATestGameThatHearsInjectedEvents) {
    TestServer server;
    auto app = developer_with_app(server);
    const auto start_path = fmt::format("/api/v1/open/apps/{}/test-game", app.app_id);
    // Room 1 is not one of this app's test rooms until it is whitelisted.
    EXPECT_EQ(call(server, "POST", start_path, developer_token(server), R"({"room":1})").status, 403U);
    ASSERT_EQ(call(server, "PUT", fmt::format("/api/v1/open/apps/{}/whitelist/1", app.app_id), developer_token(server))
                  .status,
              200U);
    // Nobody else starts games of this app.
    EXPECT_NE(call(server, "POST", start_path, server.viewer_token(), R"({"room":1})").status, 200U);

    const auto started = test::data_of(call(server, "POST", start_path, developer_token(server), R"({"room":1})"));
    const std::string game_id(started.at("game_info").at("game_id").as_string());
    const std::string auth_body(started.at("websocket_info").at("auth_body").as_string());
    auto game = server.join(Transport::ws, auth_body);
    const auto last = test::data_of(inject(server, app, R"({"kind":"danmaku","text":"watch this"})"));
    auto pushes = test::pushes_until(*game, static_cast<std::uint64_t>(last.at("seq").as_int64()));
    ASSERT_EQ(pushes.size(), 1U);
    EXPECT_EQ(pushes[0].at("cmd").as_string(), "LIVE_OPEN_PLATFORM_DM");
    EXPECT_EQ(pushes[0].at("data").at("msg").as_string(), "watch this");

    const auto beat_path = start_path + "/heartbeat";
    EXPECT_EQ(call(server, "POST", beat_path, developer_token(server), R"({"game_id":")" + game_id + "\"}").status,
              200U);
    EXPECT_EQ(call(server, "POST", beat_path, developer_token(server), R"({"game_id":"no-such-game"})").status, 404U);
    // The room lists it among its running games.
    const auto games = server.get("/api/v1/rooms/1/games", server.admin_token()).json();
    EXPECT_EQ(games.at("data").at("games").at(0).at("game_id").as_string(), game_id);
}

TEST(OpenDebug, OnlyTheAppsDeveloperAndOnlySaneEvents) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    auto app = developer_with_app(server);
    ASSERT_EQ(call(server, "PUT", fmt::format("/api/v1/open/apps/{}/whitelist/1", app.app_id), developer_token(server))
                  .status,
              200U);
    // Another developer's app is unknown to them; a viewer is no developer.
    developer_with_app(server, UserId{8});
    EXPECT_EQ(inject(server, app, R"({"kind":"danmaku","text":"x"})", UserId{8}).status, 404U);
    EXPECT_EQ(call(server, "POST", fmt::format("/api/v1/open/apps/{}/debug/1", app.app_id), server.viewer_token(),
                   R"({"kind":"danmaku","text":"x"})")
                  .status,
              403U);
    for (const std::string_view body :
         {R"({"kind":"cheer"})", R"({"kind":"like","count":0})", R"({"kind":"like","count":1001})",
          R"({"kind":"danmaku"})", R"({"kind":"danmaku","text":""})",
          R"({"kind":"gift","gift_id":1,"gift_name":"g","count":0})",
          R"({"kind":"super_chat","text":"x","price_yuan":0})", R"({"kind":"guard","level":4})", R"(not json)"}) {
        EXPECT_EQ(inject(server, app, body).status, 400U) << body;
    }
    // Past 50 at once the developer waits: ten more a second.
    const auto spam = [&](int times) {
        int accepted = 0;
        for (int i = 0; i < times; ++i) {
            auto reply = inject(server, app, R"({"kind":"danmaku","text":"spam"})");
            accepted += reply.status == 200U ? 1 : 0;
            EXPECT_TRUE(reply.status == 200U || reply.status == 429U) << reply.body;
        }
        return accepted;
    };
    EXPECT_EQ(spam(60), 50);
    clock.advance_ms(1000);
    EXPECT_EQ(spam(20), 10);
}

}  // namespace
}  // namespace barrage
