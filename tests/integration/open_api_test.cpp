// The open platform's signed game-session API against a running server, as a game written for
// Bilibili's live open platform calls it (PROTOCOL.md §1, §2).

#include <atomic>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "crypto/digest.h"
#include "open/signature.h"
#include "store/database.h"
#include "store/open_apps.h"
#include "support/http_client.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

using test::TestServer;

using App = test::OpenAppKeys;
using test::signed_post;

test::OpenPlatform set_up(const TestServer& server) {
    return test::set_up_open_platform(server);
}

boost::json::object answer(const test::HttpReply& reply) {
    return test::open_answer(reply);
}

TEST(OpenApi, StartNamesTheConfiguredPublicUrls) {
    TestServer server([](app::Config& config) {
        config.open_wss_links = {"wss://live.example.com/sub", "ws://10.0.0.2:8080/sub"};
    });
    auto platform = set_up(server);
    auto start = answer(signed_post(
        server, platform.approved, "/v2/app/start",
        R"({"code":")" + platform.code + R"(","app_id":)" + std::to_string(platform.approved.app_id) + "}"));
    ASSERT_EQ(start.at("code").as_int64(), 0) << boost::json::serialize(start);
    EXPECT_EQ(boost::json::serialize(start.at("data").at("websocket_info").at("wss_link")),
              R"(["wss://live.example.com/sub","ws://10.0.0.2:8080/sub"])");
}

TEST(OpenApi, AGameStartsBeatsAndEnds) {
    TestServer server;
    auto platform = set_up(server);
    auto start = answer(signed_post(
        server, platform.approved, "/v2/app/start",
        R"({"code": ")" + platform.code + R"(", "app_id": )" + std::to_string(platform.approved.app_id) + "}"));
    ASSERT_EQ(start.at("code").as_int64(), 0) << boost::json::serialize(start);
    EXPECT_EQ(start.at("message").as_string(), "0");
    const auto& data = start.at("data").as_object();
    const std::string game_id(data.at("game_info").at("game_id").as_string());
    EXPECT_EQ(game_id.size(), 36U);
    const auto& ws = data.at("websocket_info").as_object();
    EXPECT_EQ(ws.at("wss_link").as_array().at(0).as_string(),
              "ws://127.0.0.1:" + std::to_string(server.http_port()) + "/sub");
    auto auth_body = boost::json::parse(ws.at("auth_body").as_string()).as_object();
    EXPECT_EQ(auth_body.at("roomid").as_int64(), 1);
    const auto& anchor = data.at("anchor_info").as_object();
    EXPECT_EQ(anchor.at("room_id").as_int64(), 1);
    EXPECT_EQ(anchor.at("uid").as_int64(), 0);
    EXPECT_EQ(anchor.at("open_id").as_string().size(), 32U);

    auto beat =
        answer(signed_post(server, platform.approved, "/v2/app/heartbeat", R"({"game_id":")" + game_id + "\"}"));
    EXPECT_EQ(beat.at("code").as_int64(), 0);
    auto batch = answer(signed_post(server, platform.approved, "/v2/app/batchHeartbeat",
                                    R"({"game_ids":[")" + game_id + R"(","nope"]})"));
    EXPECT_EQ(batch.at("code").as_int64(), 0);
    EXPECT_EQ(boost::json::serialize(batch.at("data").at("failed_game_ids")), R"(["nope"])");
    // Another app cannot start in the room while this one runs.
    auto taken = answer(
        signed_post(server, platform.draft, "/v2/app/start",
                    R"({"code":")" + platform.code + R"(","app_id":)" + std::to_string(platform.draft.app_id) + "}"));
    EXPECT_EQ(taken.at("code").as_int64(), 5004);  // a draft outside its developer's rooms
    auto end = answer(
        signed_post(server, platform.approved, "/v2/app/end",
                    R"({"app_id":)" + std::to_string(platform.approved.app_id) + R"(,"game_id":")" + game_id + "\"}"));
    EXPECT_EQ(end.at("code").as_int64(), 0);
    auto late =
        answer(signed_post(server, platform.approved, "/v2/app/heartbeat", R"({"game_id":")" + game_id + "\"}"));
    EXPECT_EQ(late.at("code").as_int64(), 7003);
}

