// The open-platform dialect: LIVE_OPEN_PLATFORM_* cmds as Bilibili pushes them to interactive
// games (PROTOCOL.md §4). blivedm reads every field marked (R) there with data['key'] and drops
// the event on a KeyError, so each body carries all of them; users get uid 0 (as Bilibili since
// 2024), an empty union_id, and no fan medal (Barrage has none): level 0, name "", not worn.

#include "message/open_dialect.h"

#include <type_traits>
#include <variant>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "crypto/hex.h"
#include "crypto/hmac.h"
#include "message/dialect_encoders.h"

namespace barrage::message {

namespace json = boost::json;

namespace {

std::int64_t seconds_of(Millis time_ms) {
    return time_ms / 1000;
}

// A message's msg_id: UUID-shaped, unique per (room, sequence), the same on every push and
// replay of that message, so a game can drop a duplicate by it.
std::string msg_id_of(const RoomMessage& message) {
    const std::uint64_t room = message.room.value;
    const std::uint64_t seq = message.sequence;
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", room >> 32, (room >> 16) & 0xFFFF, room & 0xFFFF,
                       seq >> 48, seq & 0xFFFF'FFFF'FFFFULL);
}

// A like sum has no sequence; it is unique per (room, user, time) instead, as one user's
// taps are summed at most once per 2 s. The fourth group "ffff" keeps these apart from the
// sequence-derived ids (a room's sequence would need 2^48 events to reach it).
std::string like_msg_id_of(const RoomMessage& message) {
    const std::uint64_t room = message.room.value;
    const std::uint64_t uid = message.sender.uid.value;
    return fmt::format("{:08x}-{:04x}-{:04x}-ffff-{:012x}", room & 0xFFFF'FFFFULL, (uid >> 16) & 0xFFFF, uid & 0xFFFF,
                       static_cast<std::uint64_t>(message.time_ms) & 0xFFFF'FFFF'FFFFULL);
}

class Spelling {
public:
    Spelling(const RoomMessage& message, const OpenAudience& audience) : message_(message), audience_(audience) {}

    // The sender as every user-carrying cmd names them.
    void add_user(json::object& data) const {
        data["uid"] = 0;
        data["open_id"] = sender_open_id();
        data["union_id"] = "";
        data["uname"] = message_.sender.name;
        data["uface"] = message_.sender.face;
    }
    void add_medal(json::object& data) const {
        data["fans_medal_level"] = 0;
        data["fans_medal_name"] = "";
        data["fans_medal_wearing_status"] = false;
        data["guard_level"] = message_.sender.guard_level;
    }
    void add_context(json::object& data) const {
        data["room_id"] = message_.room.value;
        data["timestamp"] = seconds_of(message_.time_ms);
        data["msg_id"] = msg_id_of(message_);
    }

    std::string sender_open_id() const {
        return message_.sender.uid.value == 0
                   ? std::string()
                   : open_id_of(audience_.open_id_key, audience_.app_id, message_.sender.uid);
    }

    json::object dm(const Danmaku& danmaku) const {
        json::object data;
        add_user(data);
        add_medal(data);
        add_context(data);
        data["msg"] = danmaku.text;
        data["emoji_img_url"] = "";
        data["dm_type"] = 0;
        data["glory_level"] = 0;
        data["reply_open_id"] = danmaku.reply_uid.value == 0
                                    ? std::string()
                                    : open_id_of(audience_.open_id_key, audience_.app_id, danmaku.reply_uid);
        data["reply_uname"] = danmaku.reply_name;
        data["is_admin"] = message_.sender.role >= Role::manager ? 1 : 0;
        return data;
    }

    json::object gift(const Gift& gift) const {
        json::object data;
        add_user(data);
        add_medal(data);
        add_context(data);
        data["gift_id"] = gift.gift_id;
        data["gift_name"] = gift.gift_name;
        data["gift_num"] = gift.count;
        // Bilibili's unit: 1000 = ¥1, which is Barrage's default coin (1000 coins = ¥1).
        data["price"] = gift.price;
        data["r_price"] = gift.price;
        data["paid"] = gift.price > 0;
        data["gift_icon"] = gift.icon_url;
        data["anchor_info"] = json::object{{"uid", 0},
                                           {"open_id", audience_.anchor_open_id},
                                           {"union_id", ""},
                                           {"uname", audience_.anchor_name},
                                           {"uface", audience_.anchor_face}};
        data["combo_gift"] = gift.combo_id != 0;
        data["combo_info"] =
            json::object{{"combo_base_num", gift.count},
                         {"combo_count", gift.combo_count},
                         {"combo_id", gift.combo_id == 0 ? std::string() : std::to_string(gift.combo_id)},
                         {"combo_timeout", gift.combo_timeout_s}};
        data["blind_gift"] = json::object{{"blind_gift_id", 0}, {"status", false}};
        return data;
    }

    json::object super_chat(const SuperChat& chat) const {
        json::object data;
        add_user(data);
        add_medal(data);
        add_context(data);
        data["message_id"] = chat.id;
        data["message"] = chat.text;
        data["rmb"] = chat.price_yuan;
        data["start_time"] = seconds_of(chat.start_ms);
        data["end_time"] = seconds_of(chat.end_ms);
        return data;
    }

    json::object super_chat_delete(const SuperChatDelete& removal) const {
        json::array ids;
        for (const auto id : removal.ids) {
            ids.emplace_back(id);
        }
        json::object data{{"message_ids", std::move(ids)}};
        add_context(data);
        return data;
    }

