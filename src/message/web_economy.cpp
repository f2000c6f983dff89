// The web dialect's money cmds: SEND_GIFT with COMBO_SEND, SUPER_CHAT_MESSAGE(_DELETE) and
// GUARD_BUY with USER_TOAST_MSG, spelled as Bilibili's web clients read them (PROTOCOL.md §5).
// Built from committed ledger receipts (purchase/), never from a request.

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "message/web_dialect_parts.h"

namespace barrage::message::detail::web {

namespace json = boost::json;

namespace {

// medal_info of gifts and super chats: every key clients read, at the values of a user
// without a medal (we have none yet). Super chats spell the medal colour as "#rrggbb" text
// and gifts as an integer, so the caller passes the matching zero.
json::object empty_medal_info(json::value medal_color) {
    return json::object{
        {"anchor_roomid", 0},      {"anchor_uname", ""},
        {"guard_level", 0},        {"icon_id", 0},
        {"is_lighted", 0},         {"medal_color", std::move(medal_color)},
        {"medal_color_border", 0}, {"medal_color_end", 0},
        {"medal_color_start", 0},  {"medal_level", 0},
        {"medal_name", ""},        {"special", ""},
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
    text += "gift:combo_id:" + std::to_string(message.sender.uid.value) + ":" + std::to_string(gift.streamer.value) +
            ":" + std::to_string(gift.gift_id) + ":" + std::to_string(gift.combo_id);
    return text;
}

json::object receiver_info(const Gift& gift) {
    return json::object{{"uid", gift.streamer.value}, {"uname", gift.streamer_name}};
}

json::object batch_combo_send(const RoomMessage& message, const Gift& gift, const std::string& batch_id) {
    return json::object{
        {"action", kGiftAction},        {"batch_combo_id", batch_id}, {"batch_combo_num", gift.combo_count},
        {"blind_gift", nullptr},        {"gift_id", gift.gift_id},    {"gift_name", gift.gift_name},
        {"gift_num", gift.count},       {"send_master", nullptr},     {"uid", message.sender.uid.value},
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

}  // namespace

// Like Bilibili, the first hit of a combo is a plain SEND_GIFT; every later hit also carries
// a COMBO_SEND so banners can show the rising count without tracking combos themselves.
void encode_gift(const RoomMessage& message, const Gift& gift, std::vector<std::string>& bodies) {
    append(bodies,
           json::object{{"cmd", "SEND_GIFT"}, {"seq", message.sequence}, {"data", send_gift_data(message, gift)}});
    if (gift.combo_id != 0 && gift.combo_count > 1) {
        append(bodies, json::object{
                           {"cmd", "COMBO_SEND"}, {"seq", message.sequence}, {"data", combo_send_data(message, gift)}});
    }
}

namespace {

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

}  // namespace

void encode_super_chat(const RoomMessage& message, const SuperChat& chat, std::vector<std::string>& bodies) {
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

namespace {

// Bilibili sells guard tiers as gifts with fixed ids.
struct GuardTier {
    std::uint64_t gift_id;
    std::string_view name;
};

// A level outside 1..3 gets id 0 and no name rather than a crash: guard purchases can be
// injected by operators' debug tools, and a bad one must not take the room's broadcast down.
GuardTier guard_tier(std::uint8_t level) {
    switch (level) {
        case 1: return {10001, "总督"};
        case 2: return {10002, "提督"};
        case 3: return {10003, "舰长"};
        default: return {0, ""};
    }
}

}  // namespace

// GUARD_BUY is what blivedm and blive-message-listener report; USER_TOAST_MSG is the toast
// Bilibili's own page shows. Both carry the unit price per month and the number of months.
void encode_guard_buy(const RoomMessage& message, const GuardBuy& guard, std::vector<std::string>& bodies) {
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
    append(bodies, json::object{{"cmd", "USER_TOAST_MSG"}, {"seq", message.sequence}, {"data", std::move(toast)}});
}

}  // namespace barrage::message::detail::web
