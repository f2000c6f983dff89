#include "store/open_apps.h"

#include <algorithm>

#include "crypto/random.h"
#include "store/open_audit.h"
#include "store/transaction.h"

namespace barrage::store {

namespace {

constexpr std::string_view kKeyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::size_t kAccessKeyIdLength = 24;
constexpr std::size_t kAccessKeySecretLength = 30;

constexpr std::string_view kSelectApp =
    "SELECT app_id, developer_uid, name, access_key_id, access_key_secret, status, reject_reason, description, "
    "submitted_ms FROM open_apps ";

// The app on the statement's current row (a kSelectApp row).
OpenApp app_of_row(const Database::Statement& statement) {
    OpenApp app;
    app.app_id = statement.column_int(0);
    app.developer = UserId{static_cast<std::uint64_t>(statement.column_int(1))};
    app.name = statement.column_text(2);
    app.access_key_id = statement.column_text(3);
    app.access_key_secret = statement.column_text(4);
    app.status = parse_app_status(statement.column_text(5)).value_or(AppStatus::draft);
    app.reject_reason = statement.column_text(6);
    app.description = statement.column_text(7);
    app.submitted_ms = statement.column_int(8);
    return app;
}

std::optional<OpenApp> read_app(Database::Statement& statement) {
    auto row = statement.step();
    if (!row || !*row) {
        return std::nullopt;
    }
    return app_of_row(statement);
}

Result<std::vector<OpenApp>> read_apps(Database::Statement& statement) {
    std::vector<OpenApp> apps;
    auto read = statement.each_row([&] {
        apps.push_back(app_of_row(statement));
        return true;
    });
    if (!read) {
        return read.error();
    }
    return apps;
}

std::string_view action_of(AppStep step) {
    switch (step) {
        case AppStep::edit: return audit_action::app_edited;
        case AppStep::submit: return audit_action::app_submitted;
        case AppStep::approve: return audit_action::app_approved;
        case AppStep::reject: return audit_action::app_rejected;
    }
    return audit_action::app_edited;
}

// Result<bool> takes an error only in place: an error_code also converts to bool.
Result<bool> failed(std::error_code error) {
    return Result<bool>(boost::system::in_place_error, error);
}

// One statement with no rows to read (an INSERT, UPDATE or DELETE), run.
Status run(Database::Statement& statement) {
    auto done = statement.step();
    return done ? Status{} : Status(done.error());
}

}  // namespace

std::string_view to_string(AppStatus status) {
    switch (status) {
        case AppStatus::draft: return "draft";
        case AppStatus::in_review: return "in_review";
        case AppStatus::approved: return "approved";
        case AppStatus::rejected: return "rejected";
    }
    return "draft";
}

std::optional<AppStatus> parse_app_status(std::string_view text) {
    for (auto status : {AppStatus::draft, AppStatus::in_review, AppStatus::approved, AppStatus::rejected}) {
        if (to_string(status) == text) {
            return status;
        }
    }
    return std::nullopt;
}

Result<AppStatus> next_status(AppStatus from, AppStep step) {
    const auto refused = make_error_code(Errc::wrong_app_status);
    switch (step) {
        case AppStep::edit:
            // What is under review stays as the reviewer sees it.
            if (from == AppStatus::in_review) {
                return refused;
            }
            return from == AppStatus::approved ? AppStatus::draft : from;
        case AppStep::submit:
            if (from == AppStatus::draft || from == AppStatus::rejected) {
                return AppStatus::in_review;
            }
            return refused;
        case AppStep::approve:
            if (from == AppStatus::in_review) {
                return AppStatus::approved;
            }
            return refused;
        case AppStep::reject:
            if (from == AppStatus::in_review || from == AppStatus::approved) {
                return AppStatus::rejected;
            }
            return refused;
    }
    return refused;
}

Status OpenApps::audit(UserId actor, std::string_view action, std::int64_t app_id, RoomId room,
                       std::string_view detail) {
    return OpenAudit(database_, clock_)
        .write({.actor = actor,
                .action = std::string(action),
                .app_id = app_id,
                .room = room,
                .detail = std::string(detail)});
}

Result<OpenApp> OpenApps::insert_app(OpenApp app, UserId actor) {
    app.access_key_id = crypto::random_string(kKeyAlphabet, kAccessKeyIdLength);
    app.access_key_secret = crypto::random_string(kKeyAlphabet, kAccessKeySecretLength);
    Database::Statement insert(database_,
                               "INSERT INTO open_apps (developer_uid, name, description, access_key_id, "
                               "access_key_secret, status, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING app_id");
    insert.bind(1, static_cast<std::int64_t>(app.developer.value))
        .bind(2, app.name)
        .bind(3, app.description)
        .bind(4, app.access_key_id)
        .bind(5, app.access_key_secret)
        .bind(6, to_string(app.status))
        .bind(7, clock_.wall_ms());
    auto row = insert.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::internal);
    }
    app.app_id = insert.column_int(0);
    insert.reset();  // finish the statement before the audit row is written
    const auto action =
        app.status == AppStatus::approved ? audit_action::app_created_approved : audit_action::app_created;
    if (auto audited = audit(actor, action, app.app_id, RoomId{0}, app.name); !audited) {
        return audited.error();
    }
    return app;
}

