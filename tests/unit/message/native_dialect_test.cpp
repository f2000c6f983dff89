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
    EXPECT_EQ(user.at("guard_level").to_number<int>(), 0);
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
    const auto body = one_native_body(
        make_message(Danmaku{.text = "hi", .color = 0x123456, .mode = DanmakuMode::bottom, .fontsize = 18}, 1));
    expect_sequenced_envelope(body, "danmaku", 1);
    const auto& data = body.at("data").as_object();
    EXPECT_EQ(data.at("text").as_string(), "hi");
    EXPECT_EQ(data.at("color").to_number<int>(), 0x123456);
    EXPECT_EQ(data.at("mode").to_number<int>(), 4);
    EXPECT_EQ(data.at("fontsize").to_number<int>(), 18);
}

TEST(NativeDialect, AReplySaysWhomItAnswers) {
    const auto body =
        one_native_body(make_message(Danmaku{.text = "收到", .reply_uid = UserId{3}, .reply_name = "alice"}, 1));
    EXPECT_EQ(body.at("data").at("reply_to").at("uid").to_number<int>(), 3);
    EXPECT_EQ(body.at("data").at("reply_to").at("name").as_string(), "alice");
    EXPECT_FALSE(one_native_body(make_message(Danmaku{.text = "hi"}, 2)).at("data").as_object().contains("reply_to"));
}

TEST(NativeDialect, EnterShape) {
    expect_sequenced_envelope(one_native_body(make_message(Enter{}, 2)), "enter", 2);
}

TEST(NativeDialect, CustomShape) {
    const auto body = one_native_body(make_message(Custom{.type = "vote", .fields_json = R"({"n":1})"}, 3));
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
    const auto body = one_native_body(make_message(HistoryGap{.requested_after = 1, .first_available = 20}, 0));
    expect_unsequenced_envelope(body, "history_gap");
    EXPECT_EQ(body.at("data").at("requested_after").to_number<int>(), 1);
    EXPECT_EQ(body.at("data").at("first_available").to_number<int>(), 20);
}

TEST(NativeDialect, UserCarriesGuardLevel) {
    auto message = make_message(Enter{}, 2);
    message.sender.guard_level = 1;
    EXPECT_EQ(one_native_body(message).at("user").at("guard_level").to_number<int>(), 1);
}

TEST(NativeDialect, GiftShape) {
    const Gift gift{.gift_id = 31036,
                    .gift_name = "rocket",
                    .count = 3,
                    .price = 100,
                    .total = 300,
                    .animated = true,
                    .icon_url = "i.png",
                    .effect_url = "e.svga",
                    .combo_id = 77,
                    .combo_count = 2,
                    .combo_total = 5,
                    .gift_number = 9,
                    .order_id = 1234,
                    .app_id = 55,
                    .streamer = UserId{1000},
                    .streamer_name = "host",
                    .combo_timeout_s = 3};
    const auto body = one_native_body(make_message(gift, 5));
    expect_sequenced_envelope(body, "gift", 5);
    const auto& data = body.at("data").as_object();
    EXPECT_EQ(data.at("gift_id").to_number<int>(), 31036);
    EXPECT_EQ(data.at("name").as_string(), "rocket");
    EXPECT_EQ(data.at("count").to_number<int>(), 3);
    EXPECT_EQ(data.at("price").to_number<int>(), 100);
    EXPECT_EQ(data.at("total").to_number<int>(), 300);
    EXPECT_TRUE(data.at("animated").as_bool());
    EXPECT_EQ(data.at("icon_url").as_string(), "i.png");
    EXPECT_EQ(data.at("effect_url").as_string(), "e.svga");
    EXPECT_EQ(data.at("combo_id").to_number<int>(), 77);
    EXPECT_EQ(data.at("combo_count").to_number<int>(), 2);
    EXPECT_EQ(data.at("combo_total").to_number<int>(), 5);
    EXPECT_EQ(data.at("gift_number").to_number<int>(), 9);
    EXPECT_EQ(data.at("order_id").to_number<int>(), 1234);
    EXPECT_EQ(data.at("app_id").to_number<int>(), 55);
    EXPECT_EQ(data.at("streamer").at("uid").to_number<int>(), 1000);
    EXPECT_EQ(data.at("streamer").at("name").as_string(), "host");
    EXPECT_EQ(data.at("combo_timeout_s").to_number<int>(), 3);
}

TEST(NativeDialect, SuperChatShape) {
    const auto body = one_native_body(make_message(
        SuperChat{.id = 8, .text = "hi", .price = 30'000, .price_yuan = 30, .start_ms = 1000, .end_ms = 61'000}, 6));
    expect_sequenced_envelope(body, "super_chat", 6);
    const auto& data = body.at("data").as_object();
    EXPECT_EQ(data.at("id").to_number<int>(), 8);
    EXPECT_EQ(data.at("text").as_string(), "hi");
    EXPECT_EQ(data.at("price").to_number<int>(), 30'000);
    EXPECT_EQ(data.at("price_yuan").to_number<int>(), 30);
    EXPECT_EQ(data.at("start_ms").to_number<int>(), 1000);
    EXPECT_EQ(data.at("end_ms").to_number<int>(), 61'000);
}

TEST(NativeDialect, SuperChatDeleteShape) {
    const auto body = one_native_body(make_message(SuperChatDelete{.ids = {8, 9}}, 7));
    expect_sequenced_envelope(body, "super_chat_delete", 7);
    const auto& ids = body.at("data").at("ids").as_array();
    ASSERT_EQ(ids.size(), 2U);
    EXPECT_EQ(ids[0].to_number<int>(), 8);
    EXPECT_EQ(ids[1].to_number<int>(), 9);
}

TEST(NativeDialect, GuardBuyShape) {
    const auto body = one_native_body(
        make_message(GuardBuy{.level = 2, .months = 3, .price = 1'998'000, .start_ms = 10, .end_ms = 20}, 8));
    expect_sequenced_envelope(body, "guard_buy", 8);
    const auto& data = body.at("data").as_object();
    EXPECT_EQ(data.at("level").to_number<int>(), 2);
    EXPECT_EQ(data.at("months").to_number<int>(), 3);
    EXPECT_EQ(data.at("price").to_number<int>(), 1'998'000);
    EXPECT_EQ(data.at("start_ms").to_number<int>(), 10);
    EXPECT_EQ(data.at("end_ms").to_number<int>(), 20);
}

}  // namespace
}  // namespace barrage::message
