// The web dialect: Bilibili live-room broadcast cmds as real web clients parse them
// (docs: PROTOCOL.md §5; clients: blivedm, bilibili-live-ws, blive-message-listener).
// Positional arrays are filled at every index those clients read, with the neutral values a
// plain viewer without medal, guard or title gets from Bilibili.

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <boost/json.hpp>
#include <zlib.h>

#include "base/assert.h"
#include "message/dialect_encoders.h"

namespace barrage::message::detail {

namespace json = boost::json;

namespace {

std::string to_hex(std::uint32_t value, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string text;
    do {
        text.insert(text.begin(), digits[value & 0xFU]);
        value >>= 4U;
    } while (value != 0);
    return text;
}

std::uint32_t crc32_of(std::string_view text) {
    uLong crc = ::crc32(0L, Z_NULL, 0);
    crc = ::crc32(crc, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()));
    return static_cast<std::uint32_t>(crc);
}

// info[0][7]: Bilibili hides the sender's uid behind the CRC32 of its decimal text, in
// lowercase hex without padding; clients that "crack" it expect exactly that.
std::string uid_hash(UserId uid) { return to_hex(crc32_of(std::to_string(uid.value)), false); }

std::int64_t seconds_of(Millis time_ms) { return time_ms / 1000; }

bool is_admin(Role role) { return role >= Role::manager; }

void append(std::vector<std::string>& bodies, const json::object& body) {
    bodies.push_back(json::serialize(body));
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
std::string danmaku_extra(const RoomMessage& message, const Danmaku& danmaku,
                          const std::string& hash) {
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
        {"reply_mid", 0},
        {"reply_uname", ""},
    };
    return json::serialize(extra);
}

// info[0]: display properties and metadata, 17 positions (blivedm reads up to [16]).
json::array danmaku_meta(const RoomMessage& message, const Danmaku& danmaku,
                         const std::string& hash) {
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
        0,   // msg_type: not a lottery or storm danmaku
        0,   // bubble
        "",
        0,   // dm_type: text
        "{}",
        "{}",
        std::move(extra_holder),
        std::move(activity),
    };
}

void encode_danmaku(const RoomMessage& message, const Danmaku& danmaku,
                    std::vector<std::string>& bodies) {
    const std::string hash = uid_hash(message.sender.uid);
    const Sender& sender = message.sender;
    // info[9].ct is a check token the clients carry along but never verify.
    const std::string check = to_hex(crc32_of(hash + std::to_string(message.time_ms)), true);
    json::array info{
        danmaku_meta(message, danmaku, hash),
        danmaku.text,
        json::array{sender.uid.value, sender.name, is_admin(sender.role) ? 1 : 0, 0, 0, 10000, 1,
                    ""},
        json::array{},                                  // medal: none
        json::array{0, 0, 9868950, ">50000", 0},        // user level: the plain-viewer values
        json::array{"", ""},                            // titles
        0,
        sender.guard_level,                             // guard level (privilege_type)
        nullptr,
        json::object{{"ts", seconds_of(message.time_ms)}, {"ct", check}},
        0,
        0,
        nullptr,
        nullptr,
        0,
        0,
        json::array{0},                                 // wealth level
    };
    append(bodies, json::object{{"cmd", "DANMU_MSG"},
                                {"seq", message.sequence},
                                {"info", std::move(info)},
                                {"dm_v2", ""}});
}