TEST(OpenApi, RefusalsCarryBilibilisCodes) {
    TestServer server;
    auto platform = set_up(server);
    const auto app_id = std::to_string(platform.approved.app_id);
    const auto code_of = [](const test::HttpReply& reply) { return answer(reply).at("code").as_int64(); };
    EXPECT_EQ(code_of(signed_post(server, platform.approved, "/v2/app/start",
                                  R"({"code":"WRONGCODE12345","app_id":)" + app_id + "}")),
              7007);
    auto string_id = answer(signed_post(server, platform.approved, "/v2/app/start",
                                        R"({"code":")" + platform.code + R"(","app_id":")" + app_id + "\"}"));
    EXPECT_EQ(string_id.at("code").as_int64(), -400);
    EXPECT_EQ(string_id.at("message").as_string(),
              "json: cannot unmarshal string into Go struct field StartReq.app_id of type int64");
    EXPECT_EQ(code_of(signed_post(server, platform.approved, "/v2/app/heartbeat", R"({"game_id":"g"})", SystemClock(),
                                  "text/plain")),
              4011);
    App forged = platform.approved;
    forged.secret = "not-the-secret";
    EXPECT_EQ(code_of(signed_post(server, forged, "/v2/app/heartbeat", R"({"game_id":"g"})")), 4002);
    App unknown = platform.approved;
    unknown.key_id = "nobody";
    EXPECT_EQ(code_of(signed_post(server, unknown, "/v2/app/heartbeat", R"({"game_id":"g"})")), 4001);
    EXPECT_EQ(code_of(signed_post(server, platform.approved, "/v2/app/end",
                                  R"({"app_id":)" + std::to_string(platform.draft.app_id) + R"(,"game_id":"g"})")),
              8002);
    // The same signed request twice: the second is a replay.
    open::SignedHeaders headers;
    const std::string body = R"({"game_id":"g"})";
    headers.access_key_id = platform.approved.key_id;
    headers.content_md5 = crypto::md5_hex(body);
    headers.signature_method = "HMAC-SHA256";
    headers.signature_nonce = "once";
    headers.signature_version = "1.0";
    headers.timestamp = std::to_string(SystemClock().wall_ms() / 1000);
    headers.authorization = open::sign(platform.approved.secret, headers);
    const test::HttpHeaders sent{{"Content-Type", "application/json"},
                                 {"X-Bili-Accesskeyid", headers.access_key_id},  // as Go's resty spells them
                                 {"X-Bili-Content-Md5", headers.content_md5},
                                 {"X-Bili-Signature-Method", headers.signature_method},
                                 {"X-Bili-Signature-Nonce", headers.signature_nonce},
                                 {"X-Bili-Signature-Version", headers.signature_version},
                                 {"X-Bili-Timestamp", headers.timestamp},
                                 {"Authorization", headers.authorization}};
    EXPECT_EQ(code_of(test::http_request(server.http_port(), "POST", "/v2/app/heartbeat", body, {}, sent)), 7003);
    EXPECT_EQ(code_of(test::http_request(server.http_port(), "POST", "/v2/app/heartbeat", body, {}, sent)), 4004);
}

