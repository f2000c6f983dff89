#include "store/database.h"

#include <array>
#include <stdexcept>

#include <sqlite3.h>

#include "base/log.h"

namespace barrage::store {

namespace {

// Migrations in order; a database at version N has run the first N. Append only.
constexpr std::array<std::string_view, 14> kMigrations = {
    R"sql(
    CREATE TABLE rooms (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        host_uid INTEGER NOT NULL DEFAULT 0,
        managers TEXT NOT NULL DEFAULT '',      -- comma-separated uids
        created_ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE users (
        uid INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        face TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT 'viewer'
    );
    CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    )sql",
    // 2: the coin ledger (src/ledger/, docs/ledger.md). Kinds and codes are the stable numbers
    // of ledger::AccountKind and ledger::TransferCode. typeof() checks stop SQLite from turning
    // an overflowing sum into a REAL instead of failing the statement.
    R"sql(
    CREATE TABLE accounts (
        kind INTEGER NOT NULL,
        owner INTEGER NOT NULL,
        balance INTEGER NOT NULL CHECK (typeof(balance) = 'integer'),
        PRIMARY KEY (kind, owner)
    ) WITHOUT ROWID;
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL,
        leg INTEGER NOT NULL,
        debit_kind INTEGER NOT NULL,
        debit_owner INTEGER NOT NULL,
        credit_kind INTEGER NOT NULL,
        credit_owner INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
        code INTEGER NOT NULL,
        room INTEGER NOT NULL DEFAULT 0,
        item INTEGER NOT NULL DEFAULT 0,
        count INTEGER NOT NULL DEFAULT 0,
        app INTEGER NOT NULL DEFAULT 0,
        memo TEXT NOT NULL DEFAULT '',
        created_ms INTEGER NOT NULL
    );
    CREATE INDEX journal_debit ON journal (debit_kind, debit_owner, id);
    CREATE INDEX journal_credit ON journal (credit_kind, credit_owner, id);
    -- Rows append in rowid order (oldest first, which pruning relies on); the unique index
    -- keeps only the small key, so a batch dirties few of its pages.
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        scope INTEGER NOT NULL,
        request_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        receipt TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX requests_key ON requests (scope, request_id);
    CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL CHECK (typeof(value) = 'integer')
    ) WITHOUT ROWID;
    )sql",
    // 3: what viewers pay in a room.
    R"sql(
    ALTER TABLE rooms ADD COLUMN danmaku_price INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rooms ADD COLUMN streamer_share_per_mille INTEGER NOT NULL DEFAULT 500;
    )sql",
    // 4: what a request's first answer said beyond its receipt (the room event's sequence, ...),
    // written once after the answer, so a retry is answered in full (docs/ledger.md).
    R"sql(
    ALTER TABLE requests ADD COLUMN annotation TEXT;
    )sql",
    // 5: a refund names the order it reverses (earlier refunds kept that id in `item`); reads
    // by order id (refunds, earnings) and by reversed order. An order's rows are consecutive,
    // so the order index only ever grows at its right edge.
    R"sql(
    ALTER TABLE journal ADD COLUMN reverses INTEGER NOT NULL DEFAULT 0;
    UPDATE journal SET reverses = item WHERE code = 11;
    CREATE INDEX journal_order ON journal (order_id);
    CREATE INDEX journal_reverses ON journal (reverses) WHERE reverses != 0;
    )sql",
    // 6: the open platform: developers' apps (their access keys and review status), each
    // streamer room's identity code, and an audit log of what changed either.
    R"sql(
    CREATE TABLE open_apps (
        app_id INTEGER PRIMARY KEY,
        developer_uid INTEGER NOT NULL,
        name TEXT NOT NULL,
        access_key_id TEXT NOT NULL UNIQUE,
        access_key_secret TEXT NOT NULL,
        status TEXT NOT NULL,
        reject_reason TEXT NOT NULL DEFAULT '',
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE identity_codes (
        room_id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE open_audit (
        id INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        actor_uid INTEGER NOT NULL,
        action TEXT NOT NULL,
        app_id INTEGER NOT NULL DEFAULT 0,
        room_id INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT ''
    );
    )sql",
    // 7: the open platform's developers (granted by an operator), what a developer writes about
    // an app and when it was submitted for review, each app's whitelist of test rooms, and the
    // user an audit row acts on (a developer granted or revoked). Indexes for a developer's
    // apps, the review queue (oldest submission first) and an app's audit, newest first.
    R"sql(
    CREATE TABLE open_developers (
        uid INTEGER PRIMARY KEY,
        granted_by INTEGER NOT NULL,
        granted_ms INTEGER NOT NULL
    );
    ALTER TABLE open_apps ADD COLUMN description TEXT NOT NULL DEFAULT '';
    ALTER TABLE open_apps ADD COLUMN submitted_ms INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX open_apps_developer ON open_apps (developer_uid);
    CREATE INDEX open_apps_review ON open_apps (status, submitted_ms, app_id);
    CREATE TABLE open_app_rooms (
        app_id INTEGER NOT NULL,
        room_id INTEGER NOT NULL,
        added_ms INTEGER NOT NULL,
        PRIMARY KEY (app_id, room_id)
    ) WITHOUT ROWID;
    ALTER TABLE open_audit ADD COLUMN subject_uid INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX open_audit_app ON open_audit (app_id, id);
    )sql",
    // 8: a room's live status (开播/下播) and area, set by its host; the title was there.
    R"sql(
    ALTER TABLE rooms ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rooms ADD COLUMN area_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rooms ADD COLUMN area_name TEXT NOT NULL DEFAULT '';
    )sql",
    // 9: a room's running like total (点赞), saved once per like window.
    R"sql(
    ALTER TABLE rooms ADD COLUMN likes INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 10: each open-platform app's share of its interactive gifts' platform part, effective-dated
    // (economy::AppShareSchedule; app 0 is the configured default, recorded when it changes).
    // Rows are only added (a change not yet in force may be replaced): settlement recomputes
    // every past gift from them.
    R"sql(
    CREATE TABLE open_app_shares (
        app_id INTEGER NOT NULL,
        effective_ms INTEGER NOT NULL,
        per_mille INTEGER NOT NULL CHECK (per_mille BETWEEN 0 AND 1000),
        set_by INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (app_id, effective_ms)
    ) WITHOUT ROWID;
    )sql",
    // 11: the asset library (images an operator uploads, stored as files named by their SHA-256
    // under the data directory) and the apps' interactive gifts with their own review status. AUTOINCREMENT: a gift's id is part of its
    // catalogue id (economy::kInteractiveGiftIdMin + gift_id) and is never given out twice.
    R"sql(
    CREATE TABLE gift_assets (
        asset_id INTEGER PRIMARY KEY AUTOINCREMENT,
        sha256 TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        uploaded_by INTEGER NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE open_gifts (
        gift_id INTEGER PRIMARY KEY AUTOINCREMENT,
        app_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        price INTEGER NOT NULL,
        asset_id INTEGER NOT NULL,
        effect_asset_id INTEGER NOT NULL DEFAULT 0,
        comboable INTEGER NOT NULL,
        status TEXT NOT NULL,
        reject_reason TEXT NOT NULL DEFAULT '',
        submitted_ms INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL
    );
    CREATE INDEX open_gifts_app ON open_gifts (app_id, gift_id);
    CREATE INDEX open_gifts_review ON open_gifts (status, submitted_ms, gift_id);
    )sql",
    // 12: moderation (store/moderation_store.h): sanctions in force (kind 'mute', 'ban' or
    // 'kick'; room 0 with 'ban' is platform-wide; until_ms 0 = until lifted; roles are
    // message::to_string(Role)), each room's chat modes and room mute (the mute_ columns all
    // NULL when the room is not muted), word lists (room 0: the global one; entries a JSON array
    // of {"pattern", "action": "block"|"mask", "regex"}), who follows which room since when, and
    // the audit log of every moderation change, read per room newest first. Managers stay in
    // rooms.managers.
    R"sql(
    CREATE TABLE sanctions (
        room INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('mute', 'ban', 'kick')),
        uid INTEGER NOT NULL,
        until_ms INTEGER NOT NULL DEFAULT 0,
        by_uid INTEGER NOT NULL,
        by_role TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        at_ms INTEGER NOT NULL,
        PRIMARY KEY (room, kind, uid)
    ) WITHOUT ROWID;
    CREATE TABLE room_modes (
        room INTEGER PRIMARY KEY,
        slow_s INTEGER NOT NULL DEFAULT 0,
        followers_only_min INTEGER NOT NULL DEFAULT -1,
        guards_only INTEGER NOT NULL DEFAULT 0,
        min_level INTEGER NOT NULL DEFAULT 0,
        mute_until_ms INTEGER,
        mute_by_uid INTEGER,
        mute_by_role TEXT,
        mute_reason TEXT,
        mute_at_ms INTEGER
    );
    CREATE TABLE word_lists (
        room INTEGER PRIMARY KEY,
        entries TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE follows (
        room INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        since_ms INTEGER NOT NULL,
        PRIMARY KEY (room, uid)
    ) WITHOUT ROWID;
    CREATE TABLE moderation_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room INTEGER NOT NULL,
        actor_uid INTEGER NOT NULL,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        target_uid INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        at_ms INTEGER NOT NULL
    );
    CREATE INDEX moderation_audit_room ON moderation_audit (room, id);
    )sql",
    // 13: each room's built-in bot (bot/bot_rules.h), as the JSON its API takes.
    R"sql(
    CREATE TABLE room_bots (
        room INTEGER PRIMARY KEY,
        rules TEXT NOT NULL
    );
    )sql",
    // 14: streamers' reports of problems with a game, and its developer's answers
    // (store/open_feedback.h).
    R"sql(
    CREATE TABLE open_feedback (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL,
        room_id INTEGER NOT NULL,
        reporter_uid INTEGER NOT NULL,
        text TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        answer TEXT NOT NULL DEFAULT '',
        answered_ms INTEGER NOT NULL DEFAULT 0,
        answered_by INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX open_feedback_app ON open_feedback (app_id, id);
    CREATE INDEX open_feedback_reporter ON open_feedback (reporter_uid, id);
    )sql",
};

}  // namespace

