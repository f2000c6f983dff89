#include "store/moderation_store.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

#include <boost/json.hpp>

#include "base/log.h"
#include "store/transaction.h"
#include "store/uid_list.h"

namespace barrage::store {

namespace {

std::int64_t to_column(std::uint64_t value) {
    return static_cast<std::int64_t>(value);
}

std::uint64_t from_column(std::int64_t value) {
    return static_cast<std::uint64_t>(value);
}

std::string_view kind_name(SanctionKind kind) {
    switch (kind) {
        case SanctionKind::mute: return "mute";
        case SanctionKind::ban: return "ban";
        case SanctionKind::kick: return "kick";
    }
    return "mute";
}

std::optional<SanctionKind> parse_kind(std::string_view text) {
    if (text == "mute") {
        return SanctionKind::mute;
    }
    if (text == "ban") {
        return SanctionKind::ban;
    }
    if (text == "kick") {
        return SanctionKind::kick;
    }
    return std::nullopt;
}

message::Role parse_role_or_manager(std::string_view text) {
    return message::parse_role(text).value_or(message::Role::manager);
}

Status step(Database::Statement& statement) {
    auto done = statement.step();
    return done ? Status{} : Status(done.error());
}

std::string words_to_json(const std::vector<moderation::WordEntry>& entries) {
    boost::json::array array;
    array.reserve(entries.size());
    for (const auto& entry : entries) {
        array.push_back(boost::json::object{
            {"pattern", entry.pattern},
            {"action", entry.action == moderation::WordAction::mask ? "mask" : "block"},
            {"regex", entry.regex},
        });
    }
    return boost::json::serialize(array);
}

// Entries that are not objects with a string pattern are skipped (and logged): a list read back
// is checked as one written was.
std::vector<moderation::WordEntry> words_from_json(RoomId room, std::string_view text) {
    std::vector<moderation::WordEntry> entries;
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_array()) {
        log::error("moderation store: room {}'s word list is not a JSON array; loaded empty", room.value);
        return entries;
    }
    for (const auto& item : value.as_array()) {
        const auto* object = item.if_object();
        const auto* pattern = object ? object->if_contains("pattern") : nullptr;
        if (pattern == nullptr || !pattern->is_string()) {
            log::error("moderation store: room {}'s word list has an entry without a pattern; skipped", room.value);
            continue;
        }
        moderation::WordEntry entry{.pattern = std::string(pattern->as_string())};
        if (const auto* action = object->if_contains("action"); action && action->is_string()) {
            entry.action = action->as_string() == "mask" ? moderation::WordAction::mask : moderation::WordAction::block;
        }
        if (const auto* regex = object->if_contains("regex"); regex && regex->is_bool()) {
            entry.regex = regex->as_bool();
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

Status put_sanction(Database& database, const SanctionRecord& record) {
    Database::Statement statement(database,
                                  "INSERT OR REPLACE INTO sanctions (room, kind, uid, until_ms, by_uid, by_role, "
                                  "reason, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    statement.bind(1, to_column(record.room.value))
        .bind(2, kind_name(record.kind))
        .bind(3, to_column(record.user.value))
        .bind(4, record.sanction.until_ms)
        .bind(5, to_column(record.sanction.by.value))
        .bind(6, message::to_string(record.sanction.by_role))
        .bind(7, record.sanction.reason)
        .bind(8, record.sanction.at_ms);
    return step(statement);
}

Status drop_sanction(Database& database, const ModerationChange::Removal& removal) {
    Database::Statement statement(database, "DELETE FROM sanctions WHERE room = ? AND kind = ? AND uid = ?");
    statement.bind(1, to_column(removal.room.value))
        .bind(2, kind_name(removal.kind))
        .bind(3, to_column(removal.user.value));
    return step(statement);
}

Status put_modes(Database& database, const RoomModesRecord& record) {
    Database::Statement statement(
        database,
        "INSERT OR REPLACE INTO room_modes (room, slow_s, followers_only_min, guards_only, min_level, "
        "mute_until_ms, mute_by_uid, mute_by_role, mute_reason, mute_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    statement.bind(1, to_column(record.room.value))
        .bind(2, static_cast<std::int64_t>(record.modes.slow_s))
        .bind(3, static_cast<std::int64_t>(record.modes.followers_only_min))
        .bind(4, static_cast<std::int64_t>(record.modes.guards_only ? 1 : 0))
        .bind(5, static_cast<std::int64_t>(record.modes.min_level));
    if (record.room_mute) {
        statement.bind(6, record.room_mute->until_ms)
            .bind(7, to_column(record.room_mute->by.value))
            .bind(8, message::to_string(record.room_mute->by_role))
            .bind(9, record.room_mute->reason)
            .bind(10, record.room_mute->at_ms);
    } else {
        statement.bind_null(6).bind_null(7).bind_null(8).bind_null(9).bind_null(10);
    }
    return step(statement);
}

Status put_words(Database& database, const WordListRecord& record) {
    Database::Statement statement(database, "INSERT OR REPLACE INTO word_lists (room, entries) VALUES (?, ?)");
    statement.bind(1, to_column(record.room.value)).bind(2, words_to_json(record.entries));
    return step(statement);
}

Status put_bots(Database& database, const BotRulesRecord& record) {
    Database::Statement statement(database, "INSERT OR REPLACE INTO room_bots (room, rules) VALUES (?, ?)");
    statement.bind(1, to_column(record.room.value)).bind(2, record.rules_json);
    return step(statement);
}

Status put_follow(Database& database, const FollowRecord& record) {
    // A second follow keeps the first one's time: "followed for N minutes" counts from it.
    Database::Statement statement(
        database, "INSERT INTO follows (room, uid, since_ms) VALUES (?, ?, ?) ON CONFLICT(room, uid) DO NOTHING");
    statement.bind(1, to_column(record.room.value)).bind(2, to_column(record.user.value)).bind(3, record.since_ms);
    return step(statement);
}

Status drop_follow(Database& database, const FollowRecord& record) {
    Database::Statement statement(database, "DELETE FROM follows WHERE room = ? AND uid = ?");
    statement.bind(1, to_column(record.room.value)).bind(2, to_column(record.user.value));
    return step(statement);
}

Status put_managers(Database& database, RoomId room, const std::vector<UserId>& managers) {
    Database::Statement statement(database, "UPDATE rooms SET managers = ? WHERE id = ?");
    statement.bind(1, join_uids(managers)).bind(2, to_column(room.value));
    if (auto done = step(statement); !done) {
        return done;
    }
    // A room the directory does not hold: the change (and its audit line) would describe a state
    // that a restart could not show, so the whole change fails.
    if (database.changes() == 0) {
        return make_error_code(Errc::unknown_room);
    }
    return {};
}

// Every present field, in a fixed order (a drop before a put of the same key leaves the put).
Status apply_fields(Database& database, const ModerationChange& change) {
    if (change.drop_sanction) {
        if (auto done = drop_sanction(database, *change.drop_sanction); !done) {
            return done;
        }
    }
    if (change.put_sanction) {
        if (auto done = put_sanction(database, *change.put_sanction); !done) {
            return done;
        }
    }
    if (change.put_modes) {
        if (auto done = put_modes(database, *change.put_modes); !done) {
            return done;
        }
    }
    if (change.put_words) {
        if (auto done = put_words(database, *change.put_words); !done) {
            return done;
        }
    }
    if (change.drop_follow) {
        if (auto done = drop_follow(database, *change.drop_follow); !done) {
            return done;
        }
    }
    if (change.put_follow) {
        if (auto done = put_follow(database, *change.put_follow); !done) {
            return done;
        }
    }
    if (change.put_managers) {
        if (auto done = put_managers(database, change.put_managers->first, change.put_managers->second); !done) {
            return done;
        }
    }
    if (change.put_bots) {
        if (auto done = put_bots(database, *change.put_bots); !done) {
            return done;
        }
    }
    return {};
}

Result<std::int64_t> insert_audit(Database& database, const AuditEntry& entry) {
    Database::Statement insert(database,
                               "INSERT INTO moderation_audit (room, actor_uid, actor_role, action, target_uid, detail, "
                               "reason, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, to_column(entry.room.value))
        .bind(2, to_column(entry.actor.value))
        .bind(3, message::to_string(entry.actor_role))
        .bind(4, entry.action)
        .bind(5, to_column(entry.target.value))
        .bind(6, entry.detail)
        .bind(7, entry.reason)
        .bind(8, entry.at_ms);
    if (auto done = step(insert); !done) {
        return done.error();
    }
    Database::Statement last(database, "SELECT last_insert_rowid()");
    auto row = last.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::internal);
    }
    return last.column_int(0);
}

}  // namespace

Result<std::int64_t> ModerationStore::record(const ModerationChange& change, const AuditEntry& audit) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    if (auto applied = apply_fields(database_, change); !applied) {
        return applied.error();
    }
    auto id = insert_audit(database_, audit);
    if (!id) {
        return id.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return *id;
}

Status ModerationStore::apply(const ModerationChange& change) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun;
    }
    if (auto applied = apply_fields(database_, change); !applied) {
        return applied;
    }
    return transaction.commit();
}

ModerationState ModerationStore::load(Millis now_ms) {
    ModerationState state;
    // Expired sanctions are gone for good; a failure here (a read-only file) only leaves them to
    // the filter below.
    {
        Database::Statement prune(database_, "DELETE FROM sanctions WHERE until_ms != 0 AND until_ms <= ?");
        prune.bind(1, now_ms);
        (void)prune.step();
    }
    {
        Database::Statement select(database_,
                                   "SELECT room, kind, uid, until_ms, by_uid, by_role, reason, at_ms FROM sanctions "
                                   "WHERE until_ms = 0 OR until_ms > ? ORDER BY room, kind, uid");
        select.bind(1, now_ms);
        auto read = select.each_row([&] {
            auto kind = parse_kind(select.column_text(1));
            if (!kind) {
                log::error("moderation store: a sanction of unknown kind \"{}\" skipped", select.column_text(1));
                return true;
            }
            state.sanctions.push_back({
                .room = RoomId{from_column(select.column_int(0))},
                .kind = *kind,
                .user = UserId{from_column(select.column_int(2))},
                .sanction = {.until_ms = select.column_int(3),
                             .by = UserId{from_column(select.column_int(4))},
                             .by_role = parse_role_or_manager(select.column_text(5)),
                             .reason = select.column_text(6),
                             .at_ms = select.column_int(7)},
            });
            return true;
        });
        if (!read) {
            log::error("moderation store: sanctions not fully loaded: {}", read.error().message());
        }
    }
    {
        Database::Statement select(database_,
                                   "SELECT room, slow_s, followers_only_min, guards_only, min_level, mute_until_ms, "
                                   "mute_by_uid, mute_by_role, mute_reason, mute_at_ms FROM room_modes ORDER BY room");
        auto read = select.each_row([&] {
            RoomModesRecord record{
                .room = RoomId{from_column(select.column_int(0))},
                .modes = {.slow_s = static_cast<std::uint32_t>(select.column_int(1)),
                          .followers_only_min = static_cast<std::int32_t>(select.column_int(2)),
                          .guards_only = select.column_int(3) != 0,
                          .min_level = static_cast<std::uint32_t>(select.column_int(4))},
                .room_mute = std::nullopt,
            };
            if (!select.column_is_null(5)) {
                moderation::Sanction mute{.until_ms = select.column_int(5),
                                          .by = UserId{from_column(select.column_int(6))},
                                          .by_role = parse_role_or_manager(select.column_text(7)),
                                          .reason = select.column_text(8),
                                          .at_ms = select.column_int(9)};
                // An expired room mute is left out like an expired sanction; the modes stay.
                if (mute.active_at(now_ms)) {
                    record.room_mute = std::move(mute);
                }
            }
            state.modes.push_back(std::move(record));
            return true;
        });
        if (!read) {
            log::error("moderation store: room modes not fully loaded: {}", read.error().message());
        }
    }
    {
        Database::Statement select(database_, "SELECT room, entries FROM word_lists ORDER BY room");
        auto read = select.each_row([&] {
            RoomId room{from_column(select.column_int(0))};
            state.words.push_back({.room = room, .entries = words_from_json(room, select.column_text(1))});
            return true;
        });
        if (!read) {
            log::error("moderation store: word lists not fully loaded: {}", read.error().message());
        }
    }
    {
        Database::Statement select(database_, "SELECT room, uid, since_ms FROM follows ORDER BY room, uid");
        auto read = select.each_row([&] {
            state.follows.push_back({.room = RoomId{from_column(select.column_int(0))},
                                     .user = UserId{from_column(select.column_int(1))},
                                     .since_ms = select.column_int(2)});
            return true;
        });
        if (!read) {
            log::error("moderation store: follows not fully loaded: {}", read.error().message());
        }
    }
    {
        Database::Statement select(database_, "SELECT room, rules FROM room_bots ORDER BY room");
        auto read = select.each_row([&] {
            state.bots.push_back(
                {.room = RoomId{from_column(select.column_int(0))}, .rules_json = select.column_text(1)});
            return true;
        });
        if (!read) {
            log::error("moderation store: bot rules not fully loaded: {}", read.error().message());
        }
    }
    return state;
}

std::vector<AuditEntry> ModerationStore::audit(RoomId room, std::optional<std::int64_t> before_id, std::size_t limit) {
    std::vector<AuditEntry> rows;
    if (limit == 0) {
        return rows;
    }
    Database::Statement select(database_,
                               "SELECT id, room, actor_uid, actor_role, action, target_uid, detail, reason, at_ms "
                               "FROM moderation_audit WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?");
    select.bind(1, to_column(room.value))
        .bind(2, before_id.value_or(INT64_MAX))
        .bind(3, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
    auto read = select.each_row([&] {
        rows.push_back({.id = select.column_int(0),
                        .room = RoomId{from_column(select.column_int(1))},
                        .actor = UserId{from_column(select.column_int(2))},
                        .actor_role = parse_role_or_manager(select.column_text(3)),
                        .action = select.column_text(4),
                        .target = UserId{from_column(select.column_int(5))},
                        .detail = select.column_text(6),
                        .reason = select.column_text(7),
                        .at_ms = select.column_int(8)});
        return true;
    });
    if (!read) {
        log::error("moderation store: room {}'s audit page cut short: {}", room.value, read.error().message());
    }
    return rows;
}

}  // namespace barrage::store
