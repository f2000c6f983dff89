// The web dialect: Bilibili live-room broadcast cmds as real web clients parse them
// (docs: PROTOCOL.md §5; clients: blivedm, bilibili-live-ws, blive-message-listener).
// Chat, presence and system cmds here; gifts, super chats and guards in web_economy.cpp.
// Positional arrays are filled at every index those clients read, with the neutral values a
// plain viewer without medal, guard or title gets from Bilibili.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <zlib.h>

#include "base/assert.h"
#include "message/dialect_encoders.h"
#include "message/web_dialect_parts.h"

namespace barrage::message::detail {

namespace json = boost::json;
using web::append;
using web::is_admin;
using web::seconds_of;

namespace {

std::uint32_t crc32_of(std::string_view text) {
    uLong crc = ::crc32(0L, Z_NULL, 0);
    crc = ::crc32(crc, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()));
    return static_cast<std::uint32_t>(crc);
}

// info[0][7]: Bilibili hides the sender's uid behind the CRC32 of its decimal text, in
// lowercase hex without padding; clients that "crack" it expect exactly that.
std::string uid_hash(UserId uid) {
    return fmt::format("{:x}", crc32_of(std::to_string(uid.value)));
}

// Custom fields were validated (custom_schema) into a JSON object before they got here, so a
// parse failure is our bug. An empty text (a default-constructed Custom) means no fields.
json::object custom_fields(const Custom& custom) {
    if (custom.fields_json.empty()) {
        return {};
    }
    boost::system::error_code ec;
    json::value fields = json::parse(custom.fields_json, ec);
    BARRAGE_ASSERT(!ec && fields.is_object());
    return std::move(fields.as_object());
}

// info[0][15].extra: a JSON object serialised into a string. Its "mode" is not the display
// mode (Bilibili sends 0 there); the display mode travels as "player_mode".
std::string danmaku_extra(const RoomMessage& message, const Danmaku& danmaku, const std::string& hash) {
    json::object extra{
        {"send_from_me", false},
        {"mode", 0},
        {"color", danmaku.color},
        {"dm_type", 0},
        {"font_size", danmaku.fontsize},
        {"player_mode", static_cast<int>(danmaku.mode)},
        {"show_player_type", 0},
        {"content", danmaku.text},
        {"user_hash", hash},
        {"emoticon_unique", ""},
        {"direction", 0},
        {"emots", nullptr},
        {"id_str", std::to_string(message.sequence)},
        {"show_reply", true},
        {"reply_mid", danmaku.reply_uid.value},
        {"reply_uname", danmaku.reply_name},
    };
    return json::serialize(extra);
}

// info[0]: display properties and metadata, 17 positions (blivedm reads up to [16]).
json::array danmaku_meta(const RoomMessage& message, const Danmaku& danmaku, const std::string& hash) {
    json::object user{
        {"uid", message.sender.uid.value},
        {"base", json::object{{"name", message.sender.name}, {"face", message.sender.face}}},
    };
    json::object extra_holder{
        {"extra", danmaku_extra(message, danmaku, hash)},
        {"mode", 0},
        {"show_player_type", 0},
        {"user", std::move(user)},
    };
    json::object activity{{"activity_identity", ""}, {"activity_source", 0}, {"not_show", 0}};
    return json::array{
        0,
        static_cast<int>(danmaku.mode),
        danmaku.fontsize,
        danmaku.color,
        message.time_ms,
        message.sequence,  // rnd: unique per message, which the sequence already is
        0,
        hash,
        0,
        0,  // msg_type: not a lottery or storm danmaku
        0,  // bubble
        "",
        0,  // dm_type: text
        "{}",
        "{}",
        std::move(extra_holder),
        std::move(activity),
    };
}

void encode_danmaku(const RoomMessage& message, const Danmaku& danmaku, std::vector<std::string>& bodies) {
    const std::string hash = uid_hash(message.sender.uid);
    const Sender& sender = message.sender;
    // info[9].ct is a check token the clients carry along but never verify.
    const std::string check = fmt::format("{:X}", crc32_of(hash + std::to_string(message.time_ms)));
    json::array info{
        danmaku_meta(message, danmaku, hash),
        danmaku.text,
        json::array{sender.uid.value, sender.name, is_admin(sender.role) ? 1 : 0, 0, 0, 10000, 1, ""},
        json::array{},                            // medal: none
        json::array{0, 0, 9868950, ">50000", 0},  // user level: the plain-viewer values
        json::array{"", ""},                      // titles
        0,
        sender.guard_level,  // guard level (privilege_type)
        nullptr,
        json::object{{"ts", seconds_of(message.time_ms)}, {"ct", check}},
        0,
        0,
        nullptr,
        nullptr,
        0,
        0,
        json::array{0},  // wealth level
    };
    append(bodies,
           json::object{{"cmd", "DANMU_MSG"}, {"seq", message.sequence}, {"info", std::move(info)}, {"dm_v2", ""}});
}

// INTERACT_WORD's fans_medal. We have no medals yet; the guard level travels here anyway
// because it belongs to the user in this room, which is what clients show next to the name.
json::object empty_fans_medal(std::uint8_t guard_level) {
    return json::object{
        {"anchor_roomid", 0}, {"guard_level", guard_level}, {"icon_id", 0}, {"is_lighted", 0}, {"medal_color", 0},
        {"medal_level", 0},   {"medal_name", ""},           {"score", 0},   {"special", ""},   {"target_id", 0},
    };
}

void encode_enter(const RoomMessage& message, std::vector<std::string>& bodies) {
    json::object data{
        {"uid", message.sender.uid.value},
        {"uname", message.sender.name},
        {"uname_color", ""},
        {"msg_type", 1},  // 1 = entered the room
        {"roomid", message.room.value},
        {"timestamp", seconds_of(message.time_ms)},
        {"trigger_time", message.time_ms * 1'000'000},  // nanoseconds
        {"score", message.time_ms},
        {"fans_medal", empty_fans_medal(message.sender.guard_level)},
        {"identities", json::array{1}},
        {"is_spread", 0},
        {"privilege_type", 0},
    };
    append(bodies, json::object{{"cmd", "INTERACT_WORD"}, {"seq", message.sequence}, {"data", std::move(data)}});
}

// Bilibili sends the two counts as two cmds; clients subscribe to each separately.
void encode_online(const OnlineCount& count, std::vector<std::string>& bodies) {
    const std::string online = std::to_string(count.online);
    const std::string watched = std::to_string(count.watched);
    append(bodies, json::object{{"cmd", "ONLINE_RANK_COUNT"},
                                {"data", json::object{{"count", count.online},
                                                      {"count_text", online},
                                                      {"online_count", count.online},
                                                      {"online_count_text", online}}}});
    append(bodies, json::object{{"cmd", "WATCHED_CHANGE"},
                                {"data", json::object{{"num", count.watched},
                                                      {"text_small", watched},
                                                      {"text_large", watched + "人看过"}}}});
}

void encode_custom(const RoomMessage& message, const Custom& custom, std::vector<std::string>& bodies) {
    json::object data{
        {"type", custom.type},
        {"fields", custom_fields(custom)},
        {"uid", message.sender.uid.value},
        {"uname", message.sender.name},
    };
    append(bodies, json::object{{"cmd", "BARRAGE_CUSTOM"}, {"seq", message.sequence}, {"data", std::move(data)}});
}

// NOTICE_MSG is Bilibili's own room-wide notice (the marquee), the closest existing cmd to
// "a notice from the server or an operator". WARNING would read as a platform sanction, and
// clients that do not know NOTICE_MSG ignore it harmlessly.
void encode_system(const RoomMessage& message, const System& system, std::vector<std::string>& bodies) {
    append(bodies, json::object{{"cmd", "NOTICE_MSG"},
                                {"seq", message.sequence},
                                {"msg_common", system.text},
                                {"msg_self", system.text},
                                {"msg_type", 1},
                                {"link_url", ""},
                                {"roomid", message.room.value},
                                {"real_roomid", message.room.value}});
}

void encode_history_gap(const HistoryGap& gap, std::vector<std::string>& bodies) {
    append(bodies, json::object{{"cmd", "BARRAGE_HISTORY_GAP"},
                                {"data", json::object{{"requested_after", gap.requested_after},
                                                      {"first_available", gap.first_available}}}});
}

// LIVE (with when it started) or PREPARING (Bilibili spells that roomid as a string), then
// ROOM_CHANGE with the title and area, as the live servers send around a stream's start and end.
void encode_live_status(const RoomMessage& message, const LiveStatus& status, std::vector<std::string>& bodies) {
    if (status.live) {
        append(bodies, json::object{{"cmd", "LIVE"},
                                    {"seq", message.sequence},
                                    {"live_key", ""},
                                    {"live_platform", "pc"},
                                    {"live_time", seconds_of(message.time_ms)},
                                    {"roomid", message.room.value}});
    } else {
        append(bodies,
               json::object{
                   {"cmd", "PREPARING"}, {"seq", message.sequence}, {"roomid", std::to_string(message.room.value)}});
    }
    append(bodies, json::object{{"cmd", "ROOM_CHANGE"},
                                {"seq", message.sequence},
                                {"data", json::object{{"title", status.title},
                                                      {"area_id", status.area_id},
                                                      {"parent_area_id", 0},
                                                      {"area_name", status.area_name},
                                                      {"parent_area_name", ""},
                                                      {"live_key", ""},
                                                      {"sub_session_key", ""}}}});
}

// LIKE_INFO_V3_CLICK as the live servers send it (msg_type 6 is INTERACT_WORD's "like").
void encode_like_click(const RoomMessage& message, std::vector<std::string>& bodies) {
    append(bodies,
           json::object{
               {"cmd", "LIKE_INFO_V3_CLICK"},
               {"data", json::object{{"uid", message.sender.uid.value},
                                     {"uname", message.sender.name},
                                     {"face", message.sender.face},
                                     {"like_text", "为主播点赞了"},
                                     {"like_icon", ""},
                                     {"msg_type", 6},
                                     {"show_area", 0},
                                     {"fans_medal",
                                      json::object{{"medal_level", 0}, {"medal_name", ""}, {"guard_level", 0}}}}}});
}

}  // namespace