    json::object guard(const GuardBuy& guard) const {
        json::object user{{"uid", 0},
                          {"open_id", sender_open_id()},
                          {"union_id", ""},
                          {"uname", message_.sender.name},
                          {"uface", message_.sender.face}};
        json::object data{
            {"user_info", std::move(user)}, {"guard_num", guard.months}, {"guard_unit", "月"}, {"price", guard.price}};
        add_medal(data);
        data["guard_level"] = guard.level;  // the level bought, not the one held before
        add_context(data);
        return data;
    }

    // LIVE_START / LIVE_END name the streamer; both area spellings (blivedm reads area_name, the
    // official C# demo area_id).
    json::object live(const LiveStatus& status) const {
        json::object data{{"open_id", audience_.anchor_open_id},
                          {"union_id", ""},
                          {"title", status.title},
                          {"area_name", status.area_name},
                          {"area_id", status.area_id}};
        add_context(data);
        return data;
    }

    // LIVE_OPEN_PLATFORM_LIKE: one user's taps over the last 2 s.
    json::object like(const LikeBurst& burst) const {
        json::object data;
        add_user(data);
        add_medal(data);
        data["room_id"] = message_.room.value;
        data["timestamp"] = seconds_of(message_.time_ms);
        data["msg_id"] = like_msg_id_of(message_);
        data["like_text"] = "为主播点赞了";
        data["like_count"] = burst.count;
        return data;
    }

    // A mute or ban, shaped as the openhome flavour's ROOM_BLOCK_MSG (PROTOCOL.md §4): Bilibili's
    // LIVE_OPEN_PLATFORM_* set has no block event of its own.
    json::object block(const Moderation& moderation) const {
        json::object data{{"open_id", open_id_of(audience_.open_id_key, audience_.app_id, moderation.target)},
                          {"uname", moderation.target_name},
                          {"block_expired", seconds_of(moderation.until_ms)}};
        add_context(data);
        return data;
    }

    json::object enter() const {
        json::object data;
        add_user(data);
        add_context(data);
        return data;
    }

private:
    const RoomMessage& message_;
    const OpenAudience& audience_;
};

void append(std::vector<std::string>& bodies, const RoomMessage& message, std::string_view cmd, json::object data) {
    json::object root{{"cmd", cmd}, {"data", std::move(data)}};
    if (is_sequenced(message.body)) {
        root["seq"] = message.sequence;
    }
    bodies.push_back(json::serialize(root));
}

}  // namespace

std::string open_id_of(std::string_view key, std::int64_t app_id, UserId uid) {
    const auto digest = crypto::hmac_sha256(key, fmt::format("{}:{}", app_id, uid.value));
    return crypto::to_hex(crypto::bytes_of(digest).substr(0, 16));
}

namespace {

// Appends the body spelling one event (encode_open_platform adds the debug mark).
void encode_event(const RoomMessage& message, const OpenAudience& audience, std::vector<std::string>& bodies) {
    const Spelling spell(message, audience);
    std::visit(
        [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, Danmaku>) {
                append(bodies, message, "LIVE_OPEN_PLATFORM_DM", spell.dm(body));
            } else if constexpr (std::is_same_v<T, Gift>) {
                // An interactive gift is its app's business alone.
                if (body.app_id == 0 || static_cast<std::int64_t>(body.app_id) == audience.app_id) {
                    append(bodies, message, "LIVE_OPEN_PLATFORM_SEND_GIFT", spell.gift(body));
                }
            } else if constexpr (std::is_same_v<T, SuperChat>) {
                append(bodies, message, "LIVE_OPEN_PLATFORM_SUPER_CHAT", spell.super_chat(body));
            } else if constexpr (std::is_same_v<T, SuperChatDelete>) {
                append(bodies, message, "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL", spell.super_chat_delete(body));
            } else if constexpr (std::is_same_v<T, GuardBuy>) {
                append(bodies, message, "LIVE_OPEN_PLATFORM_GUARD", spell.guard(body));
            } else if constexpr (std::is_same_v<T, Enter>) {
                if (message.sender.uid.value != 0) {
                    append(bodies, message, "LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER", spell.enter());
                }
            } else if constexpr (std::is_same_v<T, LiveStatus>) {
                append(bodies, message, body.live ? "LIVE_OPEN_PLATFORM_LIVE_START" : "LIVE_OPEN_PLATFORM_LIVE_END",
                       spell.live(body));
            } else if constexpr (std::is_same_v<T, LikeBurst>) {
                append(bodies, message, "LIVE_OPEN_PLATFORM_LIKE", spell.like(body));
            } else if constexpr (std::is_same_v<T, Moderation>) {
                if (body.kind == ModerationKind::mute || body.kind == ModerationKind::ban) {
                    append(bodies, message, "LIVE_OPEN_PLATFORM_ROOM_BLOCK_MSG", spell.block(body));
                }
            } else if constexpr (std::is_same_v<T, HistoryGap>) {
                append(
                    bodies, message, "BARRAGE_HISTORY_GAP",
                    json::object{{"requested_after", body.requested_after}, {"first_available", body.first_available}});
            }
            // Custom, System, OnlineCount, the room's like total and sampled clicks, and the other
            // moderation actions: Bilibili pushes games nothing like them.
        },
        message.body);
}

}  // namespace

void encode_open_platform(const RoomMessage& message, const OpenAudience& audience, std::vector<std::string>& bodies) {
    const std::size_t first = bodies.size();
    encode_event(message, audience, bodies);
    detail::mark_debug(message, bodies, first);
}

std::string interaction_end_body(std::string_view game_id, std::int64_t timestamp_s) {
    return json::serialize(json::object{{"cmd", "LIVE_OPEN_PLATFORM_INTERACTION_END"},
                                        {"data", json::object{{"game_id", game_id}, {"timestamp", timestamp_s}}}});
}

}  // namespace barrage::message
