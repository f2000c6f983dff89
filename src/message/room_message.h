#pragma once

// A room message as values: what happened in a room, independent of any wire dialect.
// Plain structs that copy cheaply; shared across threads as shared_ptr<const RoomMessage>.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "base/ids.h"
#include "message/role.h"

namespace barrage::message {

struct Sender {
    UserId uid;
    std::string name;
    std::string face;  // avatar URL
    Role role = Role::anonymous;
    // Guard membership (大航海) in this room: 0 none, 1 总督, 2 提督, 3 舰长. Bilibili counts
    // down from the highest tier, so a smaller non-zero number is the higher rank.
    std::uint8_t guard_level = 0;
    // A made-up viewer of the open platform's debug tool: nobody paid and no user is behind it.
    // Every dialect marks what it says with a root-level "test": true.
    bool debug = false;
    // The operator's user level (UL) from the token; the minimum-level chat mode reads it.
    std::uint8_t level = 0;
    // The only room the token is good for (a room's external bot), 0 for any: the hub refuses
    // joins, sends and likes elsewhere (Errc::forbidden).
    RoomId scope{};
};

// Danmaku display modes, as in DANMU_MSG info[0][1].
enum class DanmakuMode : std::uint8_t { scroll = 1, bottom = 4, top = 5 };

struct Danmaku {
    std::string text;
    std::uint32_t color = 0xFFFFFF;  // RGB
    DanmakuMode mode = DanmakuMode::scroll;
    std::uint8_t fontsize = 25;
    // A reply (回复) to another user's danmaku, as a room bot's auto-reply or any viewer's: who
    // it answers (uid 0: not a reply). The name is the one the replier saw, shown as given.
    UserId reply_uid{};
    std::string reply_name{};
};

// A user joined the room (INTERACT_WORD msg_type 1 in the web dialect).
struct Enter {};

// An operator-declared custom type; `fields_json` is a JSON object already validated
// against its declaration (message/custom_schema.h).
struct Custom {
    std::string type;
    std::string fields_json;
};

// A notice from the server or an operator.
struct System {
    std::string text;
};

// State, not an event: carries no sequence number and is not kept in history.
struct OnlineCount {
    std::uint64_t online = 0;   // connections in the room now
    std::uint64_t watched = 0;  // distinct viewers seen since the room started
};

// Sent to a resuming client whose last sequence is older than the history ring.
// Not sequenced, not kept.
struct HistoryGap {
    Sequence requested_after = 0;  // the client's last_seq
    Sequence first_available = 0;  // oldest sequence still in the ring
};

// A paid gift, made from a committed ledger order (never before the coins moved). The combo
// and gift-number fields come from the room's combo tracker and leaderboard counters.
// Every field of the economy kinds has an initialiser, so designated initialisers may leave
// any of them out without -Wmissing-field-initializers.
struct Gift {
    std::uint64_t gift_id = 0;
    std::string gift_name{};
    std::uint32_t count = 1;
    std::int64_t price = 0;  // coins per gift
    std::int64_t total = 0;  // coins, price × count
    bool animated = false;   // has a full-screen effect (lane B in seed 003)
    std::string icon_url{};
    std::string effect_url{};       // animation URL; empty for static gifts
    std::uint64_t combo_id = 0;     // 0 = not combo-able
    std::uint32_t combo_count = 0;  // hits in this combo, 1 on the first
    std::uint64_t combo_total = 0;  // gifts in this combo so far, this hit included
    std::uint64_t gift_number = 0;  // the sender's running count of this gift in this room
    std::uint64_t order_id = 0;     // ledger order that paid for it
    std::uint64_t app_id = 0;       // open-platform app of an interactive gift; 0 = none
    UserId streamer{};              // who received it
    std::string streamer_name{};
    std::int64_t combo_timeout_s = 0;  // how long a client keeps the combo banner open
};

// A paid super chat (醒目留言), pinned from start_ms to end_ms.
struct SuperChat {
    std::uint64_t id = 0;
    std::string text{};
    std::int64_t price = 0;       // coins paid
    std::int64_t price_yuan = 0;  // the same price in yuan, as clients display it
    Millis start_ms = 0;          // wall clock
    Millis end_ms = 0;            // wall clock; pinned until then
};

// Super chats taken down (by a manager, or refunded).
struct SuperChatDelete {
    std::vector<std::uint64_t> ids{};
};

// A guard membership bought or renewed by the sender.
struct GuardBuy {
    std::uint8_t level = 3;  // 1 总督, 2 提督, 3 舰长
    std::uint32_t months = 1;
    // Coins per month, as in Bilibili's GUARD_BUY "price" (a unit price): the order paid
    // price × months.
    std::int64_t price = 0;
    Millis start_ms = 0;  // wall clock: membership valid from
    Millis end_ms = 0;    // wall clock: membership expires
};

// The host went live (开播) or stopped (下播), with the room's title and area as they are now.
struct LiveStatus {
    bool live = false;
    std::string title{};
    std::int64_t area_id = 0;  // the operator's own numbering; 0 = none
    std::string area_name{};
};

// Likes (room/like_tally.h) are never one message per tap; a room says once per window:
// State: the room's running like total (LIKE_INFO_V3_UPDATE). Not sequenced, not kept.
struct LikeTotal {
    std::uint64_t click_count = 0;
};
// The sender liked the room (LIKE_INFO_V3_CLICK): a few tappers sampled per window. Not
// sequenced, not kept.
struct LikeClick {};
// The sender's taps added up over the open platform's 2 s (LIVE_OPEN_PLATFORM_LIKE); spelled
// only for games. Not sequenced, not kept: a game that resumes gets its missed danmaku and
// gifts back, not likes.
struct LikeBurst {
    std::uint64_t count = 0;
};

// A moderation action every member is told about (the sender is who acted). Sequenced and
// kept, so a resuming client learns of it too.
enum class ModerationKind : std::uint8_t {
    mute,            // target may not send until until_ms (0: until lifted)
    unmute,          // target's mute was lifted
    ban,             // target is banned from the room (or, with global, the platform)
    unban,           // target's ban was lifted
    kick,            // target's connections were closed; no rejoin until until_ms
    room_mute,       // the whole room is muted until until_ms (0: until lifted)
    room_unmute,     // the room mute was lifted
    chat_mode,       // slow mode or a chat mode changed (the room's modes now are in `modes`)
    managers,        // target was appointed (appointed = true) or removed; `managers` lists them all
    message_delete,  // a message (by its sequence) is to be removed from every screen
    warning,         // the operator warns the room (text in `reason`)
    cut_off,         // the operator cut the room's stream off (text in `reason`)
};

// A room's chat modes as members see them (moderation/chat_modes.h keeps the rules).
struct ChatModeView {
    std::uint32_t slow_s = 0;              // one message per this many seconds per user; 0 off
    std::int32_t followers_only_min = -1;  // followers of at least this many minutes; -1 off
    bool guards_only = false;
    std::uint32_t min_level = 0;  // the lowest user level that may send; 0 off
};

struct Moderation {
    ModerationKind kind = ModerationKind::mute;
    UserId target{};
    std::string target_name{};
    Millis until_ms = 0;  // wall clock; 0 = until lifted
    std::string reason{};
    bool global = false;     // ban/unban across every room
    bool appointed = false;  // managers: the target was appointed rather than removed
    std::vector<UserId> managers{};
    Sequence message = 0;  // message_delete: the removed message's sequence
    ChatModeView modes{};
};

// New kinds are appended so the indices of existing ones never move.
using Body = std::variant<Danmaku, Enter, Custom, System, OnlineCount, HistoryGap, Gift, SuperChat, SuperChatDelete,
                          GuardBuy, LiveStatus, LikeTotal, LikeClick, LikeBurst, Moderation>;

// True for bodies that get a sequence number and go into history.
bool is_sequenced(const Body& body);

struct RoomMessage {
    RoomId room;
    Sequence sequence = 0;  // 0 for unsequenced bodies
    Millis time_ms = 0;     // wall clock when the room accepted it
    Sender sender;
    Body body;
};

using MessagePtr = std::shared_ptr<const RoomMessage>;

}  // namespace barrage::message
