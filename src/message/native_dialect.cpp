// The native dialect: Barrage's own push bodies, one JSON object per message.
//
//   every body      {"cmd": <kind>, "room": <room id>, "data": {...}, ...}
//   sequenced kinds also carry
//                   "seq":     the room's sequence number (1, 2, 3, ...; resume with it)
//                   "time_ms": when the room accepted it, Unix milliseconds
//                   "user":    {"uid": int, "name": str, "face": str (avatar URL),
//                               "role": "anonymous"|"viewer"|"bot"|"manager"|"host"|"admin"}
//
//   kind           sequenced  data
//   -------------  ---------  ------------------------------------------------------------
//   "danmaku"      yes        {"text": str, "color": int RGB, "mode": 1|4|5, "fontsize": int}
//   "enter"        yes        {} (the user who entered is "user")
//   "custom"       yes        {"type": str, "fields": {...as declared in config}}
//   "system"       yes        {"text": str}
//   "online"       no         {"online": connections now, "watched": distinct viewers so far}
//   "history_gap"  no         {"requested_after": int, "first_available": int}
//
// Every body has "data", even when empty, so clients can read it without checking.

#include <string>
#include <type_traits>
#include <variant>

#include <boost/json.hpp>

#include "base/assert.h"
#include "message/dialect_encoders.h"

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
    return {"danmaku", json::object{{"text", danmaku.text},
                                    {"color", danmaku.color},
                                    {"mode", static_cast<int>(danmaku.mode)},
                                    {"fontsize", danmaku.fontsize}}};
}
Kind kind_of(const Enter&) { return {"enter", {}}; }
Kind kind_of(const Custom& custom) {
    return {"custom", json::object{{"type", custom.type}, {"fields", custom_fields(custom)}}};
}
Kind kind_of(const System& system) { return {"system", json::object{{"text", system.text}}}; }
Kind kind_of(const OnlineCount& count) {
    return {"online", json::object{{"online", count.online}, {"watched", count.watched}}};
}
Kind kind_of(const HistoryGap& gap) {
    return {"history_gap", json::object{{"requested_after", gap.requested_after},
                                        {"first_available", gap.first_available}}};
}

json::object user_of(const Sender& sender) {
    return json::object{{"uid", sender.uid.value},
                        {"name", sender.name},
                        {"face", sender.face},
                        {"role", to_string(sender.role)}};
}

}  // namespace

void encode_native(const RoomMessage& message, std::vector<std::string>& bodies) {
    Kind kind = std::visit([](const auto& body) { return kind_of(body); }, message.body);
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
