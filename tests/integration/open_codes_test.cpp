// A streamer's identity code over HTTP: visible to the room's host alone, refreshed on demand
// (the old code answers 7007 at once, a running game goes on), refreshes rate-limited, and
// replaced on the configured schedule ([open] code_max_age_h) without anyone asking.

#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "support/economy_helpers.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

using test::TestServer;

std::string host_token(const TestServer& server) {
    return server.token(test::kStreamer, "demo-streamer", message::Role::host);
}

test::HttpReply read_code(const TestServer& server, std::string_view token) {
    return server.get("/api/v1/rooms/1/open/code", token);
}

std::string code_of(const test::HttpReply& reply) {
    return std::string(test::data_of(reply).at("code").as_string());
}

std::int64_t start_code(const TestServer& server, const test::OpenAppKeys& app, const std::string& code,
                        const Clock& clock) {
    const auto body = boost::json::serialize(boost::json::object{{"code", code}, {"app_id", app.app_id}});
    return test::open_answer(test::signed_post(server, app, "/v2/app/start", body, clock)).at("code").as_int64();
}

TEST(OpenCodes, OnlyTheHostSeesTheCodeAndARefreshStopsTheOldOneAtOnce) {
    TestServer server;
    SystemClock clock;
    auto platform = test::set_up_open_platform(server);
    const auto code = code_of(read_code(server, host_token(server)));
    EXPECT_EQ(code, platform.code);
    for (const auto& other :
         {server.viewer_token(), server.token(test::kManager, "m", message::Role::manager), server.admin_token()}) {
        EXPECT_EQ(read_code(server, other).status, 403U);
        EXPECT_EQ(server.post("/api/v1/rooms/1/open/code/refresh", "", other).status, 403U);
    }
    EXPECT_EQ(read_code(server, "").status, 401U);
    EXPECT_EQ(server.get("/api/v1/rooms/999/open/code", host_token(server)).status, 404U);

    auto game = test::start_game(server, platform.approved, code, clock);
    const auto fresh = code_of(server.post("/api/v1/rooms/1/open/code/refresh", "", host_token(server)));
    EXPECT_NE(fresh, code);
    EXPECT_EQ(fresh.size(), code.size());
    EXPECT_EQ(code_of(read_code(server, host_token(server))), fresh);
    EXPECT_EQ(start_code(server, platform.approved, code, clock), 7007);
    // The game started with the old code runs on.
    EXPECT_EQ(test::game_heartbeat(server, platform.approved, game.game_id, clock), 0);
    EXPECT_EQ(test::end_game(server, platform.approved, game.game_id, clock), 0);
    EXPECT_EQ(start_code(server, platform.approved, fresh, clock), 0);
}

TEST(OpenCodes, RefreshesAreRateLimitedPerHost) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    int refreshed = 0;
    for (int i = 0; i < 8; ++i) {
        auto reply = server.post("/api/v1/rooms/1/open/code/refresh", "", host_token(server));
        EXPECT_TRUE(reply.status == 200U || reply.status == 429U) << reply.body;
        refreshed += reply.status == 200U ? 1 : 0;
    }
    EXPECT_EQ(refreshed, 5);
    clock.advance_ms(60'000);
    EXPECT_EQ(server.post("/api/v1/rooms/1/open/code/refresh", "", host_token(server)).status, 200U);
    // Reading is not limited.
    EXPECT_EQ(read_code(server, host_token(server)).status, 200U);
}

TEST(OpenCodes, CodesAreReplacedOnTheConfiguredSchedule) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.open_code_max_age_h = 24;
    });
    const auto code = code_of(read_code(server, host_token(server)));
    clock.advance_ms(24 * 3'600'000 + 61'000);
    // The sweep runs every second of real time and checks the (fake) age once a (fake) minute:
    // wait for its effect, bounded.
    std::string now_code = code;
    for (int i = 0; i < 500 && now_code == code; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        now_code = code_of(read_code(server, host_token(server)));
    }
    EXPECT_NE(now_code, code);
}

}  // namespace
}  // namespace barrage