Database::Database(const Options& options) : path_(options.path) {
    // Before the first connection: SQLite's allocation statistics take a global mutex on every
    // malloc, a tenth of the ledger writer's time, and nothing here reads them.
    static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    (void)configured;
    int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(options.path.c_str(), &handle_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        std::string message = handle_ ? sqlite3_errmsg(handle_) : "out of memory";
        sqlite3_close(handle_);
        throw std::runtime_error("cannot open database " + options.path + ": " + message);
    }
    sqlite3_busy_timeout(handle_, 5000);
    if (options.read_only) {
        // The writer owns the schema; a reader opened on an older file would misread it.
        if (schema_version() != latest_schema_version()) {
            sqlite3_close(handle_);
            throw std::runtime_error("database " + options.path + " is not at schema version " +
                                     std::to_string(latest_schema_version()));
        }
        return;
    }
    exec("PRAGMA journal_mode=WAL");
    exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
    migrate();
}

Database::~Database() {
    sqlite3_close(handle_);
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    std::string text(sql);
    if (sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw std::runtime_error("database " + path_ + ": " + message);
    }
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(handle_) == 0;
}

std::int64_t Database::changes() const {
    return sqlite3_changes64(handle_);
}

int Database::latest_schema_version() {
    return static_cast<int>(kMigrations.size());
}

