#include "support/open_platform.h"

#include <atomic>
#include <stdexcept>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "crypto/digest.h"
#include "open/signature.h"
#include "store/database.h"
#include "store/open_apps.h"

namespace barrage::test {

namespace json = boost::json;

namespace {

std::atomic<int> next_nonce{0};

}  // namespace

OpenPlatform set_up_open_platform(const TestServer& server) {
    store::Database database({(server.data_dir() / "barrage.db").string(), true});
    SystemClock clock;
    store::OpenApps apps(database, clock);
    auto approved = apps.create_app(UserId{7}, "Duel", true, UserId{10});
    auto draft = apps.create_app(UserId{7}, "Draft", false, UserId{7});
    auto code = apps.identity_code(RoomId{1}, false, UserId{1});
    if (!approved || !draft || !code) {
        throw std::runtime_error("cannot set up the open platform's apps");
    }
    return {{approved->app_id, approved->access_key_id, approved->access_key_secret},
            {draft->app_id, draft->access_key_id, draft->access_key_secret},
            code->code};
}

HttpReply signed_post(const TestServer& server, const OpenAppKeys& app, std::string_view path, std::string_view body,
                      const Clock& clock, std::string content_type) {
    return signed_post_to(server.http_port(), app, path, body, clock, std::move(content_type));
}

HttpReply signed_post(const TestServer& server, const OpenAppKeys& app, std::string_view path, std::string_view body) {
    const SystemClock clock;
    return signed_post_to(server.http_port(), app, path, body, clock);
}

HttpReply signed_post_to(std::uint16_t port, const OpenAppKeys& app, std::string_view path, std::string_view body,
                         const Clock& clock, std::string content_type) {
    open::SignedHeaders headers;
    headers.access_key_id = app.key_id;
    headers.content_md5 = crypto::md5_hex(body);
    headers.signature_method = "HMAC-SHA256";
    headers.signature_nonce = "nonce-" + std::to_string(next_nonce++);
    headers.signature_version = "1.0";
    headers.timestamp = std::to_string(clock.wall_ms() / 1000);
    headers.authorization = open::sign(app.secret, headers);
    return http_request(port, "POST", path, body, {},
                        {{"Content-Type", std::move(content_type)},
                         {"Accept", "application/json"},
                         {"x-bili-accesskeyid", headers.access_key_id},
                         {"x-bili-content-md5", headers.content_md5},
                         {"x-bili-signature-method", headers.signature_method},
                         {"x-bili-signature-nonce", headers.signature_nonce},
                         {"x-bili-signature-version", headers.signature_version},
                         {"x-bili-timestamp", headers.timestamp},
                         {"Authorization", headers.authorization}});
}

json::object open_answer(const HttpReply& reply) {
    EXPECT_EQ(reply.status, 200U) << reply.body;  // always 200: clients read `code`
    auto object = reply.json();
    EXPECT_TRUE(object.contains("request_id")) << reply.body;
    return object;
}

StartedGame start_game(const TestServer& server, const OpenAppKeys& app, std::string_view code, const Clock& clock) {
    const auto body = json::serialize(json::object{{"code", code}, {"app_id", app.app_id}});
    auto answer = open_answer(signed_post(server, app, "/v2/app/start", body, clock));
    if (answer.at("code").as_int64() != 0) {
        throw std::runtime_error("start refused: " + json::serialize(answer));
    }
    const auto& data = answer.at("data").as_object();
    const auto& ws = data.at("websocket_info").as_object();
    return {std::string(data.at("game_info").at("game_id").as_string()), std::string(ws.at("auth_body").as_string()),
            std::string(ws.at("wss_link").as_array().at(0).as_string()),
            std::string(data.at("anchor_info").at("open_id").as_string())};
}

std::int64_t end_game(const TestServer& server, const OpenAppKeys& app, std::string_view game_id, const Clock& clock) {
    const auto body = json::serialize(json::object{{"app_id", app.app_id}, {"game_id", game_id}});
    return open_answer(signed_post(server, app, "/v2/app/end", body, clock)).at("code").as_int64();
}

std::int64_t game_heartbeat(const TestServer& server, const OpenAppKeys& app, std::string_view game_id,
                            const Clock& clock) {
    const auto body = json::serialize(json::object{{"game_id", game_id}});
    return open_answer(signed_post(server, app, "/v2/app/heartbeat", body, clock)).at("code").as_int64();
}

std::string developer_token(const TestServer& server, UserId uid) {
    return server.token(uid, "dev" + std::to_string(uid.value), message::Role::viewer);
}

void grant_developer(const TestServer& server, UserId uid) {
    auto granted = http_request(server.http_port(), "PUT", "/api/v1/open/developers/" + std::to_string(uid.value),
                                R"({"reason":"signed the developer terms"})", server.admin_token());
    EXPECT_EQ(granted.status, 200U) << granted.body;
}

}  // namespace barrage::test