Result<OpenApp> OpenApps::create_app(UserId developer, std::string_view name, bool approve, UserId actor) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    OpenApp app;
    app.developer = developer;
    app.name = std::string(name);
    app.status = approve ? AppStatus::approved : AppStatus::draft;
    auto made = insert_app(std::move(app), actor);
    if (!made) {
        return made.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return made;
}

Result<OpenApp> OpenApps::create_draft(const NewApp& request) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    Database::Statement count(database_, "SELECT COUNT(*) FROM open_apps WHERE developer_uid = ?");
    count.bind(1, static_cast<std::int64_t>(request.developer.value));
    if (auto row = count.step(); !row || !*row) {
        return row ? make_error_code(Errc::internal) : row.error();
    }
    if (count.column_int(0) >= static_cast<std::int64_t>(kAppsPerDeveloperMax)) {
        return make_error_code(Errc::apps_limit);
    }
    count.reset();
    OpenApp app;
    app.developer = request.developer;
    app.name = request.name;
    app.description = request.description;
    auto made = insert_app(std::move(app), request.developer);
    if (!made) {
        return made.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return made;
}

std::optional<OpenApp> OpenApps::find_by_key(std::string_view access_key_id) {
    Database::Statement select(database_, std::string(kSelectApp) + "WHERE access_key_id = ?");
    select.bind(1, access_key_id);
    return read_app(select);
}

std::optional<OpenApp> OpenApps::find(std::int64_t app_id) {
    Database::Statement select(database_, std::string(kSelectApp) + "WHERE app_id = ?");
    select.bind(1, app_id);
    return read_app(select);
}

std::optional<OpenApp> OpenApps::find_by_name(UserId developer, std::string_view name) {
    Database::Statement select(
        database_, std::string(kSelectApp) + "WHERE developer_uid = ? AND name = ? ORDER BY app_id LIMIT 1");
    select.bind(1, static_cast<std::int64_t>(developer.value));
    select.bind(2, name);
    return read_app(select);
}

Result<std::vector<OpenApp>> OpenApps::apps_of(UserId developer) {
    Database::Statement select(database_, std::string(kSelectApp) + "WHERE developer_uid = ? ORDER BY app_id");
    select.bind(1, static_cast<std::int64_t>(developer.value));
    return read_apps(select);
}

Result<std::vector<OpenApp>> OpenApps::review_queue(std::size_t limit) {
    Database::Statement select(
        database_, std::string(kSelectApp) + "WHERE status = 'in_review' ORDER BY submitted_ms, app_id LIMIT ?");
    select.bind(1, static_cast<std::int64_t>(limit));
    return read_apps(select);
}