// INTERACT_WORD's fans_medal. We have no medals yet; the guard level travels here anyway
// because it belongs to the user in this room, which is what clients show next to the name.
json::object empty_fans_medal(std::uint8_t guard_level) {
    return json::object{
        {"anchor_roomid", 0}, {"guard_level", guard_level}, {"icon_id", 0},   {"is_lighted", 0},
        {"medal_color", 0},   {"medal_level", 0},           {"medal_name", ""}, {"score", 0},
        {"special", ""},      {"target_id", 0},
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
    append(bodies, json::object{{"cmd", "INTERACT_WORD"},
                                {"seq", message.sequence},
                                {"data", std::move(data)}});
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

void encode_custom(const RoomMessage& message, const Custom& custom,
                   std::vector<std::string>& bodies) {
    json::object data{
        {"type", custom.type},
        {"fields", custom_fields(custom)},
        {"uid", message.sender.uid.value},
        {"uname", message.sender.name},
    };
    append(bodies, json::object{{"cmd", "BARRAGE_CUSTOM"},
                                {"seq", message.sequence},
                                {"data", std::move(data)}});
}

// NOTICE_MSG is Bilibili's own room-wide notice (the marquee), the closest existing cmd to
// "a notice from the server or an operator". WARNING would read as a platform sanction, and
// clients that do not know NOTICE_MSG ignore it harmlessly.
void encode_system(const RoomMessage& message, const System& system,
                   std::vector<std::string>& bodies) {
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

// medal_info of gifts and super chats: every key clients read, at the values of a user
// without a medal (we have none yet). Super chats spell the medal colour as "#rrggbb" text
// and gifts as an integer, so the caller passes the matching zero.
json::object empty_medal_info(json::value medal_color) {
    return json::object{
        {"anchor_roomid", 0},
        {"anchor_uname", ""},
        {"guard_level", 0},
        {"icon_id", 0},
        {"is_lighted", 0},
        {"medal_color", std::move(medal_color)},
        {"medal_color_border", 0},
        {"medal_color_end", 0},
        {"medal_color_start", 0},
        {"medal_level", 0},
        {"medal_name", ""},
        {"special", ""},
        {"target_id", 0},
    };
}

// "投喂" is what every captured SEND_GIFT says; clients print it between the two names.
constexpr std::string_view kGiftAction = "投喂";

// Coins of `count` gifts at `price`, saturating rather than wrapping: a display total must
// never turn negative, and the exact amounts live in the ledger, not here.
std::int64_t coins_of(std::int64_t price, std::uint64_t count) {
    std::int64_t coins = 0;
    if (__builtin_mul_overflow(price, count, &coins)) {
        return std::numeric_limits<std::int64_t>::max();
    }
    return coins;
}

// Gifts and coins of the combo so far; a gift that cannot combo is its own one-hit batch, as
// Bilibili reports it.
std::uint64_t combo_gifts(const Gift& gift) {
    return gift.combo_id == 0 ? gift.count : gift.combo_total;
}
std::int64_t combo_coins(const Gift& gift) {
    return gift.combo_id == 0 ? gift.total : coins_of(gift.price, gift.combo_total);
}

// Bilibili's combo ids are opaque strings ("batch:gift:combo_id:<uid>:<ruid>:<gift>:<time>").
// Ours keep that shape with the tracker's id last, so clients that split on ':' still work.
// Empty for a gift that cannot combo.
std::string combo_id_text(const RoomMessage& message, const Gift& gift, std::string_view prefix) {
    if (gift.combo_id == 0) {
        return "";
    }
    std::string text{prefix};
    text += "gift:combo_id:" + std::to_string(message.sender.uid.value) + ":" +
            std::to_string(gift.streamer.value) + ":" + std::to_string(gift.gift_id) + ":" +
            std::to_string(gift.combo_id);
    return text;
}

json::object receiver_info(const Gift& gift) {
    return json::object{{"uid", gift.streamer.value}, {"uname", gift.streamer_name}};
}

json::object batch_combo_send(const RoomMessage& message, const Gift& gift,
                              const std::string& batch_id) {
    return json::object{
        {"action", kGiftAction},
        {"batch_combo_id", batch_id},
        {"batch_combo_num", gift.combo_count},
        {"blind_gift", nullptr},
        {"gift_id", gift.gift_id},
        {"gift_name", gift.gift_name},
        {"gift_num", gift.count},
        {"send_master", nullptr},
        {"uid", message.sender.uid.value},
        {"uname", message.sender.name},
    };
}

// SEND_GIFT data: every key blivedm and blive-message-listener read, the neutral values of
// the keys they do not, and our own "giftNum" (seed 003: the sender's running count of this
// gift, by which a presenter orders combo banners that arrive out of order).
json::object send_gift_data(const RoomMessage& message, const Gift& gift) {
    const Sender& sender = message.sender;
    const std::string batch_id = combo_id_text(message, gift, "batch:");
    // rnd and tid identify the transaction; the ledger order is exactly that.
    const std::string order = std::to_string(gift.order_id);
    return json::object{
        {"giftName", gift.gift_name},
        {"giftId", gift.gift_id},
        {"giftType", 0},
        {"num", gift.count},
        {"uid", sender.uid.value},
        {"uname", sender.name},
        {"face", sender.face},
        {"guard_level", sender.guard_level},
        {"name_color", ""},
        {"timestamp", seconds_of(message.time_ms)},
        {"gift_info", json::object{{"img_basic", gift.icon_url}, {"webp", gift.effect_url}}},
        {"action", kGiftAction},
        {"price", gift.price},
        {"discount_price", gift.price},
        {"coin_type", "gold"},
        {"total_coin", gift.total},
        {"rnd", order},
        {"tid", order},
        {"medal_info", empty_medal_info(0)},
        {"blind_gift", nullptr},
        {"batch_combo_id", batch_id},
        {"batch_combo_send", batch_combo_send(message, gift, batch_id)},
        {"super_batch_gift_num", combo_gifts(gift)},
        {"super_gift_num", combo_gifts(gift)},
        {"combo_total_coin", combo_coins(gift)},
        {"combo_stay_time", gift.combo_timeout_s},
        {"is_first", gift.combo_count <= 1},
        {"send_master", nullptr},
        {"receive_user_info", receiver_info(gift)},
        {"giftNum", gift.gift_number},
    };
}

// COMBO_SEND: the running combo banner. gift_num is this hit's count, total_num the gifts of
// the whole combo so far.
json::object combo_send_data(const RoomMessage& message, const Gift& gift) {
    return json::object{
        {"uid", message.sender.uid.value},
        {"uname", message.sender.name},
        {"gift_id", gift.gift_id},
        {"gift_name", gift.gift_name},
        {"gift_num", gift.count},
        {"combo_id", combo_id_text(message, gift, "")},
        {"combo_num", gift.combo_count},
        {"combo_total_coin", combo_coins(gift)},
        {"batch_combo_id", combo_id_text(message, gift, "batch:")},
        {"batch_combo_num", gift.combo_count},
        {"total_num", gift.combo_total},
        {"action", kGiftAction},
        {"coin_type", "gold"},
        {"medal_info", empty_medal_info(0)},
        {"name_color", ""},
        {"ruid", gift.streamer.value},
        {"r_uname", gift.streamer_name},
        {"receive_user_info", receiver_info(gift)},
        {"is_show", 1},
        {"send_master", nullptr},
    };
}

// Like Bilibili, the first hit of a combo is a plain SEND_GIFT; every later hit also carries
// a COMBO_SEND so banners can show the rising count without tracking combos themselves.
void encode_gift(const RoomMessage& message, const Gift& gift, std::vector<std::string>& bodies) {
    append(bodies, json::object{{"cmd", "SEND_GIFT"},
                                {"seq", message.sequence},
                                {"data", send_gift_data(message, gift)}});
    if (gift.combo_id != 0 && gift.combo_count > 1) {
        append(bodies, json::object{{"cmd", "COMBO_SEND"},
                                    {"seq", message.sequence},
                                    {"data", combo_send_data(message, gift)}});
    }
}

// Super chat card colours by price, in the spirit of Bilibili's tiers: blue, light blue,
// yellow, orange, red, deep red. Highest tier first; the first whose floor is reached wins.
struct SuperChatColours {
    std::int64_t yuan_min;
    std::string_view background;
    std::string_view bottom;
    std::string_view price;
};
constexpr std::array<SuperChatColours, 6> kSuperChatColours{{
    {2000, "#FFD8D8", "#AB1A32", "#E88088"},
    {1000, "#FFE7E4", "#E54D4D", "#E56F6F"},
    {500, "#FFEAD2", "#E09443", "#E0A46E"},
    {100, "#FFF1C5", "#E2B52B", "#D4B15D"},
    {50, "#DBFFFD", "#427D9E", "#7DA4BD"},
    {0, "#EDF5FF", "#2A60B2", "#7497CD"},
}};

const SuperChatColours& super_chat_colours(std::int64_t price_yuan) {
    for (const auto& colours : kSuperChatColours) {
        if (price_yuan >= colours.yuan_min) {
            return colours;
        }
    }
    return kSuperChatColours.back();
}

json::object super_chat_user_info(const Sender& sender) {
    return json::object{
        {"uname", sender.name},
        {"face", sender.face},
        {"face_frame", ""},
        {"guard_level", sender.guard_level},
        {"user_level", 0},
        {"level_color", "#969696"},
        {"manager", is_admin(sender.role) ? 1 : 0},
        {"name_color", "#666666"},
        {"title", ""},
        {"is_vip", 0},
        {"is_svip", 0},
        {"is_main_vip", 0},
    };
}

// SUPER_CHAT_MESSAGE: price in yuan, times in seconds, "time" the seconds still pinned when
// the room accepted it (rounded up, so a card accepted a few ms late shows its full time).
json::object super_chat_data(const RoomMessage& message, const SuperChat& chat) {
    const SuperChatColours& colours = super_chat_colours(chat.price_yuan);
    const Millis remaining_ms = std::max<Millis>(0, chat.end_ms - message.time_ms);
    return json::object{
        {"id", chat.id},
        {"uid", message.sender.uid.value},
        {"price", chat.price_yuan},
        {"message", chat.text},
        {"message_trans", ""},
        {"message_font_color", "#A3F6FF"},
        {"start_time", seconds_of(chat.start_ms)},
        {"end_time", seconds_of(chat.end_ms)},
        {"time", (remaining_ms + 999) / 1000},
        {"ts", seconds_of(chat.start_ms)},
        {"gift", json::object{{"gift_id", 12000}, {"gift_name", "醒目留言"}, {"num", 1}}},
        {"user_info", super_chat_user_info(message.sender)},
        {"medal_info", empty_medal_info("")},
        {"background_color", colours.background},
        {"background_color_start", colours.bottom},
        {"background_color_end", colours.bottom},
        {"background_bottom_color", colours.bottom},
        {"background_price_color", colours.price},
        {"background_image", ""},
        {"background_icon", ""},
        {"is_ranked", 0},
        {"trans_mark", 0},
    };
}

void encode_super_chat(const RoomMessage& message, const SuperChat& chat,
                       std::vector<std::string>& bodies) {
    append(bodies, json::object{{"cmd", "SUPER_CHAT_MESSAGE"},
                                {"seq", message.sequence},
                                {"roomid", message.room.value},
                                {"data", super_chat_data(message, chat)}});
}

void encode_super_chat_delete(const RoomMessage& message, const SuperChatDelete& removal,
                              std::vector<std::string>& bodies) {
    json::array ids;
    for (const auto id : removal.ids) {
        ids.emplace_back(id);
    }
    append(bodies, json::object{{"cmd", "SUPER_CHAT_MESSAGE_DELETE"},
                                {"seq", message.sequence},
                                {"roomid", message.room.value},
                                {"data", json::object{{"ids", std::move(ids)}}}});
}

// Bilibili sells guard tiers as gifts with fixed ids.
struct GuardTier {
    std::uint64_t gift_id;
    std::string_view name;
};

// A level outside 1..3 gets id 0 and no name rather than a crash: guard purchases can be
// injected by operators' debug tools, and a bad one must not take the room's broadcast down.
GuardTier guard_tier(std::uint8_t level) {
    switch (level) {
    case 1:
        return {10001, "总督"};
    case 2:
        return {10002, "提督"};
    case 3:
        return {10003, "舰长"};
    default:
        return {0, ""};
    }
}

// GUARD_BUY is what blivedm and blive-message-listener report; USER_TOAST_MSG is the toast
// Bilibili's own page shows. Both carry the unit price per month and the number of months.
void encode_guard_buy(const RoomMessage& message, const GuardBuy& guard,
                      std::vector<std::string>& bodies) {
    const Sender& sender = message.sender;
    const GuardTier tier = guard_tier(guard.level);
    append(bodies, json::object{{"cmd", "GUARD_BUY"},
                                {"seq", message.sequence},
                                {"data", json::object{{"uid", sender.uid.value},
                                                      {"username", sender.name},
                                                      {"guard_level", guard.level},
                                                      {"num", guard.months},
                                                      {"price", guard.price},
                                                      {"gift_id", tier.gift_id},
                                                      {"gift_name", tier.name},
                                                      {"start_time", seconds_of(guard.start_ms)},
                                                      {"end_time", seconds_of(guard.end_ms)}}}});
    json::object toast{
        {"uid", sender.uid.value},
        {"username", sender.name},
        {"guard_level", guard.level},
        {"num", guard.months},
        {"price", guard.price},
        {"unit", "月"},
        {"role_name", tier.name},
        {"toast_msg", "<%" + sender.name + "%> 开通了" + std::string{tier.name}},
        {"start_time", seconds_of(guard.start_ms)},
        {"end_time", seconds_of(guard.end_ms)},
        {"gift_id", tier.gift_id},
        {"anchor_show", true},
        {"user_show", true},
        {"is_show", 0},
        {"color", "#00D1F1"},
    };
    append(bodies, json::object{{"cmd", "USER_TOAST_MSG"},
                                {"seq", message.sequence},
                                {"data", std::move(toast)}});
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
                encode_gift(message, body, bodies);
            } else if constexpr (std::is_same_v<T, SuperChat>) {
                encode_super_chat(message, body, bodies);
            } else if constexpr (std::is_same_v<T, SuperChatDelete>) {
                encode_super_chat_delete(message, body, bodies);
            } else {
                static_assert(std::is_same_v<T, GuardBuy>);
                encode_guard_buy(message, body, bodies);
            }
        },
        message.body);
}

}  // namespace barrage::message::detail
