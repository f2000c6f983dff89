// The REST API around the long connections: creating and listing rooms, health and metrics,
// custom message types, and the error answers of each route.

#include <algorithm>

#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

constexpr std::string_view kRoom42 = R"({"id":42,"title":"Room forty-two","host":3,"managers":[4]})";

TEST(RoomsApi, AdminCreatesRoomThatClientsCanJoin) {
    TestServer server;
    auto created = server.post("/api/v1/rooms", kRoom42, server.admin_token());
    ASSERT_EQ(created.status, 200U) << created.body;
    auto data = created.json().at("data").as_object();
    EXPECT_EQ(int_field(data, "id"), 42);
    EXPECT_EQ(data.at("title").as_string(), "Room forty-two");
    EXPECT_EQ(int_field(data, "host"), 3);

    auto client = server.join(Transport::ws, AuthBody(42).str());
    auto sequence = server.send_danmaku("first words in 42", server.viewer_token(), 42);
    EXPECT_EQ(sequence, 1U) << "a new room starts its own sequence";
    EXPECT_EQ(danmaku_text(client->next_cmd("DANMU_MSG").json()), "first words in 42");
}

TEST(RoomsApi, ListIncludesConfiguredAndCreatedRooms) {
    TestServer server;
    ASSERT_EQ(server.post("/api/v1/rooms", kRoom42, server.admin_token()).status, 200U);
    auto listed = server.get("/api/v1/rooms");
    ASSERT_EQ(listed.status, 200U);
    std::vector<std::int64_t> ids;
    auto json = listed.json();
    for (const auto& room : json.at("data").as_array()) {
        ids.push_back(int_field(room.as_object(), "id"));
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 42}));
}

TEST(RoomsApi, RoomInfoShowsConfigurationAndOnlineCount) {
    TestServer server;
    auto client = server.join(Transport::tcp, AuthBody().str());
    auto info = server.get("/api/v1/rooms/1");
    ASSERT_EQ(info.status, 200U) << info.body;
    auto data = info.json().at("data").as_object();
    EXPECT_EQ(data.at("title").as_string(), "Demo room");
    EXPECT_EQ(int_field(data, "online"), 1);
    EXPECT_EQ(server.get("/api/v1/rooms/7").status, 404U);
}

TEST(RoomsApi, ViewerCannotCreateRoom) {
    TestServer server;
    auto reply = server.post("/api/v1/rooms", kRoom42, server.viewer_token());
    EXPECT_EQ(reply.status, 403U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::forbidden));
    auto anonymous = server.post("/api/v1/rooms", kRoom42);
    EXPECT_EQ(anonymous.status, 401U);
    EXPECT_EQ(anonymous.code(), static_cast<int>(Errc::unauthenticated));
    // Refused rooms do not exist.
    auto client = server.connect(Transport::tcp);
    client->send_auth(AuthBody(42).str());
    EXPECT_EQ(int_field(client->auth_reply(), "code"), -101);
}

TEST(RoomsApi, DuplicateRoomIsConflict) {
    TestServer server;
    auto admin = server.admin_token();
    ASSERT_EQ(server.post("/api/v1/rooms", kRoom42, admin).status, 200U);
    auto again = server.post("/api/v1/rooms", kRoom42, admin);
    EXPECT_EQ(again.status, 409U);
    EXPECT_EQ(again.code(), static_cast<int>(Errc::room_exists));
    auto configured = server.post("/api/v1/rooms", R"({"id":1})", admin);
    EXPECT_EQ(configured.status, 409U);
    EXPECT_EQ(configured.code(), static_cast<int>(Errc::room_exists));
}

TEST(RoomsApi, BadRoomBodiesAreBadRequests) {
    TestServer server;
    auto admin = server.admin_token();
    for (std::string_view body : {R"({"id":)", R"([42])", R"({"title":"no id"})", R"({"id":"42"})",
                                  R"({"id":43,"title":7})", R"({"id":44,"managers":"4"})"}) {
        auto reply = server.post("/api/v1/rooms", body, admin);
        EXPECT_EQ(reply.status, 400U) << body;
        EXPECT_EQ(reply.code(), static_cast<int>(Errc::bad_request)) << body;
    }
}

TEST(RestApi, HealthzAndMetricsAnswer) {
    TestServer server;
    auto health = server.get("/healthz");
    EXPECT_EQ(health.status, 200U);
    EXPECT_EQ(health.json().at("status").as_string(), "ok");

    auto client = server.join(Transport::tcp, AuthBody().str());
    auto metrics = server.get("/metrics");
    EXPECT_EQ(metrics.status, 200U);
    EXPECT_NE(metrics.content_type.find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find("# TYPE barrage_connections_open gauge"), std::string::npos);
    EXPECT_EQ(server.metric("barrage_connections_open"), 1U);
    EXPECT_EQ(server.metric("barrage_rooms"), 1U);
    EXPECT_EQ(server.metric("barrage_io_threads"), 2U);
}

