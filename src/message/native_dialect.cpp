// The native dialect: Barrage's own push bodies, one JSON object per message.
//
//   every body      {"cmd": <kind>, "room": <room id>, "data": {...}, ...}
//   sequenced kinds also carry
//                   "seq":     the room's sequence number (1, 2, 3, ...; resume with it)
//                   "time_ms": when the room accepted it, Unix milliseconds
//                   "user":    {"uid": int, "name": str, "face": str (avatar URL),
//                               "role": "anonymous"|"viewer"|"bot"|"manager"|"host"|"admin",
//                               "guard_level": 0 none|1 总督|2 提督|3 舰长}
//
//   kind           sequenced  data
//   -------------  ---------  ------------------------------------------------------------
//   "danmaku"      yes        {"text": str, "color": int RGB, "mode": 1|4|5, "fontsize": int}
//   "enter"        yes        {} (the user who entered is "user")
//   "custom"       yes        {"type": str, "fields": {...as declared in config}}
//   "system"       yes        {"text": str}
//   "online"       no         {"online": connections now, "watched": distinct viewers so far}
//   "history_gap"  no         {"requested_after": int, "first_available": int}
//   "gift"         yes        {"gift_id": int, "name": str, "count": int,
//                              "price": coins per gift, "total": coins, "animated": bool,
//                              "icon_url": str, "effect_url": str ("" for static gifts),
//                              "combo_id": int (0 = cannot combo), "combo_count": hits so far,
//                              "combo_total": gifts in the combo so far,
//                              "gift_number": the sender's running count of this gift here,
//                              "order_id": ledger order, "app_id": int (0 = not interactive),
//                              "streamer": {"uid": int, "name": str},
//                              "combo_timeout_s": seconds a combo banner stays open}
//   "super_chat"   yes        {"id": int, "text": str, "price": coins, "price_yuan": int,
//                              "start_ms": int, "end_ms": int (pinned until, Unix ms)}
//   "super_chat_delete"
//                  yes        {"ids": [int, ...]}
//   "guard_buy"    yes        {"level": 1|2|3, "months": int, "price": coins per month,
//                              "start_ms": int, "end_ms": int (membership expiry, Unix ms)}
//   "live_status"  yes        {"live": bool, "title": str, "area_id": int, "area_name": str}
//                             (the host went live or stopped; "user" is the host)
//   "like_total"   no         {"click_count": the room's running like total} (once per like
//                             window while it moves)
//   "like"         no         {"user": {...as above}} (a few tappers sampled per window)
//   "moderation"   yes        {"action": "mute"|"unmute"|"ban"|..., "target": {...}, ...}
//                             (message/moderation_json.h; "user" is who acted)
//
// Every body has "data", even when empty, so clients can read it without checking. Money is
// always an integer count of coins; "price_yuan" is only for display.

#include <string>
#include <type_traits>
#include <variant>

#include <boost/json.hpp>

#include "base/assert.h"
#include "message/dialect_encoders.h"
#include "message/moderation_json.h"