int Database::schema_version() {
    Statement statement(*this, "PRAGMA user_version");
    auto row = statement.step();
    return row && *row ? static_cast<int>(statement.column_int(0)) : 0;
}

void Database::migrate() {
    int version = schema_version();
    for (auto i = static_cast<std::size_t>(version); i < kMigrations.size(); ++i) {
        exec("BEGIN IMMEDIATE");
        exec(kMigrations[i]);
        exec("PRAGMA user_version = " + std::to_string(i + 1));
        exec("COMMIT");
        log::info("database {}: migrated to version {}", path_, i + 1);
    }
}

Database::Statement::Statement(Database& database, std::string_view sql) : database_(database) {
    if (sqlite3_prepare_v2(database.handle_, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr) !=
        SQLITE_OK) {
        // Not thrown: a statement prepared at run time (the database locked or gone, a schema
        // it does not know) fails as its step() does, and the caller's Result carries it.
        log::error("database {}: cannot prepare \"{}\": {}", database.path_, sql, sqlite3_errmsg(database.handle_));
        sqlite3_finalize(statement_);
        statement_ = nullptr;
    }
}

Database::Statement::~Statement() {
    sqlite3_finalize(statement_);
}

Database::Statement& Database::Statement::bind(int index, std::int64_t value) {
    if (statement_ != nullptr) {
        sqlite3_bind_int64(statement_, index, value);
    }
    return *this;
}

Database::Statement& Database::Statement::bind(int index, std::string_view value) {
    if (statement_ != nullptr) {
        sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    }
    return *this;
}

Database::Statement& Database::Statement::bind_null(int index) {
    if (statement_ != nullptr) {
        sqlite3_bind_null(statement_, index);
    }
    return *this;
}

void Database::Statement::reset() {
    if (statement_ != nullptr) {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }
}

bool Database::Statement::column_is_null(int index) const {
    return statement_ == nullptr || sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

bool Database::Statement::column_is_integer(int index) const {
    return statement_ != nullptr && sqlite3_column_type(statement_, index) == SQLITE_INTEGER;
}

Result<bool> Database::Statement::step() {
    if (statement_ == nullptr) {
        // Logged when it failed to prepare.
        return Result<bool>(boost::system::in_place_error, make_error_code(Errc::internal));
    }
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    log::error("database {}: {}", database_.path_, sqlite3_errmsg(database_.handle_));
    // result<bool> cannot take an error_code implicitly (it also converts to bool).
    return Result<bool>(boost::system::in_place_error, make_error_code(Errc::internal));
}

std::int64_t Database::Statement::column_int(int index) const {
    return statement_ != nullptr ? sqlite3_column_int64(statement_, index) : 0;
}

std::string Database::Statement::column_text(int index) const {
    const auto* text = statement_ != nullptr ? sqlite3_column_text(statement_, index) : nullptr;
    return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

}  // namespace barrage::store
