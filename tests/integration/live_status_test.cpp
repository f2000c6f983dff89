// A room's live status (开播/下播), title and area: set by its host over PUT .../live, kept
// across a restart, shown in GET /api/v1/rooms/{id}, and pushed to every dialect — LIVE /
// PREPARING + ROOM_CHANGE on the web, live_status natively, LIVE_OPEN_PLATFORM_LIVE_START /
// LIVE_END to a running game.

#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::AuthBody;
using test::TestServer;
using test::Transport;

test::HttpReply set_live(const TestServer& server, std::string_view body, std::string_view token) {
    return test::http_request(server.http_port(), "PUT", "/api/v1/rooms/1/live", body, token);
}

std::string host_token(const TestServer& server) {
    return server.token(test::kStreamer, "demo-streamer", message::Role::host);
}

TEST(LiveStatus, TheHostGoesLiveAndEveryDialectHearsIt) {
    TestServer server;
    SystemClock clock;
    auto platform = test::set_up_open_platform(server);
    auto game = test::start_game(server, platform.approved, platform.code, clock);
    auto web = server.join(Transport::ws, AuthBody().str());
    auto native = server.join(Transport::tcp, AuthBody().dialect("native").str());
    auto open = server.join(Transport::ws, game.auth_body);

    auto started = test::data_of(set_live(
        server, R"({"live":true,"title":"Speedrun night","area_id":86,"area_name":"单机游戏"})", host_token(server)));
    EXPECT_TRUE(started.at("live").as_bool());
    const auto seq = static_cast<std::uint64_t>(started.at("seq").as_int64());

    auto web_pushes = test::pushes_until(*web, seq);
    auto live = test::with_cmd(web_pushes, "LIVE");
    ASSERT_EQ(live.size(), 1U);
    EXPECT_EQ(live[0].at("roomid").as_int64(), 1);
    // ROOM_CHANGE shares LIVE's seq and comes right after it.
    auto change = web->next_cmd("ROOM_CHANGE").json().as_object();
    EXPECT_EQ(change.at("data").at("title").as_string(), "Speedrun night");
    EXPECT_EQ(change.at("data").at("area_name").as_string(), "单机游戏");

    auto native_pushes = test::with_cmd(test::pushes_until(*native, seq), "live_status");
    ASSERT_EQ(native_pushes.size(), 1U);
    EXPECT_TRUE(native_pushes[0].at("data").at("live").as_bool());
    EXPECT_EQ(native_pushes[0].at("user").at("uid").as_int64(), 1);  // the host

    auto start = test::with_cmd(test::pushes_until(*open, seq), "LIVE_OPEN_PLATFORM_LIVE_START");
    ASSERT_EQ(start.size(), 1U);
    const auto& data = start[0].at("data").as_object();
    EXPECT_EQ(data.at("open_id").as_string(), game.anchor_open_id);
    EXPECT_EQ(data.at("title").as_string(), "Speedrun night");
    EXPECT_EQ(data.at("area_name").as_string(), "单机游戏");
    EXPECT_EQ(data.at("area_id").as_int64(), 86);
    EXPECT_EQ(data.at("room_id").as_int64(), 1);

    // Stopping keeps the title and area that were left out.
    auto stopped = test::data_of(set_live(server, R"({"live":false})", host_token(server)));
    const auto end_seq = static_cast<std::uint64_t>(stopped.at("seq").as_int64());
    EXPECT_EQ(test::with_cmd(test::pushes_until(*web, end_seq), "PREPARING").size(), 1U);
    auto end = test::with_cmd(test::pushes_until(*open, end_seq), "LIVE_OPEN_PLATFORM_LIVE_END");
    ASSERT_EQ(end.size(), 1U);
    EXPECT_EQ(end[0].at("data").at("title").as_string(), "Speedrun night");
}

TEST(LiveStatus, OnlyTheHostOrAnAdminAndOnlySaneValues) {
    TestServer server;
    auto viewer = set_live(server, R"({"live":true})", server.viewer_token());
    EXPECT_EQ(viewer.status, 403U) << viewer.body;
    auto manager = set_live(server, R"({"live":true})", server.token(test::kManager, "m", message::Role::manager));
    EXPECT_EQ(manager.status, 403U) << manager.body;
    EXPECT_EQ(set_live(server, R"({"live":true})", server.admin_token()).status, 200U);
    const std::vector<std::string> bad_bodies{R"({})",
                                              R"({"live":"yes"})",
                                              R"({"live":true,"title":""})",
                                              R"({"live":true,"title":"two\nlines"})",
                                              R"({"live":true,"area_id":-1})",
                                              R"({"live":true,"title":")" + std::string(41, 'x') + R"("})",
                                              R"({"live":true,"area_name":")" + std::string(21, 'x') + R"("})",
                                              "not json"};
    for (const auto& bad : bad_bodies) {
        auto reply = set_live(server, bad, host_token(server));
        EXPECT_EQ(reply.status, 400U) << bad << " → " << reply.body;
    }
    auto unknown = test::http_request(server.http_port(), "PUT", "/api/v1/rooms/999/live", R"({"live":true})",
                                      server.admin_token());
    EXPECT_EQ(unknown.status, 404U) << unknown.body;
}

TEST(LiveStatus, SurvivesARestartAndShowsInTheRoom) {
    TestServer server;
    test::data_of(
        set_live(server, R"({"live":true,"title":"Marathon","area_id":3,"area_name":"网游"})", host_token(server)));
    server.restart();
    auto room = server.get("/api/v1/rooms/1").json().at("data").as_object();
    EXPECT_TRUE(room.at("live").as_bool());
    EXPECT_EQ(room.at("title").as_string(), "Marathon");
    EXPECT_EQ(room.at("area_id").as_int64(), 3);
    EXPECT_EQ(room.at("area_name").as_string(), "网游");
}

}  // namespace
}  // namespace barrage