template <class Change>
Result<OpenApp> OpenApps::step(std::int64_t app_id, AppStep step, UserId actor, std::string_view detail,
                               Change change) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    auto app = find(app_id);
    if (!app) {
        return make_error_code(Errc::unknown_app);
    }
    auto next = next_status(app->status, step);
    if (!next) {
        return next.error();
    }
    change(*app);
    app->status = *next;
    Database::Statement update(database_,
                               "UPDATE open_apps SET name = ?, description = ?, status = ?, reject_reason = ?, "
                               "submitted_ms = ? WHERE app_id = ?");
    update.bind(1, app->name)
        .bind(2, app->description)
        .bind(3, to_string(app->status))
        .bind(4, app->reject_reason)
        .bind(5, app->submitted_ms)
        .bind(6, app_id);
    if (auto updated = run(update); !updated) {
        return updated.error();
    }
    if (auto audited = audit(actor, action_of(step), app_id, RoomId{0}, detail); !audited) {
        return audited.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return std::move(*app);
}

Result<OpenApp> OpenApps::edit(const AppEdit& edit) {
    return step(edit.app_id, AppStep::edit, edit.actor, edit.name, [&edit](OpenApp& app) {
        app.name = edit.name;
        app.description = edit.description;
    });
}

Result<OpenApp> OpenApps::submit(std::int64_t app_id, UserId actor) {
    return step(app_id, AppStep::submit, actor, "", [this](OpenApp& app) {
        app.reject_reason.clear();
        app.submitted_ms = clock_.wall_ms();
    });
}

Result<OpenApp> OpenApps::review(const AppReview& review) {
    const auto taken = review.approve ? AppStep::approve : AppStep::reject;
    return step(review.app_id, taken, review.actor, review.reason,
                [&review](OpenApp& app) { app.reject_reason = review.approve ? std::string() : review.reason; });
}

Result<OpenApp> OpenApps::rotate_secret(std::int64_t app_id, UserId actor) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    auto app = find(app_id);
    if (!app) {
        return make_error_code(Errc::unknown_app);
    }
    app->access_key_secret = crypto::random_string(kKeyAlphabet, kAccessKeySecretLength);
    Database::Statement update(database_, "UPDATE open_apps SET access_key_secret = ? WHERE app_id = ?");
    update.bind(1, app->access_key_secret).bind(2, app_id);
    if (auto updated = run(update); !updated) {
        return updated.error();
    }
    // That the secret changed, never what it is.
    if (auto audited = audit(actor, audit_action::secret_rotated, app_id, RoomId{0}, ""); !audited) {
        return audited.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return std::move(*app);
}

Result<bool> OpenApps::add_test_room(const TestRoomChange& change) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return failed(begun.error());
    }
    if (!find(change.app_id)) {
        return failed(make_error_code(Errc::unknown_app));
    }
    Database::Statement room(database_, "SELECT 1 FROM rooms WHERE id = ?");
    room.bind(1, static_cast<std::int64_t>(change.room.value));
    if (auto exists = room.step(); !exists || !*exists) {
        return failed(exists ? make_error_code(Errc::unknown_room) : exists.error());
    }
    room.reset();
    auto rooms = test_rooms(change.app_id);
    if (!rooms) {
        return failed(rooms.error());
    }
    if (std::ranges::find(*rooms, change.room) != rooms->end()) {
        return false;
    }
    if (rooms->size() >= kTestRoomsMax) {
        return failed(make_error_code(Errc::whitelist_full));
    }
    Database::Statement insert(database_, "INSERT INTO open_app_rooms (app_id, room_id, added_ms) VALUES (?, ?, ?)");
    insert.bind(1, change.app_id).bind(2, static_cast<std::int64_t>(change.room.value)).bind(3, clock_.wall_ms());
    if (auto inserted = run(insert); !inserted) {
        return failed(inserted.error());
    }
    if (auto audited = audit(change.actor, audit_action::test_room_added, change.app_id, change.room, ""); !audited) {
        return failed(audited.error());
    }
    if (auto committed = transaction.commit(); !committed) {
        return failed(committed.error());
    }
    return true;
}

Result<bool> OpenApps::remove_test_room(const TestRoomChange& change) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return failed(begun.error());
    }
    if (!find(change.app_id)) {
        return failed(make_error_code(Errc::unknown_app));
    }
    Database::Statement remove(database_, "DELETE FROM open_app_rooms WHERE app_id = ? AND room_id = ?");
    remove.bind(1, change.app_id).bind(2, static_cast<std::int64_t>(change.room.value));
    if (auto removed = run(remove); !removed) {
        return failed(removed.error());
    }
    if (database_.changes() == 0) {
        return false;
    }
    if (auto audited = audit(change.actor, audit_action::test_room_removed, change.app_id, change.room, ""); !audited) {
        return failed(audited.error());
    }
    if (auto committed = transaction.commit(); !committed) {
        return failed(committed.error());
    }
    return true;
}

