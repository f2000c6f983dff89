// The open-platform dialect against the fields real game clients read (PROTOCOL.md §4): every
// field blivedm 1.1.7 reads with data['key'] must be there, users are named by per-app open_id
// and never by uid, and an interactive gift reaches only its own app.

#include "message/open_dialect.h"

#include <regex>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "message/dialect.h"

namespace barrage::message {
namespace {

namespace json = boost::json;

constexpr std::int64_t kApp = 1650000000001;
constexpr std::int64_t kOtherApp = 1650000000002;

OpenAudience audience(std::int64_t app = kApp) {
    return OpenAudience{.app_id = app,
                        .open_id_key = "open id key",
                        .anchor_open_id = open_id_of("open id key", app, UserId{1}),
                        .anchor_name = "streamer",
                        .anchor_face = "s.png"};
}

RoomMessage make_message(Body body, Sequence sequence = 9) {
    return RoomMessage{
        .room = RoomId{7},
        .sequence = sequence,
        .time_ms = 1'700'000'123'456,
        .sender = Sender{.uid = UserId{42}, .name = "alice", .face = "f.png", .role = Role::manager, .guard_level = 3},
        .body = std::move(body),
    };
}

std::vector<json::object> encode(const RoomMessage& message, const OpenAudience& to = audience()) {
    std::vector<std::string> bodies;
    encode_open_platform(message, to, bodies);
    std::vector<json::object> out;
    for (const auto& body : bodies) {
        out.push_back(json::parse(body).as_object());
    }
    return out;
}

json::object one(const RoomMessage& message, std::string_view cmd) {
    auto bodies = encode(message);
    EXPECT_EQ(bodies.size(), 1U);
    if (bodies.empty()) {
        return {};
    }
    EXPECT_EQ(bodies[0].at("cmd").as_string(), cmd);
    EXPECT_EQ(bodies[0].at("seq").to_number<int>(), 9);
    return bodies[0].at("data").as_object();
}

void expect_fields(const json::object& data, std::initializer_list<std::string_view> fields) {
    for (auto field : fields) {
        EXPECT_TRUE(data.contains(field)) << "missing " << field << " in " << json::serialize(data);
    }
}

void expect_sender(const json::object& data) {
    EXPECT_EQ(data.at("uid").to_number<int>(), 0);  // never the uid
    EXPECT_EQ(data.at("open_id").as_string(), open_id_of("open id key", kApp, UserId{42}));
    EXPECT_EQ(data.at("union_id").as_string(), "");
    EXPECT_EQ(data.at("uname").as_string(), "alice");
    EXPECT_EQ(data.at("uface").as_string(), "f.png");
    EXPECT_EQ(data.at("room_id").to_number<int>(), 7);
    EXPECT_EQ(data.at("timestamp").to_number<std::int64_t>(), 1'700'000'123);
    EXPECT_TRUE(std::regex_match(std::string(data.at("msg_id").as_string()),
                                 std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
}

TEST(OpenIds, AreStablePerAppDifferentAcrossAppsAndHideTheUid) {
    const auto first = open_id_of("k", kApp, UserId{42});
    EXPECT_EQ(first, open_id_of("k", kApp, UserId{42}));
    EXPECT_NE(first, open_id_of("k", kOtherApp, UserId{42}));
    EXPECT_NE(first, open_id_of("k", kApp, UserId{43}));
    EXPECT_NE(first, open_id_of("another key", kApp, UserId{42}));
    EXPECT_TRUE(std::regex_match(first, std::regex("[0-9a-f]{32}")));
}

TEST(OpenDialect, DanmakuIsADmWithEveryFieldBlivedmReads) {
    auto data = one(make_message(Danmaku{.text = "attack!"}), "LIVE_OPEN_PLATFORM_DM");
    expect_fields(data, {"uname", "open_id", "union_id", "uface", "timestamp", "room_id", "msg", "msg_id",
                         "guard_level", "fans_medal_wearing_status", "fans_medal_name", "fans_medal_level",
                         "emoji_img_url", "dm_type", "glory_level", "reply_open_id", "reply_uname", "is_admin", "uid"});
    expect_sender(data);
    EXPECT_EQ(data.at("msg").as_string(), "attack!");
    EXPECT_EQ(data.at("guard_level").to_number<int>(), 3);
    EXPECT_EQ(data.at("is_admin").to_number<int>(), 1);  // a manager
    EXPECT_EQ(data.at("dm_type").to_number<int>(), 0);
    EXPECT_FALSE(data.at("fans_medal_wearing_status").as_bool());
}

TEST(OpenDialect, AReplyNamesWhomItAnswersByOpenId) {
    auto plain = one(make_message(Danmaku{.text = "hi"}), "LIVE_OPEN_PLATFORM_DM");
    EXPECT_EQ(plain.at("reply_open_id").as_string(), "");
    auto data =
        one(make_message(Danmaku{.text = "hi", .reply_uid = UserId{43}, .reply_name = "bob"}), "LIVE_OPEN_PLATFORM_DM");
    EXPECT_EQ(data.at("reply_open_id").as_string(), open_id_of("open id key", kApp, UserId{43}));
    EXPECT_EQ(data.at("reply_uname").as_string(), "bob");
}

TEST(OpenDialect, MsgIdsDifferPerMessageAndRepeatOnReplay) {
    const auto first = one(make_message(Danmaku{.text = "a"}, 9), "LIVE_OPEN_PLATFORM_DM");
    const auto again = one(make_message(Danmaku{.text = "a"}, 9), "LIVE_OPEN_PLATFORM_DM");
    auto next = encode(make_message(Danmaku{.text = "a"}, 10));
    ASSERT_EQ(next.size(), 1U);
    EXPECT_EQ(first.at("msg_id"), again.at("msg_id"));
    EXPECT_NE(first.at("msg_id"), next[0].at("data").at("msg_id"));
}

TEST(OpenDialect, GiftIsSendGiftWithAnchorComboAndBlindGift) {
    Gift gift{.gift_id = 3,
              .gift_name = "flower",
              .count = 2,
              .price = 1000,
              .total = 2000,
              .icon_url = "/f.png",
              .combo_id = 77,
              .combo_count = 4,
              .combo_total = 8,
              .combo_timeout_s = 3};
    auto data = one(make_message(gift), "LIVE_OPEN_PLATFORM_SEND_GIFT");
    expect_fields(data, {"room_id",
                         "open_id",
                         "union_id",
                         "uname",
                         "uface",
                         "gift_id",
                         "gift_name",
                         "gift_num",
                         "price",
                         "r_price",
                         "paid",
                         "fans_medal_level",
                         "fans_medal_name",
                         "fans_medal_wearing_status",
                         "guard_level",
                         "timestamp",
                         "anchor_info",
                         "msg_id",
                         "gift_icon",
                         "combo_gift",
                         "combo_info",
                         "blind_gift",
                         "uid"});
    expect_sender(data);
    EXPECT_EQ(data.at("gift_num").to_number<int>(), 2);
    EXPECT_EQ(data.at("price").to_number<int>(), 1000);
    EXPECT_TRUE(data.at("paid").as_bool());
    const auto& anchor = data.at("anchor_info").as_object();
    expect_fields(anchor, {"uid", "open_id", "union_id", "uname", "uface"});
    EXPECT_EQ(anchor.at("open_id").as_string(), open_id_of("open id key", kApp, UserId{1}));
    EXPECT_EQ(anchor.at("uid").to_number<int>(), 0);
    EXPECT_TRUE(data.at("combo_gift").as_bool());
    const auto& combo = data.at("combo_info").as_object();
    EXPECT_EQ(combo.at("combo_base_num").to_number<int>(), 2);
    EXPECT_EQ(combo.at("combo_count").to_number<int>(), 4);
    EXPECT_EQ(combo.at("combo_id").as_string(), "77");
    EXPECT_EQ(combo.at("combo_timeout").to_number<int>(), 3);
    EXPECT_FALSE(data.at("blind_gift").at("status").as_bool());
}

TEST(OpenDialect, AnInteractiveGiftReachesOnlyItsOwnApp) {
    Gift gift{.gift_id = 9, .gift_name = "potion", .price = 100, .total = 100, .app_id = kApp};
    EXPECT_EQ(encode(make_message(gift), audience(kApp)).size(), 1U);
    EXPECT_TRUE(encode(make_message(gift), audience(kOtherApp)).empty());
}

TEST(OpenDialect, SuperChatItsRemovalAndGuard) {
    auto chat = one(make_message(SuperChat{.id = 5,
                                           .text = "gg",
                                           .price = 30'000,
                                           .price_yuan = 30,
                                           .start_ms = 1'700'000'000'000,
                                           .end_ms = 1'700'000'060'000}),
                    "LIVE_OPEN_PLATFORM_SUPER_CHAT");
    expect_fields(chat, {"room_id", "open_id", "union_id", "uname", "uface", "message_id", "message", "rmb",
                         "timestamp", "start_time", "end_time", "guard_level", "fans_medal_level", "fans_medal_name",
                         "fans_medal_wearing_status", "msg_id"});
    expect_sender(chat);
    EXPECT_EQ(chat.at("message_id").to_number<int>(), 5);
    EXPECT_EQ(chat.at("rmb").to_number<int>(), 30);
    EXPECT_EQ(chat.at("end_time").to_number<std::int64_t>() - chat.at("start_time").to_number<std::int64_t>(), 60);

    auto removal = one(make_message(SuperChatDelete{.ids = {5, 6}}), "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL");
    expect_fields(removal, {"room_id", "message_ids", "msg_id"});
    EXPECT_EQ(json::serialize(removal.at("message_ids")), "[5,6]");

    auto guard = one(make_message(GuardBuy{.level = 2, .months = 3, .price = 198'000}), "LIVE_OPEN_PLATFORM_GUARD");
    expect_fields(guard, {"user_info", "guard_level", "guard_num", "guard_unit", "price", "fans_medal_level",
                          "fans_medal_name", "fans_medal_wearing_status", "room_id", "msg_id", "timestamp"});
    const auto& user = guard.at("user_info").as_object();
    expect_fields(user, {"open_id", "union_id", "uname", "uface", "uid"});
    EXPECT_EQ(user.at("open_id").as_string(), open_id_of("open id key", kApp, UserId{42}));
    EXPECT_EQ(guard.at("guard_level").to_number<int>(), 2);  // the level bought
    EXPECT_EQ(guard.at("guard_num").to_number<int>(), 3);
    EXPECT_EQ(guard.at("guard_unit").as_string(), "月");
}

TEST(OpenDialect, EnterIsLiveRoomEnterAndOnlyForUsers) {
    auto data = one(make_message(Enter{}), "LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER");
    expect_fields(data, {"room_id", "uface", "uname", "union_id", "timestamp", "open_id"});
    auto anonymous = make_message(Enter{});
    anonymous.sender = Sender{};
    EXPECT_TRUE(encode(anonymous).empty());
}

TEST(OpenDialect, LiveStatusIsLiveStartOrLiveEndNamingTheStreamer) {
    LiveStatus status{.live = true, .title = "Speedrun", .area_id = 86, .area_name = "单机游戏"};
    auto start = one(make_message(status), "LIVE_OPEN_PLATFORM_LIVE_START");
    expect_fields(start, {"room_id", "open_id", "union_id", "timestamp", "area_name", "area_id", "title", "msg_id"});
    EXPECT_EQ(start.at("open_id").as_string(), open_id_of("open id key", kApp, UserId{1}));
    EXPECT_EQ(start.at("title").as_string(), "Speedrun");
    EXPECT_EQ(start.at("area_id").to_number<int>(), 86);
    status.live = false;
    auto end = one(make_message(status), "LIVE_OPEN_PLATFORM_LIVE_END");
    EXPECT_EQ(end.at("area_name").as_string(), "单机游戏");
}

TEST(OpenDialect, KindsGamesNeverSeeSpellNothing) {
    EXPECT_TRUE(encode(make_message(System{.text = "notice"})).empty());
    EXPECT_TRUE(encode(make_message(Custom{.type = "vote", .fields_json = "{}"})).empty());
    EXPECT_TRUE(encode(make_message(OnlineCount{.online = 3, .watched = 4}, 0)).empty());
    // And the plain dialect table, which has no audience, spells nothing for open_platform.
    std::vector<std::string> bodies;
    encode_message(Dialect::open_platform, make_message(Danmaku{.text = "x"}), bodies);
    EXPECT_TRUE(bodies.empty());
}

TEST(OpenDialect, ALikeSumNamesItsUserAndCountWithoutASequence) {
    auto bodies = encode(make_message(LikeBurst{.count = 17}, 0));
    ASSERT_EQ(bodies.size(), 1U);
    EXPECT_EQ(bodies[0].at("cmd").as_string(), "LIVE_OPEN_PLATFORM_LIKE");
    EXPECT_FALSE(bodies[0].contains("seq"));
    const auto& like = bodies[0].at("data").as_object();
    expect_fields(like, {"uname", "open_id", "union_id", "uface", "timestamp", "room_id", "like_text", "like_count",
                         "fans_medal_wearing_status", "fans_medal_name", "fans_medal_level", "msg_id"});
    EXPECT_EQ(like.at("like_count").to_number<int>(), 17);
    EXPECT_EQ(like.at("uid").to_number<int>(), 0);
    EXPECT_EQ(like.at("open_id").as_string(), open_id_of("open id key", kApp, UserId{42}));
    // msg_ids differ between users and times, and from the sequence-derived ones.
    auto later = make_message(LikeBurst{.count = 1}, 0);
    later.time_ms += 2000;
    auto other = make_message(LikeBurst{.count = 1}, 0);
    other.sender.uid = UserId{43};
    std::set<std::string> ids{
        std::string(like.at("msg_id").as_string()), std::string(encode(later)[0].at("data").at("msg_id").as_string()),
        std::string(encode(other)[0].at("data").at("msg_id").as_string()),
        std::string(one(make_message(Danmaku{.text = "x"}), "LIVE_OPEN_PLATFORM_DM").at("msg_id").as_string())};
    EXPECT_EQ(ids.size(), 4U);
    // The room's total and sampled clicks are for viewers, not games.
    EXPECT_TRUE(encode(make_message(LikeTotal{.click_count = 5}, 0)).empty());
    EXPECT_TRUE(encode(make_message(LikeClick{}, 0)).empty());
}

TEST(OpenDialect, AResumeGapIsNamed) {
    auto bodies = encode(make_message(HistoryGap{.requested_after = 3, .first_available = 50}, 0));
    ASSERT_EQ(bodies.size(), 1U);
    EXPECT_EQ(bodies[0].at("cmd").as_string(), "BARRAGE_HISTORY_GAP");
    EXPECT_EQ(bodies[0].at("data").at("first_available").to_number<int>(), 50);
    EXPECT_FALSE(bodies[0].contains("seq"));
}

TEST(OpenDialect, InteractionEndNamesTheGame) {
    auto body = json::parse(interaction_end_body("game-1", 1'700'000'000)).as_object();
    EXPECT_EQ(body.at("cmd").as_string(), "LIVE_OPEN_PLATFORM_INTERACTION_END");
    EXPECT_EQ(body.at("data").at("game_id").as_string(), "game-1");
    EXPECT_EQ(body.at("data").at("timestamp").to_number<std::int64_t>(), 1'700'000'000);
}

}  // namespace
}  // namespace barrage::message
