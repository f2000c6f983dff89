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
        .sender = Sender{.uid = UserId{42}, .name = "alice", .face = "https://f/a.png", .role = Role::viewer},
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
    return one_web_body(
        make_message(Danmaku{.text = "hello 世界", .color = 0x00FF00, .mode = DanmakuMode::top, .fontsize = 30}, 3));
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
    const auto crc = ::crc32(0L, reinterpret_cast<const Bytef*>(uid_text.data()), static_cast<uInt>(uid_text.size()));
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

TEST(WebDialect, AReplyFillsReplyMidAndUnameAsBilibiliDoes) {
    const auto plain = one_web_body(make_message(Danmaku{.text = "hi"}, 1));
    const auto plain_extra =
        json::parse(plain.at("info").as_array()[0].as_array()[15].at("extra").as_string()).as_object();
    EXPECT_EQ(plain_extra.at("reply_mid").to_number<int>(), 0);
    EXPECT_EQ(plain_extra.at("reply_uname").as_string(), "");
    const auto reply =
        one_web_body(make_message(Danmaku{.text = "hi", .reply_uid = UserId{3}, .reply_name = "alice"}, 2));
    const auto extra = json::parse(reply.at("info").as_array()[0].as_array()[15].at("extra").as_string()).as_object();
    EXPECT_EQ(extra.at("reply_mid").to_number<int>(), 3);
    EXPECT_EQ(extra.at("reply_uname").as_string(), "alice");
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
    const auto body =
        one_web_body(make_message(Custom{.type = "vote", .fields_json = R"({"choice":"a","weight":2})"}, 4));
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
    const auto body = one_web_body(make_message(HistoryGap{.requested_after = 10, .first_available = 50}, 0));
    EXPECT_EQ(body.at("cmd").as_string(), "BARRAGE_HISTORY_GAP");
    EXPECT_FALSE(body.contains("seq"));
    EXPECT_EQ(body.at("data").at("requested_after").to_number<int>(), 10);
    EXPECT_EQ(body.at("data").at("first_available").to_number<int>(), 50);
}

TEST(WebDialect, DanmakuCarriesGuardLevelInInfo7) {
    auto message = make_message(Danmaku{.text = "hi"}, 1);
    message.sender.guard_level = 3;
    const auto body = one_web_body(message);
    EXPECT_EQ(body.at("info").as_array()[7].to_number<int>(), 3);
    EXPECT_TRUE(body.at("info").as_array()[3].as_array().empty());  // still no medal
}

TEST(WebDialect, EnterCarriesGuardLevelInFansMedal) {
    auto message = make_message(Enter{}, 1);
    message.sender.guard_level = 2;
    const auto body = one_web_body(message);
    EXPECT_EQ(body.at("data").at("fans_medal").at("guard_level").to_number<int>(), 2);
}

// Field presence and JSON kind, as the Python and TypeScript clients index them.
void expect_int(const json::object& object, std::string_view key) {
    ASSERT_TRUE(object.contains(key)) << key;
    EXPECT_TRUE(object.at(key).is_int64() || object.at(key).is_uint64()) << key;
}
void expect_string(const json::object& object, std::string_view key) {
    ASSERT_TRUE(object.contains(key)) << key;
    EXPECT_TRUE(object.at(key).is_string()) << key;
}
void expect_null(const json::object& object, std::string_view key) {
    ASSERT_TRUE(object.contains(key)) << key;
    EXPECT_TRUE(object.at(key).is_null()) << key;
}

Gift rose(std::uint32_t combo_count) {
    return Gift{.gift_id = 31036,
                .gift_name = "小花花",
                .count = 2,
                .price = 100,
                .total = 200,
                .animated = false,
                .icon_url = "https://i/rose.png",
                .effect_url = "",
                .combo_id = 77,
                .combo_count = combo_count,
                .combo_total = 2ULL * combo_count,
                .gift_number = 5,
                .order_id = 9001,
                .app_id = 0,
                .streamer = UserId{1000},
                .streamer_name = "host",
                .combo_timeout_s = 3};
}