// Identity codes cannot be guessed through start: after ten wrong ones an app has every start
// refused with 4009, the right code included, while other apps go on.
TEST(OpenApi, EachAppsCallsAreCountedPerEndpointForItsDeveloper) {
    TestServer server;
    auto platform = set_up(server);
    const std::string app = std::to_string(platform.approved.app_id);
    auto start = answer(signed_post(server, platform.approved, "/v2/app/start",
                                    R"({"code":")" + platform.code + R"(","app_id":)" + app + "}"));
    ASSERT_EQ(start.at("code").as_int64(), 0) << boost::json::serialize(start);
    for (int i = 0; i < 3; ++i) {
        answer(signed_post(server, platform.approved, "/v2/app/heartbeat", R"({"game_id":"no-such-game"})"));
    }
    App forged = platform.approved;
    forged.secret = "not-the-secret";
    EXPECT_EQ(answer(signed_post(server, forged, "/v2/app/heartbeat", R"({"game_id":"g"})")).at("code").as_int64(),
              4002);

    test::grant_developer(server, UserId{7});
    const std::string developer = test::developer_token(server, UserId{7});
    const auto reply = server.get("/api/v1/open/apps/" + app + "/stats", developer);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto body = reply.json();
    const auto& endpoints = body.at("data").at("endpoints").as_array();
    ASSERT_EQ(endpoints.size(), 4u);
    EXPECT_EQ(endpoints.at(0).at("endpoint").as_string(), "/v2/app/start");
    EXPECT_EQ(endpoints.at(0).at("calls").as_int64(), 1);
    EXPECT_TRUE(endpoints.at(0).at("errors").as_object().empty());
    EXPECT_EQ(endpoints.at(1).at("endpoint").as_string(), "/v2/app/heartbeat");
    // Three beats for no game and one with a wrong signature, under the app its key names.
    EXPECT_EQ(endpoints.at(1).at("calls").as_int64(), 4);
    EXPECT_EQ(endpoints.at(1).at("errors").at("4002").as_int64(), 1);
    const auto& beat_errors = endpoints.at(1).at("errors").as_object();
    std::int64_t refused = 0;
    for (const auto& [code, count] : beat_errors) {
        refused += count.as_int64();
    }
    EXPECT_EQ(refused, 4);
    EXPECT_GE(endpoints.at(1).at("p99_ms").as_int64(), endpoints.at(1).at("p50_ms").as_int64());

    // The operator's count of every call, per endpoint, in /metrics.
    EXPECT_EQ(server.metric(R"(barrage_open_calls_total{endpoint="/v2/app/start"})"), 1u);
    EXPECT_EQ(server.metric(R"(barrage_open_calls_total{endpoint="/v2/app/heartbeat"})"), 4u);
    EXPECT_EQ(server.metric(R"(barrage_open_calls_total{endpoint="/v2/app/end"})"), 0u);
    // Another user sees nothing (the app is as unknown as a missing one); an admin sees it.
    EXPECT_NE(server.get("/api/v1/open/apps/" + app + "/stats", server.viewer_token()).status, 200u);
    EXPECT_EQ(server.get("/api/v1/open/apps/" + app + "/stats", server.admin_token()).status, 200u);
}

TEST(OpenApi, ARoomsRunningGamesAreListedForItsHostAndManagers) {
    TestServer server;
    auto platform = set_up(server);
    const std::string host = server.token(UserId{1}, "demo-streamer", message::Role::host);
    EXPECT_TRUE(server.get("/api/v1/rooms/1/games", host).json().at("data").at("games").as_array().empty());
    auto start = answer(signed_post(
        server, platform.approved, "/v2/app/start",
        R"({"code":")" + platform.code + R"(","app_id":)" + std::to_string(platform.approved.app_id) + "}"));
    ASSERT_EQ(start.at("code").as_int64(), 0) << boost::json::serialize(start);
    const auto listed = server.get("/api/v1/rooms/1/games", host);
    ASSERT_EQ(listed.status, 200u) << listed.body;
    const auto listed_json = listed.json();
    const auto& games = listed_json.at("data").at("games").as_array();
    ASSERT_EQ(games.size(), 1u);
    EXPECT_EQ(games.at(0).at("game_id"), start.at("data").at("game_info").at("game_id"));
    EXPECT_EQ(games.at(0).at("app_id").as_int64(), platform.approved.app_id);
    EXPECT_EQ(games.at(0).at("app_name").as_string(), "Duel");
    // The demo manager (uid 2) may look; a viewer may not.
    EXPECT_EQ(
        server.get("/api/v1/rooms/1/games", server.token(UserId{2}, "demo-manager", message::Role::manager)).status,
        200u);
    EXPECT_EQ(server.get("/api/v1/rooms/1/games", server.viewer_token()).status, 403u);
}

TEST(OpenApi, WrongIdentityCodesRunOutAndThenEvenTheRightOneIsRefused) {
    TestServer server;
    auto platform = set_up(server);
    const auto start = [&](const App& app, const std::string& code) {
        return answer(signed_post(server, app, "/v2/app/start",
                                  R"({"code":")" + code + R"(","app_id":)" + std::to_string(app.app_id) + "}"))
            .at("code")
            .as_int64();
    };
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(start(platform.approved, "WRONGCODE" + std::to_string(10000 + i)), 7007) << i;
    }
    EXPECT_EQ(start(platform.approved, "WRONGCODE99999"), 4009);
    EXPECT_EQ(start(platform.approved, platform.code), 4009);
    // Another app (a draft, in its developer's room: uid 7 hosts none, so 5004 there) is not
    // held back by the first one's mistakes: its wrong codes are still 7007.
    EXPECT_EQ(start(platform.draft, "WRONGCODE00000"), 7007);
}

}  // namespace
}  // namespace barrage