Result<std::vector<RoomId>> OpenApps::test_rooms(std::int64_t app_id) {
    Database::Statement select(database_, "SELECT room_id FROM open_app_rooms WHERE app_id = ? ORDER BY room_id");
    select.bind(1, app_id);
    std::vector<RoomId> rooms;
    auto read = select.each_row([&] {
        rooms.push_back(RoomId{static_cast<std::uint64_t>(select.column_int(0))});
        return true;
    });
    if (!read) {
        return read.error();
    }
    return rooms;
}

bool OpenApps::may_run_in(const OpenApp& app, RoomId room, UserId room_host) {
    return app.status == AppStatus::approved || is_test_room(app, room, room_host);
}

bool OpenApps::is_test_room(const OpenApp& app, RoomId room, UserId room_host) {
    if (app.developer.value != 0 && room_host == app.developer) {
        return true;  // the developer's own room
    }
    Database::Statement select(database_, "SELECT 1 FROM open_app_rooms WHERE app_id = ? AND room_id = ?");
    select.bind(1, app.app_id).bind(2, static_cast<std::int64_t>(room.value));
    auto listed = select.step();
    return listed && *listed;  // unreadable: refused, as a room not listed
}

Result<IdentityCode> OpenApps::identity_code(RoomId room, bool refresh, UserId actor) {
    if (!refresh) {
        Database::Statement select(database_, "SELECT code FROM identity_codes WHERE room_id = ?");
        select.bind(1, static_cast<std::int64_t>(room.value));
        auto row = select.step();
        if (!row) {
            return row.error();
        }
        if (*row) {
            return IdentityCode{room, select.column_text(0)};
        }
    }
    // 36^14 codes: a collision with another room's is astronomically unlikely, and the UNIQUE
    // constraint would refuse it rather than let two rooms share one.
    IdentityCode made{room, crypto::random_string(kCodeAlphabet, kIdentityCodeLength)};
    Database::Statement upsert(
        database_,
        "INSERT INTO identity_codes (room_id, code, created_ms) VALUES (?, ?, ?) "
        "ON CONFLICT(room_id) DO UPDATE SET code = excluded.code, created_ms = excluded.created_ms");
    upsert.bind(1, static_cast<std::int64_t>(room.value)).bind(2, made.code).bind(3, clock_.wall_ms());
    if (auto done = upsert.step(); !done) {
        return done.error();
    }
    // The code itself is a secret: the audit row says that it changed, not what it is.
    const auto action = refresh ? audit_action::identity_code_refreshed : audit_action::identity_code_created;
    if (auto audited = audit(actor, action, 0, room, ""); !audited) {
        return audited.error();
    }
    return made;
}

Result<std::size_t> OpenApps::refresh_codes_made_before(Millis made_before_ms, std::size_t limit) {
    std::vector<RoomId> rooms;
    {
        Database::Statement select(
            database_, "SELECT room_id FROM identity_codes WHERE created_ms < ? ORDER BY created_ms LIMIT ?");
        select.bind(1, made_before_ms).bind(2, static_cast<std::int64_t>(limit));
        auto read = select.each_row([&] {
            rooms.push_back(RoomId{static_cast<std::uint64_t>(select.column_int(0))});
            return true;
        });
        if (!read) {
            return read.error();
        }
    }
    for (const auto room : rooms) {
        if (auto refreshed = identity_code(room, true, UserId{0}); !refreshed) {
            return refreshed.error();
        }
    }
    return rooms.size();
}

std::optional<RoomId> OpenApps::room_of_code(std::string_view code) {
    Database::Statement select(database_, "SELECT room_id FROM identity_codes WHERE code = ?");
    select.bind(1, code);
    auto row = select.step();
    if (!row || !*row) {
        return std::nullopt;
    }
    return RoomId{static_cast<std::uint64_t>(select.column_int(0))};
}

}  // namespace barrage::store