void expect_medal_info_keys(const json::object& medal) {
    for (std::string_view key : {"anchor_roomid", "guard_level", "icon_id", "is_lighted", "medal_level", "target_id",
                                 "medal_color_border", "medal_color_end", "medal_color_start"}) {
        expect_int(medal, key);
    }
    for (std::string_view key : {"anchor_uname", "medal_name", "special"}) {
        expect_string(medal, key);
    }
    EXPECT_TRUE(medal.contains("medal_color"));
}

TEST(WebDialect, GiftIsSendGiftWithEveryFieldClientsRead) {
    auto message = make_message(rose(1), 6);
    message.sender.guard_level = 3;
    const auto bodies = encode_web(message);
    ASSERT_EQ(bodies.size(), 1U);  // a first hit has no COMBO_SEND
    EXPECT_EQ(bodies[0].at("cmd").as_string(), "SEND_GIFT");
    EXPECT_EQ(bodies[0].at("seq").to_number<int>(), 6);
    const auto& data = bodies[0].at("data").as_object();
    for (std::string_view key : {"giftName", "uname", "face", "action", "coin_type", "rnd", "tid", "batch_combo_id"}) {
        expect_string(data, key);
    }
    for (std::string_view key : {"num", "guard_level", "uid", "timestamp", "giftId", "giftType", "price", "total_coin",
                                 "super_batch_gift_num", "combo_total_coin", "giftNum", "combo_stay_time"}) {
        expect_int(data, key);
    }
    expect_null(data, "blind_gift");
    expect_null(data, "send_master");
    expect_string(data.at("gift_info").as_object(), "img_basic");
    expect_string(data.at("gift_info").as_object(), "webp");
    expect_medal_info_keys(data.at("medal_info").as_object());
    EXPECT_TRUE(data.at("medal_info").at("medal_color").is_int64());
    EXPECT_EQ(data.at("giftName").as_string(), "小花花");
    EXPECT_EQ(data.at("giftId").to_number<int>(), 31036);
    EXPECT_EQ(data.at("num").to_number<int>(), 2);
    EXPECT_EQ(data.at("uid").to_number<int>(), 42);
    EXPECT_EQ(data.at("guard_level").to_number<int>(), 3);
    EXPECT_EQ(data.at("timestamp").to_number<std::int64_t>(), 1'700'000'123);
    EXPECT_EQ(data.at("price").to_number<int>(), 100);
    EXPECT_EQ(data.at("total_coin").to_number<int>(), 200);
    EXPECT_EQ(data.at("coin_type").as_string(), "gold");
    EXPECT_EQ(data.at("action").as_string(), "投喂");
    EXPECT_EQ(data.at("tid").as_string(), "9001");
    EXPECT_EQ(data.at("giftNum").to_number<int>(), 5);
    EXPECT_EQ(data.at("combo_stay_time").to_number<int>(), 3);
    EXPECT_EQ(data.at("gift_info").at("img_basic").as_string(), "https://i/rose.png");
    EXPECT_NE(data.at("batch_combo_id").as_string().find(":77"), json::string::npos);
    const auto& batch = data.at("batch_combo_send").as_object();
    EXPECT_EQ(batch.at("batch_combo_id"), data.at("batch_combo_id"));
    EXPECT_EQ(batch.at("batch_combo_num").to_number<int>(), 1);
    EXPECT_EQ(batch.at("gift_num").to_number<int>(), 2);
}

TEST(WebDialect, LaterComboHitAlsoSendsComboSend) {
    const auto bodies = encode_web(make_message(rose(3), 8));
    ASSERT_EQ(bodies.size(), 2U);
    EXPECT_EQ(bodies[0].at("cmd").as_string(), "SEND_GIFT");
    EXPECT_EQ(bodies[0].at("data").at("super_batch_gift_num").to_number<int>(), 6);
    EXPECT_EQ(bodies[0].at("data").at("combo_total_coin").to_number<int>(), 600);
    EXPECT_EQ(bodies[1].at("cmd").as_string(), "COMBO_SEND");
    EXPECT_EQ(bodies[1].at("seq").to_number<int>(), 8);
    const auto& data = bodies[1].at("data").as_object();
    for (std::string_view key : {"uname", "gift_name", "batch_combo_id", "combo_id", "action", "r_uname"}) {
        expect_string(data, key);
    }
    for (std::string_view key :
         {"uid", "gift_id", "gift_num", "combo_num", "combo_total_coin", "batch_combo_num", "total_num", "ruid"}) {
        expect_int(data, key);
    }
    expect_null(data, "send_master");
    expect_medal_info_keys(data.at("medal_info").as_object());
    EXPECT_EQ(data.at("combo_num").to_number<int>(), 3);
    EXPECT_EQ(data.at("batch_combo_num").to_number<int>(), 3);
    EXPECT_EQ(data.at("total_num").to_number<int>(), 6);
    EXPECT_EQ(data.at("combo_total_coin").to_number<int>(), 600);
    EXPECT_EQ(data.at("ruid").to_number<int>(), 1000);
    EXPECT_EQ(data.at("r_uname").as_string(), "host");
    EXPECT_EQ(data.at("batch_combo_id"), bodies[0].at("data").at("batch_combo_id"));
}

TEST(WebDialect, GiftThatCannotComboHasEmptyComboIdAndNoComboSend) {
    Gift gift = rose(2);
    gift.combo_id = 0;
    const auto bodies = encode_web(make_message(gift, 2));
    ASSERT_EQ(bodies.size(), 1U);
    const auto& data = bodies[0].at("data").as_object();
    EXPECT_EQ(data.at("batch_combo_id").as_string(), "");
    EXPECT_EQ(data.at("super_batch_gift_num").to_number<int>(), 2);
    EXPECT_EQ(data.at("combo_total_coin").to_number<int>(), 200);
}

SuperChat super_chat(std::int64_t price_yuan) {
    return SuperChat{.id = 4898587,
                     .text = "加油",
                     .price = price_yuan * 1000,
                     .price_yuan = price_yuan,
                     .start_ms = 1'700'000'123'456,
                     .end_ms = 1'700'000'183'456};
}

TEST(WebDialect, SuperChatHasEveryFieldBlivedmReads) {
    auto message = make_message(super_chat(30), 11);
    message.sender.guard_level = 1;
    message.sender.role = Role::manager;
    const auto body = one_web_body(message);
    EXPECT_EQ(body.at("cmd").as_string(), "SUPER_CHAT_MESSAGE");
    EXPECT_EQ(body.at("seq").to_number<int>(), 11);
    EXPECT_EQ(body.at("roomid").to_number<int>(), 7);
    const auto& data = body.at("data").as_object();
    for (std::string_view key : {"id", "uid", "price", "start_time", "end_time", "time"}) {
        expect_int(data, key);
    }
    for (std::string_view key : {"message", "message_trans", "background_color", "background_bottom_color",
                                 "background_price_color", "background_image", "background_icon"}) {
        expect_string(data, key);
    }
    EXPECT_EQ(data.at("id").to_number<int>(), 4898587);
    EXPECT_EQ(data.at("price").to_number<int>(), 30);
    EXPECT_EQ(data.at("message").as_string(), "加油");
    EXPECT_EQ(data.at("start_time").to_number<std::int64_t>(), 1'700'000'123);
    EXPECT_EQ(data.at("end_time").to_number<std::int64_t>(), 1'700'000'183);
    EXPECT_EQ(data.at("time").to_number<int>(), 60);
    const auto& gift = data.at("gift").as_object();
    EXPECT_EQ(gift.at("gift_id").to_number<int>(), 12000);
    EXPECT_EQ(gift.at("gift_name").as_string(), "醒目留言");
    EXPECT_EQ(gift.at("num").to_number<int>(), 1);
    const auto& user = data.at("user_info").as_object();
    expect_string(user, "uname");
    expect_string(user, "face");
    EXPECT_EQ(user.at("guard_level").to_number<int>(), 1);
    EXPECT_EQ(user.at("user_level").to_number<int>(), 0);
    EXPECT_EQ(user.at("manager").to_number<int>(), 1);
    expect_medal_info_keys(data.at("medal_info").as_object());
}

TEST(WebDialect, SuperChatTimeIsWhatRemainsWhenAccepted) {
    auto message = make_message(super_chat(30), 1);
    message.time_ms += 30'000;
    EXPECT_EQ(one_web_body(message).at("data").at("time").to_number<int>(), 30);
    message.time_ms += 60'000;
    EXPECT_EQ(one_web_body(message).at("data").at("time").to_number<int>(), 0);
}

TEST(WebDialect, SuperChatColourDependsOnPriceTier) {
    const auto colour = [](std::int64_t yuan) {
        return std::string{
            one_web_body(make_message(super_chat(yuan), 1)).at("data").at("background_bottom_color").as_string()};
    };
    EXPECT_EQ(colour(30), colour(49));
    EXPECT_NE(colour(49), colour(50));
    EXPECT_NE(colour(50), colour(100));
    EXPECT_NE(colour(100), colour(500));
    EXPECT_NE(colour(500), colour(1000));
    EXPECT_NE(colour(1000), colour(2000));
    EXPECT_EQ(colour(2000), colour(100'000));
}

TEST(WebDialect, SuperChatDeleteListsIds) {
    const auto body = one_web_body(make_message(SuperChatDelete{.ids = {3, 9}}, 12));
    EXPECT_EQ(body.at("cmd").as_string(), "SUPER_CHAT_MESSAGE_DELETE");
    EXPECT_EQ(body.at("seq").to_number<int>(), 12);
    EXPECT_EQ(body.at("roomid").to_number<int>(), 7);
    const auto& ids = body.at("data").at("ids").as_array();
    ASSERT_EQ(ids.size(), 2U);
    EXPECT_EQ(ids[0].to_number<int>(), 3);
    EXPECT_EQ(ids[1].to_number<int>(), 9);
}

TEST(WebDialect, GuardBuyIsGuardBuyAndUserToast) {
    const GuardBuy guard{
        .level = 3, .months = 2, .price = 198'000, .start_ms = 1'700'000'123'456, .end_ms = 1'705'184'123'456};
    const auto bodies = encode_web(make_message(guard, 13));
    ASSERT_EQ(bodies.size(), 2U);
    EXPECT_EQ(bodies[0].at("cmd").as_string(), "GUARD_BUY");
    EXPECT_EQ(bodies[1].at("cmd").as_string(), "USER_TOAST_MSG");
    for (const auto& body : bodies) {
        EXPECT_EQ(body.at("seq").to_number<int>(), 13);
        const auto& data = body.at("data").as_object();
        for (std::string_view key : {"uid", "guard_level", "num", "price", "gift_id", "start_time", "end_time"}) {
            expect_int(data, key);
        }
        expect_string(data, "username");
        EXPECT_EQ(data.at("uid").to_number<int>(), 42);
        EXPECT_EQ(data.at("username").as_string(), "alice");
        EXPECT_EQ(data.at("guard_level").to_number<int>(), 3);
        EXPECT_EQ(data.at("num").to_number<int>(), 2);
        EXPECT_EQ(data.at("price").to_number<int>(), 198'000);
        EXPECT_EQ(data.at("gift_id").to_number<int>(), 10003);
        EXPECT_EQ(data.at("start_time").to_number<std::int64_t>(), 1'700'000'123);
        EXPECT_EQ(data.at("end_time").to_number<std::int64_t>(), 1'705'184'123);
    }
    EXPECT_EQ(bodies[0].at("data").at("gift_name").as_string(), "舰长");
    const auto& toast = bodies[1].at("data").as_object();
    EXPECT_EQ(toast.at("unit").as_string(), "月");
    EXPECT_EQ(toast.at("role_name").as_string(), "舰长");
    EXPECT_EQ(toast.at("toast_msg").as_string(), "<%alice%> 开通了舰长");
}

TEST(WebDialect, GuardTiersHaveBilibiliGiftIdsAndNames) {
    const auto guard_buy = [](std::uint8_t level) {
        return encode_web(make_message(GuardBuy{.level = level}, 1))[0].at("data").as_object();
    };
    EXPECT_EQ(guard_buy(1).at("gift_id").to_number<int>(), 10001);
    EXPECT_EQ(guard_buy(1).at("gift_name").as_string(), "总督");
    EXPECT_EQ(guard_buy(2).at("gift_id").to_number<int>(), 10002);
    EXPECT_EQ(guard_buy(2).at("gift_name").as_string(), "提督");
    EXPECT_EQ(guard_buy(3).at("gift_id").to_number<int>(), 10003);
}

TEST(WebDialect, EscapesHostileText) {
    const auto body = one_web_body(make_message(Danmaku{.text = "\"]}\\\n<x>"}, 1));
    EXPECT_EQ(body.at("info").as_array()[1].as_string(), "\"]}\\\n<x>");
}

}  // namespace
}  // namespace barrage::message