void encode_web(const RoomMessage& message, std::vector<std::string>& bodies) {
    std::visit(
        [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, Danmaku>) {
                encode_danmaku(message, body, bodies);
            } else if constexpr (std::is_same_v<T, Enter>) {
                encode_enter(message, bodies);
            } else if constexpr (std::is_same_v<T, Custom>) {
                encode_custom(message, body, bodies);
            } else if constexpr (std::is_same_v<T, System>) {
                encode_system(message, body, bodies);
            } else if constexpr (std::is_same_v<T, OnlineCount>) {
                encode_online(body, bodies);
            } else if constexpr (std::is_same_v<T, HistoryGap>) {
                encode_history_gap(body, bodies);
            } else if constexpr (std::is_same_v<T, Gift>) {
                web::encode_gift(message, body, bodies);
            } else if constexpr (std::is_same_v<T, SuperChat>) {
                web::encode_super_chat(message, body, bodies);
            } else if constexpr (std::is_same_v<T, SuperChatDelete>) {
                web::encode_super_chat_delete(message, body, bodies);
            } else if constexpr (std::is_same_v<T, GuardBuy>) {
                web::encode_guard_buy(message, body, bodies);
            } else if constexpr (std::is_same_v<T, LiveStatus>) {
                encode_live_status(message, body, bodies);
            } else if constexpr (std::is_same_v<T, LikeTotal>) {
                append(bodies, json::object{{"cmd", "LIKE_INFO_V3_UPDATE"},
                                            {"data", json::object{{"click_count", body.click_count}}}});
            } else if constexpr (std::is_same_v<T, LikeClick>) {
                encode_like_click(message, bodies);
            } else if constexpr (std::is_same_v<T, Moderation>) {
                web::encode_moderation(message, body, bodies);
            } else {
                // A user's 2 s like sum is the open platform's; web clients have the total.
                static_assert(std::is_same_v<T, LikeBurst>);
            }
        },
        message.body);
}

}  // namespace barrage::message::detail