namespace barrage::message::detail {

namespace json = boost::json;

namespace {

// See web_dialect.cpp: fields were validated into a JSON object upstream.
json::object custom_fields(const Custom& custom) {
    if (custom.fields_json.empty()) {
        return {};
    }
    boost::system::error_code ec;
    json::value fields = json::parse(custom.fields_json, ec);
    BARRAGE_ASSERT(!ec && fields.is_object());
    return std::move(fields.as_object());
}

struct Kind {
    std::string_view name;
    json::object data;
};

Kind kind_of(const Danmaku& danmaku) {
    json::object data{{"text", danmaku.text},
                      {"color", danmaku.color},
                      {"mode", static_cast<int>(danmaku.mode)},
                      {"fontsize", danmaku.fontsize}};
    if (danmaku.reply_uid.value != 0) {
        data["reply_to"] = json::object{{"uid", danmaku.reply_uid.value}, {"name", danmaku.reply_name}};
    }
    return {"danmaku", std::move(data)};
}
Kind kind_of(const Enter&) {
    return {"enter", {}};
}
Kind kind_of(const Custom& custom) {
    return {"custom", json::object{{"type", custom.type}, {"fields", custom_fields(custom)}}};
}
Kind kind_of(const System& system) {
    return {"system", json::object{{"text", system.text}}};
}
Kind kind_of(const OnlineCount& count) {
    return {"online", json::object{{"online", count.online}, {"watched", count.watched}}};
}
Kind kind_of(const HistoryGap& gap) {
    return {"history_gap",
            json::object{{"requested_after", gap.requested_after}, {"first_available", gap.first_available}}};
}

Kind kind_of(const Gift& gift) {
    return {"gift", json::object{
                        {"gift_id", gift.gift_id},
                        {"name", gift.gift_name},
                        {"count", gift.count},
                        {"price", gift.price},
                        {"total", gift.total},
                        {"animated", gift.animated},
                        {"icon_url", gift.icon_url},
                        {"effect_url", gift.effect_url},
                        {"combo_id", gift.combo_id},
                        {"combo_count", gift.combo_count},
                        {"combo_total", gift.combo_total},
                        {"gift_number", gift.gift_number},
                        {"order_id", gift.order_id},
                        {"app_id", gift.app_id},
                        {"streamer", json::object{{"uid", gift.streamer.value}, {"name", gift.streamer_name}}},
                        {"combo_timeout_s", gift.combo_timeout_s},
                    }};
}
Kind kind_of(const SuperChat& chat) {
    return {"super_chat", json::object{{"id", chat.id},
                                       {"text", chat.text},
                                       {"price", chat.price},
                                       {"price_yuan", chat.price_yuan},
                                       {"start_ms", chat.start_ms},
                                       {"end_ms", chat.end_ms}}};
}
Kind kind_of(const SuperChatDelete& removal) {
    json::array ids;
    for (const auto id : removal.ids) {
        ids.emplace_back(id);
    }
    return {"super_chat_delete", json::object{{"ids", std::move(ids)}}};
}
Kind kind_of(const GuardBuy& guard) {
    return {"guard_buy", json::object{{"level", guard.level},
                                      {"months", guard.months},
                                      {"price", guard.price},
                                      {"start_ms", guard.start_ms},
                                      {"end_ms", guard.end_ms}}};
}

Kind kind_of(const LiveStatus& status) {
    return {"live_status", json::object{{"live", status.live},
                                        {"title", status.title},
                                        {"area_id", status.area_id},
                                        {"area_name", status.area_name}}};
}

Kind kind_of(const LikeTotal& total) {
    return {"like_total", json::object{{"click_count", total.click_count}}};
}
Kind kind_of(const LikeClick&) {
    return {"like", {}};  // encode_native adds the user
}
Kind kind_of(const LikeBurst&) {
    return {};  // never spelled here: see encode_native
}
Kind kind_of(const Moderation& moderation) {
    return {"moderation", moderation_data(moderation)};
}

json::object user_of(const Sender& sender) {
    return json::object{{"uid", sender.uid.value},
                        {"name", sender.name},
                        {"face", sender.face},
                        {"role", to_string(sender.role)},
                        {"guard_level", sender.guard_level}};
}

}  // namespace

void encode_native(const RoomMessage& message, std::vector<std::string>& bodies) {
    if (std::holds_alternative<LikeBurst>(message.body)) {
        return;  // a user's 2 s like sum is the open platform's; native clients have the total
    }
    Kind kind = std::visit([](const auto& body) { return kind_of(body); }, message.body);
    if (std::holds_alternative<LikeClick>(message.body)) {
        kind.data["user"] = user_of(message.sender);  // a sampled like names its user, unsequenced as it is
    }
    json::object root{{"cmd", kind.name}, {"room", message.room.value}};
    if (is_sequenced(message.body)) {
        root["seq"] = message.sequence;
        root["time_ms"] = message.time_ms;
        root["user"] = user_of(message.sender);
    }
    root["data"] = std::move(kind.data);
    bodies.push_back(json::serialize(root));
}

}  // namespace barrage::message::detail
