#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "message/dialect.h"

namespace barrage::message {
namespace {

namespace json = boost::json;

RoomMessage make_message(Body body, Sequence sequence) {
    return RoomMessage{
        .room = RoomId{7},
        .sequence = sequence,
        .time_ms = 1'700'000'123'456,
        .sender = Sender{.uid = UserId{42}, .name = "alice", .face = "f.png", .role = Role::host},
        .body = std::move(body),
    };
}

json::object one_native_body(const RoomMessage& message) {
    std::vector<std::string> bodies;
    encode_message(Dialect::native, message, bodies);
    EXPECT_EQ(bodies.size(), 1U);
    return bodies.empty() ? json::object{} : json::parse(bodies.front()).as_object();
}

void expect_sequenced_envelope(const json::object& body, std::string_view cmd, int sequence) {
    EXPECT_EQ(body.at("cmd").as_string(), cmd);
    EXPECT_EQ(body.at("room").to_number<int>(), 7);
    EXPECT_EQ(body.at("seq").to_number<int>(), sequence);
    EXPECT_EQ(body.at("time_ms").to_number<std::int64_t>(), 1'700'000'123'456);
    const auto& user = body.at("user").as_object();
    EXPECT_EQ(user.at("uid").to_number<int>(), 42);
    EXPECT_EQ(user.at("name").as_string(), "alice");
    EXPECT_EQ(user.at("face").as_string(), "f.png");
    EXPECT_EQ(user.at("role").as_string(), "host");
    EXPECT_TRUE(body.at("data").is_object());
}

void expect_unsequenced_envelope(const json::object& body, std::string_view cmd) {
    EXPECT_EQ(body.at("cmd").as_string(), cmd);
    EXPECT_EQ(body.at("room").to_number<int>(), 7);
    EXPECT_FALSE(body.contains("seq"));
    EXPECT_FALSE(body.contains("user"));
    EXPECT_TRUE(body.at("data").is_object());
}

TEST(NativeDialect, DanmakuShape) {
    const auto body = one_native_body(make_message(
        Danmaku{.text = "hi", .color = 0x123456, .mode = DanmakuMode::bottom, .fontsize = 18}, 1));
    expect_sequenced_envelope(body, "danmaku", 1);
    const auto& data = body.at("data").as_object();
    EXPECT_EQ(data.at("text").as_string(), "hi");
    EXPECT_EQ(data.at("color").to_number<int>(), 0x123456);
    EXPECT_EQ(data.at("mode").to_number<int>(), 4);
    EXPECT_EQ(data.at("fontsize").to_number<int>(), 18);
}

TEST(NativeDialect, EnterShape) {
    expect_sequenced_envelope(one_native_body(make_message(Enter{}, 2)), "enter", 2);
}

TEST(NativeDialect, CustomShape) {
    const auto body =
        one_native_body(make_message(Custom{.type = "vote", .fields_json = R"({"n":1})"}, 3));
    expect_sequenced_envelope(body, "custom", 3);
    EXPECT_EQ(body.at("data").at("type").as_string(), "vote");
    EXPECT_EQ(body.at("data").at("fields").at("n").to_number<int>(), 1);
}

TEST(NativeDialect, SystemShape) {
    const auto body = one_native_body(make_message(System{.text = "maintenance"}, 4));
    expect_sequenced_envelope(body, "system", 4);
    EXPECT_EQ(body.at("data").at("text").as_string(), "maintenance");
}

TEST(NativeDialect, OnlineShape) {
    const auto body = one_native_body(make_message(OnlineCount{.online = 3, .watched = 8}, 0));
    expect_unsequenced_envelope(body, "online");
    EXPECT_EQ(body.at("data").at("online").to_number<int>(), 3);
    EXPECT_EQ(body.at("data").at("watched").to_number<int>(), 8);
}

TEST(NativeDialect, HistoryGapShape) {
    const auto body = one_native_body(
        make_message(HistoryGap{.requested_after = 1, .first_available = 20}, 0));
    expect_unsequenced_envelope(body, "history_gap");
    EXPECT_EQ(body.at("data").at("requested_after").to_number<int>(), 1);
    EXPECT_EQ(body.at("data").at("first_available").to_number<int>(), 20);
}

}  // namespace
}  // namespace barrage::message
