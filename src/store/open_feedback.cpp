#include "store/open_feedback.h"

#include <string>

namespace barrage::store {

Result<std::int64_t> OpenFeedback::add(const FeedbackEntry& entry) {
    Database::Statement insert(database_,
                               "INSERT INTO open_feedback (app_id, room_id, reporter_uid, text, created_ms) "
                               "VALUES (?, ?, ?, ?, ?) RETURNING id");
    insert.bind(1, entry.app_id)
        .bind(2, static_cast<std::int64_t>(entry.room.value))
        .bind(3, static_cast<std::int64_t>(entry.reporter.value))
        .bind(4, entry.text)
        .bind(5, clock_.wall_ms());
    auto row = insert.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::internal);
    }
    return insert.column_int(0);
}

Result<std::vector<FeedbackEntry>> OpenFeedback::select(std::string_view where, std::int64_t key, std::size_t limit) {
    Database::Statement statement(
        database_,
        "SELECT id, app_id, room_id, reporter_uid, text, created_ms, answer, answered_ms, answered_by "
        "FROM open_feedback WHERE " +
            std::string(where) + " = ? ORDER BY id DESC LIMIT ?");
    statement.bind(1, key).bind(2, static_cast<std::int64_t>(limit));
    std::vector<FeedbackEntry> rows;
    auto read = statement.each_row([&] {
        rows.push_back({.id = statement.column_int(0),
                        .app_id = statement.column_int(1),
                        .room = RoomId{static_cast<std::uint64_t>(statement.column_int(2))},
                        .reporter = UserId{static_cast<std::uint64_t>(statement.column_int(3))},
                        .text = statement.column_text(4),
                        .created_ms = statement.column_int(5),
                        .answer = statement.column_text(6),
                        .answered_ms = statement.column_int(7),
                        .answered_by = UserId{static_cast<std::uint64_t>(statement.column_int(8))}});
        return true;
    });
    if (!read) {
        return read.error();
    }
    return rows;
}

Result<std::vector<FeedbackEntry>> OpenFeedback::of_app(std::int64_t app_id, std::size_t limit) {
    return select("app_id", app_id, limit);
}

Result<std::vector<FeedbackEntry>> OpenFeedback::of_reporter(UserId reporter, std::size_t limit) {
    return select("reporter_uid", static_cast<std::int64_t>(reporter.value), limit);
}

Status OpenFeedback::answer(std::int64_t id, std::int64_t app_id, const std::string& text, UserId by) {
    Database::Statement update(database_,
                               "UPDATE open_feedback SET answer = ?, answered_ms = ?, answered_by = ? "
                               "WHERE id = ? AND app_id = ? RETURNING id");
    update.bind(1, text)
        .bind(2, clock_.wall_ms())
        .bind(3, static_cast<std::int64_t>(by.value))
        .bind(4, id)
        .bind(5, app_id);
    auto row = update.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::not_found);
    }
    (void)update.step();  // finish the statement
    return {};
}

}  // namespace barrage::store
