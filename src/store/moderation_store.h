#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/ids.h"
#include "base/result.h"
#include "message/room_message.h"
#include "moderation/sanction.h"
#include "moderation/word_list.h"
#include "store/database.h"

namespace barrage::store {

// Which sanction table a row belongs to.
enum class SanctionKind : std::uint8_t { mute, ban, kick };

// A sanction as stored. room 0 with kind ban is a platform-wide ban.
struct SanctionRecord {
    RoomId room;
    SanctionKind kind = SanctionKind::mute;
    UserId user;
    moderation::Sanction sanction{};
};

// A room's chat modes and room mute as stored (room 0 is never used).
struct RoomModesRecord {
    RoomId room;
    message::ChatModeView modes{};
    std::optional<moderation::Sanction> room_mute{};
};

struct WordListRecord {
    RoomId room;  // 0: the global list
    std::vector<moderation::WordEntry> entries{};
};

// A room's built-in bot rules as stored: the canonical JSON (bot::bot_rules_json), parsed
// and compiled again at start-up.
struct BotRulesRecord {
    RoomId room;
    std::string rules_json{};
};

struct FollowRecord {
    RoomId room;
    UserId user;
    Millis since_ms = 0;
};

// One line of the moderation audit log: who did what to whom, when and why.
struct AuditEntry {
    std::int64_t id = 0;  // set by the store, increasing
    RoomId room{};        // 0: platform-wide (global bans, global words)
    UserId actor{};
    message::Role actor_role = message::Role::manager;
    std::string action{};  // "mute", "unmute", "ban", ..., message::action_name's words
    UserId target{};       // 0 when the action has none
    std::string detail{};  // JSON object text: until_ms, modes, counts, ...
    std::string reason{};
    Millis at_ms = 0;  // wall clock
};

// Everything loaded at start-up (expired sanctions left out).
struct ModerationState {
    std::vector<SanctionRecord> sanctions{};
    std::vector<RoomModesRecord> modes{};
    std::vector<WordListRecord> words{};
    std::vector<FollowRecord> follows{};
    std::vector<BotRulesRecord> bots{};
};

// One change to moderation state, written with its audit line in one transaction: what the
// log says happened is what the state holds after a restart.
struct ModerationChange {
    std::optional<SanctionRecord> put_sanction{};  // insert or replace (room, kind, user)
    struct Removal {
        RoomId room;
        SanctionKind kind = SanctionKind::mute;
        UserId user;
    };
    std::optional<Removal> drop_sanction{};
    std::optional<RoomModesRecord> put_modes{};  // replaces the room's modes row
    std::optional<WordListRecord> put_words{};   // replaces the list
    std::optional<FollowRecord> put_follow{};    // insert (kept since the first follow)
    std::optional<FollowRecord> drop_follow{};   // by room and user
    // The room's managers now (rooms.managers), when they changed.
    std::optional<std::pair<RoomId, std::vector<UserId>>> put_managers{};
    std::optional<BotRulesRecord> put_bots{};  // replaces the room's bot rules
};

// Moderation state and its audit log in the database (migrations 12 and 13). Blocking: store pool or
// start-up only.
class ModerationStore {
public:
    explicit ModerationStore(Database& database) : database_(database) {}

    // Applies `change` and appends `audit` in one transaction; returns the audit line's id.
    Result<std::int64_t> record(const ModerationChange& change, const AuditEntry& audit);
    // Follows are not audited (viewers do them): the same change without a log line.
    Status apply(const ModerationChange& change);

    ModerationState load(Millis now_ms);

    // A room's audit lines (room 0: platform-wide ones), newest first, with id < before_id
    // when given; at most `limit`.
    std::vector<AuditEntry> audit(RoomId room, std::optional<std::int64_t> before_id, std::size_t limit);

private:
    Database& database_;
};

}  // namespace barrage::store
