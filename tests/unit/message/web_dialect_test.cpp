#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <zlib.h>

#include "message/dialect.h"

namespace barrage::message {
namespace {

namespace json = boost::json;

RoomMessage make_message(Body body, Sequence sequence) {
    return RoomMessage{
        .room = RoomId{7},
        .sequence = sequence,
        .time_ms = 1'700'000'123'456,
        .sender = Sender{.uid = UserId{42}, .name = "alice", .face = "https://f/a.png",
                         .role = Role::viewer},
        .body = std::move(body),
    };
}

std::vector<json::object> encode_web(const RoomMessage& message) {
    std::vector<std::string> bodies;
    encode_message(Dialect::web, message, bodies);
    std::vector<json::object> objects;
    for (const auto& body : bodies) {
        objects.push_back(json::parse(body).as_object());
    }
    return objects;
}

json::object one_web_body(const RoomMessage& message) {
    auto objects = encode_web(message);
    EXPECT_EQ(objects.size(), 1U);
    return objects.empty() ? json::object{} : objects.front();
}

json::object danmaku_body() {
    return one_web_body(make_message(
        Danmaku{.text = "hello 世界", .color = 0x00FF00, .mode = DanmakuMode::top, .fontsize = 30},
        3));
}

TEST(WebDialect, DanmakuHasFullPositionalInfo) {
    const auto body = danmaku_body();
    EXPECT_EQ(body.at("cmd").as_string(), "DANMU_MSG");
    EXPECT_EQ(body.at("dm_v2").as_string(), "");
    EXPECT_EQ(body.at("seq").to_number<std::uint64_t>(), 3U);
    const auto& info = body.at("info").as_array();
    ASSERT_EQ(info.size(), 17U);
    const auto& meta = info[0].as_array();
    ASSERT_GE(meta.size(), 16U);
    EXPECT_EQ(meta[1].to_number<int>(), 5);
    EXPECT_EQ(meta[2].to_number<int>(), 30);
    EXPECT_EQ(meta[3].to_number<int>(), 0x00FF00);
    EXPECT_EQ(meta[4].to_number<std::int64_t>(), 1'700'000'123'456);
    EXPECT_TRUE(meta[15].is_object());
    EXPECT_TRUE(meta[16].is_object());
    EXPECT_EQ(info[1].as_string(), "hello 世界");
    const auto& user = info[2].as_array();
    ASSERT_EQ(user.size(), 8U);
    EXPECT_EQ(user[0].to_number<std::uint64_t>(), 42U);
    EXPECT_EQ(user[1].as_string(), "alice");
    EXPECT_EQ(user[2].to_number<int>(), 0);
    EXPECT_EQ(user[5].to_number<int>(), 10000);
    EXPECT_TRUE(info[3].as_array().empty());
    EXPECT_EQ(info[4].as_array().size(), 5U);
    EXPECT_EQ(info[7].to_number<int>(), 0);
    EXPECT_EQ(info[9].at("ts").to_number<std::int64_t>(), 1'700'000'123);
    EXPECT_TRUE(info[9].at("ct").is_string());
    EXPECT_EQ(info[16].as_array().size(), 1U);
}

TEST(WebDialect, DanmakuUidHashIsCrc32OfDecimalUid) {
    const auto body = danmaku_body();
    const std::string uid_text = "42";
    const auto crc = ::crc32(0L, reinterpret_cast<const Bytef*>(uid_text.data()),
                             static_cast<uInt>(uid_text.size()));
    char expected[16];
    std::snprintf(expected, sizeof expected, "%lx", crc);
    EXPECT_EQ(body.at("info").as_array()[0].as_array()[7].as_string(), expected);
}

TEST(WebDialect, DanmakuExtraIsJsonTextWithContent) {
    const auto body = danmaku_body();
    const auto& holder = body.at("info").as_array()[0].as_array()[15].as_object();
    const auto extra = json::parse(holder.at("extra").as_string()).as_object();
    EXPECT_EQ(extra.at("content").as_string(), "hello 世界");
    EXPECT_EQ(extra.at("color").to_number<int>(), 0x00FF00);
    EXPECT_EQ(extra.at("player_mode").to_number<int>(), 5);
    EXPECT_EQ(holder.at("user").at("base").at("name").as_string(), "alice");
    EXPECT_EQ(holder.at("user").at("base").at("face").as_string(), "https://f/a.png");
    EXPECT_EQ(holder.at("user").at("uid").to_number<std::uint64_t>(), 42U);
}

TEST(WebDialect, DanmakuMarksManagersAsAdmin) {
    auto message = make_message(Danmaku{.text = "hi"}, 1);
    message.sender.role = Role::manager;
    const auto body = one_web_body(message);
    EXPECT_EQ(body.at("info").as_array()[2].as_array()[2].to_number<int>(), 1);
}

TEST(WebDialect, EnterIsInteractWordMsgType1) {
    const auto body = one_web_body(make_message(Enter{}, 9));
    EXPECT_EQ(body.at("cmd").as_string(), "INTERACT_WORD");
    EXPECT_EQ(body.at("seq").to_number<std::uint64_t>(), 9U);
    const auto& data = body.at("data").as_object();
    EXPECT_EQ(data.at("uid").to_number<std::uint64_t>(), 42U);
    EXPECT_EQ(data.at("uname").as_string(), "alice");
    EXPECT_EQ(data.at("msg_type").to_number<int>(), 1);
    EXPECT_EQ(data.at("roomid").to_number<std::uint64_t>(), 7U);
    EXPECT_EQ(data.at("timestamp").to_number<std::int64_t>(), 1'700'000'123);
    EXPECT_EQ(data.at("trigger_time").to_number<std::int64_t>(), 1'700'000'123'456'000'000);
    EXPECT_TRUE(data.at("fans_medal").at("medal_name").is_string());
}

TEST(WebDialect, OnlineCountIsTwoUnsequencedBodies) {
    const auto bodies = encode_web(make_message(OnlineCount{.online = 12, .watched = 345}, 0));
    ASSERT_EQ(bodies.size(), 2U);
    EXPECT_EQ(bodies[0].at("cmd").as_string(), "ONLINE_RANK_COUNT");
    EXPECT_EQ(bodies[0].at("data").at("count").to_number<int>(), 12);
    EXPECT_EQ(bodies[0].at("data").at("online_count_text").as_string(), "12");
    EXPECT_EQ(bodies[1].at("cmd").as_string(), "WATCHED_CHANGE");
    EXPECT_EQ(bodies[1].at("data").at("num").to_number<int>(), 345);
    EXPECT_EQ(bodies[1].at("data").at("text_large").as_string(), "345人看过");
    EXPECT_FALSE(bodies[0].contains("seq"));
    EXPECT_FALSE(bodies[1].contains("seq"));
}

TEST(WebDialect, CustomCarriesTypeAndFields) {
    const auto body = one_web_body(
        make_message(Custom{.type = "vote", .fields_json = R"({"choice":"a","weight":2})"}, 4));
    EXPECT_EQ(body.at("cmd").as_string(), "BARRAGE_CUSTOM");
    EXPECT_EQ(body.at("seq").to_number<int>(), 4);
    EXPECT_EQ(body.at("data").at("type").as_string(), "vote");
    EXPECT_EQ(body.at("data").at("fields").at("choice").as_string(), "a");
    EXPECT_EQ(body.at("data").at("fields").at("weight").to_number<int>(), 2);
    EXPECT_EQ(body.at("data").at("uname").as_string(), "alice");
}

TEST(WebDialect, SystemIsNoticeMsg) {
    const auto body = one_web_body(make_message(System{.text = "welcome"}, 5));
    EXPECT_EQ(body.at("cmd").as_string(), "NOTICE_MSG");
    EXPECT_EQ(body.at("seq").to_number<int>(), 5);
    EXPECT_EQ(body.at("msg_self").as_string(), "welcome");
    EXPECT_EQ(body.at("roomid").to_number<int>(), 7);
}

TEST(WebDialect, HistoryGapIsUnsequenced) {
    const auto body = one_web_body(
        make_message(HistoryGap{.requested_after = 10, .first_available = 50}, 0));
    EXPECT_EQ(body.at("cmd").as_string(), "BARRAGE_HISTORY_GAP");
    EXPECT_FALSE(body.contains("seq"));
    EXPECT_EQ(body.at("data").at("requested_after").to_number<int>(), 10);
    EXPECT_EQ(body.at("data").at("first_available").to_number<int>(), 50);
}

TEST(WebDialect, EscapesHostileText) {
    const auto body = one_web_body(make_message(Danmaku{.text = "\"]}\\\n<x>"}, 1));
    EXPECT_EQ(body.at("info").as_array()[1].as_string(), "\"]}\\\n<x>");
}

}  // namespace
}  // namespace barrage::message
