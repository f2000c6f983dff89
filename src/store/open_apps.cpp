#include "store/open_apps.h"

#include "crypto/random.h"

namespace barrage::store {

namespace {

constexpr std::string_view kKeyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::size_t kAccessKeyIdLength = 24;
constexpr std::size_t kAccessKeySecretLength = 30;

std::optional<OpenApp> read_app(Database::Statement& statement) {
    auto row = statement.step();
    if (!row || !*row) {
        return std::nullopt;
    }
    OpenApp app;
    app.app_id = statement.column_int(0);
    app.developer = UserId{static_cast<std::uint64_t>(statement.column_int(1))};
    app.name = statement.column_text(2);
    app.access_key_id = statement.column_text(3);
    app.access_key_secret = statement.column_text(4);
    app.status = parse_app_status(statement.column_text(5)).value_or(AppStatus::draft);
    app.reject_reason = statement.column_text(6);
    return app;
}

constexpr std::string_view kSelectApp =
    "SELECT app_id, developer_uid, name, access_key_id, access_key_secret, status, reject_reason FROM open_apps ";

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

Status OpenApps::audit(UserId actor, std::string_view action, std::int64_t app_id, RoomId room,
                       std::string_view detail) {
    Database::Statement insert(
        database_,
        "INSERT INTO open_audit (at_ms, actor_uid, action, app_id, room_id, detail) VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, clock_.wall_ms())
        .bind(2, static_cast<std::int64_t>(actor.value))
        .bind(3, action)
        .bind(4, app_id)
        .bind(5, static_cast<std::int64_t>(room.value))
        .bind(6, detail);
    auto done = insert.step();
    return done ? Status{} : Status(done.error());
}

Result<OpenApp> OpenApps::create_app(UserId developer, std::string_view name, bool approve, UserId actor) {
    OpenApp app;
    app.developer = developer;
    app.name = std::string(name);
    app.access_key_id = crypto::random_string(kKeyAlphabet, kAccessKeyIdLength);
    app.access_key_secret = crypto::random_string(kKeyAlphabet, kAccessKeySecretLength);
    app.status = approve ? AppStatus::approved : AppStatus::draft;
    Database::Statement insert(database_,
                               "INSERT INTO open_apps (developer_uid, name, access_key_id, access_key_secret, status, "
                               "created_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING app_id");
    insert.bind(1, static_cast<std::int64_t>(developer.value))
        .bind(2, app.name)
        .bind(3, app.access_key_id)
        .bind(4, app.access_key_secret)
        .bind(5, to_string(app.status))
        .bind(6, clock_.wall_ms());
    auto row = insert.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::internal);
    }
    app.app_id = insert.column_int(0);
    insert.reset();  // finish the statement before the audit row is written
    if (auto audited = audit(actor, approve ? "app_created_approved" : "app_created", app.app_id, RoomId{0}, app.name);
        !audited) {
        return audited.error();
    }
    return app;
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
    if (auto audited = audit(actor, refresh ? "identity_code_refreshed" : "identity_code_created", 0, room, "");
        !audited) {
        return audited.error();
    }
    return made;
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
