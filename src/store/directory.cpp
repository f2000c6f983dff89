#include "store/directory.h"

#include "store/transaction.h"
#include "store/uid_list.h"

namespace barrage::store {

std::vector<RoomRecord> Directory::load_rooms() {
    std::vector<RoomRecord> rooms;
    Database::Statement statement(database_,
                                  "SELECT id, title, host_uid, managers, danmaku_price, streamer_share_per_mille, "
                                  "live, area_id, area_name, likes FROM rooms ORDER BY id");
    (void)statement.each_row([&] {
        rooms.push_back(
            {RoomId{static_cast<std::uint64_t>(statement.column_int(0))}, statement.column_text(1),
             UserId{static_cast<std::uint64_t>(statement.column_int(2))}, split_uids(statement.column_text(3)),
             statement.column_int(4), static_cast<std::uint32_t>(statement.column_int(5)), statement.column_int(6) != 0,
             statement.column_int(7), statement.column_text(8), static_cast<std::uint64_t>(statement.column_int(9))});
        return true;
    });
    return rooms;
}

Status Directory::set_live(RoomId room, bool live, const std::string& title, std::int64_t area_id,
                           const std::string& area_name) {
    Database::Statement statement(database_,
                                  "UPDATE rooms SET live = ?, title = ?, area_id = ?, area_name = ? WHERE id = ?");
    statement.bind(1, static_cast<std::int64_t>(live ? 1 : 0))
        .bind(2, title)
        .bind(3, area_id)
        .bind(4, area_name)
        .bind(5, static_cast<std::int64_t>(room.value));
    auto done = statement.step();
    if (!done) {
        return done.error();
    }
    return {};
}

Status Directory::save_like_totals(const std::vector<std::pair<RoomId, std::uint64_t>>& totals) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun;
    }
    Database::Statement statement(database_, "UPDATE rooms SET likes = ? WHERE id = ?");
    for (const auto& [room, total] : totals) {
        statement.bind(1, static_cast<std::int64_t>(total)).bind(2, static_cast<std::int64_t>(room.value));
        if (auto done = statement.step(); !done) {
            return done.error();
        }
        statement.reset();
    }
    return transaction.commit();
}

Status Directory::insert_room(const RoomRecord& room, Millis created_ms) {
    Database::Statement statement(
        database_,
        "INSERT INTO rooms (id, title, host_uid, managers, created_ms, danmaku_price, streamer_share_per_mille) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING");
    statement.bind(1, static_cast<std::int64_t>(room.id.value))
        .bind(2, room.title)
        .bind(3, static_cast<std::int64_t>(room.host.value))
        .bind(4, join_uids(room.managers))
        .bind(5, created_ms)
        .bind(6, room.danmaku_price)
        .bind(7, static_cast<std::int64_t>(room.streamer_share_per_mille));
    auto done = statement.step();
    if (!done) {
        return done.error();
    }
    Database::Statement changes(database_, "SELECT changes()");
    auto row = changes.step();
    if (row && *row && changes.column_int(0) == 0) {
        return make_error_code(Errc::room_exists);
    }
    return {};
}

void Directory::ensure_room(const RoomRecord& room, Millis created_ms) {
    (void)insert_room(room, created_ms);
}

std::optional<UserRecord> Directory::find_user(UserId uid) {
    Database::Statement statement(database_, "SELECT uid, name, face, role FROM users WHERE uid = ?");
    statement.bind(1, static_cast<std::int64_t>(uid.value));
    auto row = statement.step();
    if (!row || !*row) {
        return std::nullopt;
    }
    return UserRecord{uid, statement.column_text(1), statement.column_text(2),
                      message::parse_role(statement.column_text(3)).value_or(message::Role::viewer)};
}

void Directory::ensure_user(const UserRecord& user) {
    Database::Statement statement(
        database_, "INSERT INTO users (uid, name, face, role) VALUES (?, ?, ?, ?) ON CONFLICT(uid) DO NOTHING");
    statement.bind(1, static_cast<std::int64_t>(user.uid.value))
        .bind(2, user.name)
        .bind(3, user.face)
        .bind(4, message::to_string(user.role));
    (void)statement.step();
}

std::string Directory::setting_or_set(const std::string& name, const std::string& value_if_absent) {
    Database::Statement insert(database_,
                               "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING");
    insert.bind(1, name).bind(2, value_if_absent);
    (void)insert.step();
    Database::Statement select(database_, "SELECT value FROM settings WHERE name = ?");
    select.bind(1, name);
    auto row = select.step();
    return row && *row ? select.column_text(0) : value_if_absent;
}

}  // namespace barrage::store