TEST(RestApi, UnknownRoutesAndMethodsAreRefused) {
    TestServer server;
    auto missing = server.get("/api/v2/anything");
    EXPECT_EQ(missing.status, 404U);
    EXPECT_EQ(missing.code(), static_cast<int>(Errc::not_found));
    auto wrong_method = http_request(server.http_port(), "DELETE", "/api/v1/rooms");
    EXPECT_EQ(wrong_method.status, 405U);
    EXPECT_EQ(wrong_method.code(), static_cast<int>(Errc::method_not_allowed));
    auto get_danmaku = server.get("/api/v1/rooms/1/danmaku");
    EXPECT_EQ(get_danmaku.status, 405U);
}

TEST(RestApi, OversizedBodyIsRefused) {
    TestServer server;
    std::string body = R"({"msg":")" + std::string(limits::kHttpBodyBytesMax, 'x') + R"("})";
    auto reply = server.post("/api/v1/rooms/1/danmaku", body, server.viewer_token());
    EXPECT_EQ(reply.status, 413U);
}

void declare_vote(app::Config& config) {
    message::FieldSpec option;
    option.name = "option";
    option.kind = message::FieldKind::string;
    option.max_length = 10;
    message::FieldSpec weight;
    weight.name = "weight";
    weight.kind = message::FieldKind::integer;
    weight.required = false;
    message::CustomType vote;
    vote.name = "vote";
    vote.fields = {option, weight};
    config.custom_types.push_back(vote);
}

TEST(CustomMessages, DeclaredTypeIsAcceptedAndPushed) {
    TestServer server(declare_vote);
    auto web = server.join(Transport::tcp, AuthBody().protover(2).str());
    auto native = server.join(Transport::ws, AuthBody().dialect("native").str());
    auto reply = server.post("/api/v1/rooms/1/messages", R"({"type":"vote","fields":{"option":"A","weight":2}})",
                             server.viewer_token());
    ASSERT_EQ(reply.status, 200U) << reply.body;
    auto sequence = int_field(reply.json().at("data").as_object(), "seq");

    auto pushed = web->next_cmd("BARRAGE_CUSTOM").json();
    EXPECT_EQ(sequence_of(pushed), static_cast<std::uint64_t>(sequence));
    EXPECT_EQ(pushed.at("data").at("type").as_string(), "vote");
    EXPECT_EQ(pushed.at("data").at("fields").at("option").as_string(), "A");
    EXPECT_EQ(pushed.at("data").at("fields").at("weight").to_number<std::int64_t>(), 2);

    auto spelled = native->next_cmd("custom").json();
    EXPECT_EQ(spelled.at("data").at("type").as_string(), "vote");
    EXPECT_EQ(spelled.at("user").at("uid").to_number<std::uint64_t>(), kAlice.value);
}

TEST(CustomMessages, DeclaredTypeCanBeSentOnTheLongConnection) {
    TestServer server(declare_vote);
    auto client = server.join(Transport::ws, AuthBody().key(server.viewer_token()).str());
    client->send_message(R"({"type":"vote","fields":{"option":"B"}})", 3);
    auto reply = client->take_operation(wire::Operation::send_reply);  // the push may come first
    EXPECT_EQ(int_field(parse_object(reply.packet.body), "code"), 0) << reply.packet.body;
    EXPECT_EQ(client->next_cmd("BARRAGE_CUSTOM").json().at("data").at("fields").at("option").as_string(), "B");
}

TEST(CustomMessages, UndeclaredTypeAndBadFieldsAreRefused) {
    TestServer server(declare_vote);
    auto token = server.viewer_token();
    auto undeclared = server.post("/api/v1/rooms/1/messages", R"({"type":"poll","fields":{}})", token);
    EXPECT_EQ(undeclared.status, 400U);
    EXPECT_EQ(undeclared.code(), static_cast<int>(Errc::unknown_message_type));

    for (std::string_view body : {R"({"type":"vote","fields":{"option":7}})", R"({"type":"vote","fields":{}})",
                                  R"({"type":"vote","fields":{"option":"A","weight":"heavy"}})",
                                  R"({"type":"vote","fields":{"option":"A","extra":1}})",
                                  R"({"type":"vote","fields":{"option":"far too long an option"}})"}) {
        auto reply = server.post("/api/v1/rooms/1/messages", body, token);
        EXPECT_EQ(reply.status, 400U) << body;
        EXPECT_EQ(reply.code(), static_cast<int>(Errc::bad_custom_field)) << body;
    }
}

TEST(CustomMessages, NoTypesDeclaredRefusesEveryCustomType) {
    TestServer server;
    auto reply =
        server.post("/api/v1/rooms/1/messages", R"({"type":"vote","fields":{"option":"A"}})", server.viewer_token());
    EXPECT_EQ(reply.status, 400U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::unknown_message_type));
}

}  // namespace
}  // namespace barrage::test
