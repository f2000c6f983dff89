#include "store/open_audit.h"

namespace barrage::store {

Status OpenAudit::write(const OpenAuditEntry& entry) {
    Database::Statement insert(
        database_,
        "INSERT INTO open_audit (at_ms, actor_uid, action, app_id, room_id, subject_uid, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, clock_.wall_ms())
        .bind(2, static_cast<std::int64_t>(entry.actor.value))
        .bind(3, entry.action)
        .bind(4, entry.app_id)
        .bind(5, static_cast<std::int64_t>(entry.room.value))
        .bind(6, static_cast<std::int64_t>(entry.subject.value))
        .bind(7, entry.detail);
    auto done = insert.step();
    return done ? Status{} : Status(done.error());
}

Result<std::vector<OpenAuditEntry>> OpenAudit::page(std::int64_t app_id, std::int64_t before, std::size_t limit) {
    // Two statements rather than "app_id = ? OR ? = 0", so each uses its index.
    Database::Statement select(
        database_, app_id != 0 ? "SELECT id, at_ms, actor_uid, action, app_id, room_id, subject_uid, detail "
                                 "FROM open_audit WHERE app_id = ? AND id < ? ORDER BY id DESC LIMIT ?"
                               : "SELECT id, at_ms, actor_uid, action, app_id, room_id, subject_uid, detail "
                                 "FROM open_audit WHERE ? = 0 AND id < ? ORDER BY id DESC LIMIT ?");
    select.bind(1, app_id).bind(2, before).bind(3, static_cast<std::int64_t>(limit));
    std::vector<OpenAuditEntry> rows;
    auto read = select.each_row([&] {
        rows.push_back({.id = select.column_int(0),
                        .at_ms = select.column_int(1),
                        .actor = UserId{static_cast<std::uint64_t>(select.column_int(2))},
                        .action = select.column_text(3),
                        .app_id = select.column_int(4),
                        .room = RoomId{static_cast<std::uint64_t>(select.column_int(5))},
                        .subject = UserId{static_cast<std::uint64_t>(select.column_int(6))},
                        .detail = select.column_text(7)});
        return true;
    });
    if (!read) {
        return read.error();
    }
    return rows;
}

}  // namespace barrage::store
