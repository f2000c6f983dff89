#include "store/database.h"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <unistd.h>

#include <gtest/gtest.h>

#include "store/open_apps.h"
#include "store/open_audit.h"
#include "store/open_developers.h"

namespace barrage::store {
namespace {

// Version 12's, 13's and 14's tables (moderation, rooms' bots, open-platform feedback), dropped
// to rebuild a file as an earlier version left it.
constexpr std::string_view kDropVersion12 =
    "DROP TABLE sanctions; DROP TABLE room_modes; DROP TABLE word_lists; DROP TABLE follows; "
    "DROP TABLE moderation_audit; DROP TABLE room_bots; DROP TABLE open_feedback";

std::string temp_path(const char* name) {
    auto path = std::filesystem::temp_directory_path() /
                (std::string("barrage_database_test_") + name + std::to_string(::getpid()) + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
    }
    return path.string();
}

TEST(DatabaseStatement, ResetLetsAStatementRunAgainWithFreshBinds) {
    Database database({":memory:", true});
    database.exec("CREATE TABLE t (a INTEGER, b TEXT)");
    Database::Statement insert(database, "INSERT INTO t (a, b) VALUES (?, ?)");
    insert.bind(1, std::int64_t{1}).bind(2, "one");
    ASSERT_TRUE(insert.step());
    EXPECT_EQ(database.changes(), 1);
    insert.reset();
    insert.bind(1, std::int64_t{2});  // b left unbound: reset cleared it to NULL
    ASSERT_TRUE(insert.step());
    insert.reset();
    insert.bind_null(1).bind(2, "three");
    ASSERT_TRUE(insert.step());

    Database::Statement select(database, "SELECT a, b FROM t ORDER BY rowid");
    ASSERT_TRUE(select.step().value());
    EXPECT_TRUE(select.column_is_integer(0));
    EXPECT_EQ(select.column_text(1), "one");
    ASSERT_TRUE(select.step().value());
    EXPECT_TRUE(select.column_is_null(1));
    ASSERT_TRUE(select.step().value());
    EXPECT_TRUE(select.column_is_null(0));
    EXPECT_FALSE(select.column_is_integer(0));
    EXPECT_FALSE(select.column_is_integer(1));
    EXPECT_FALSE(select.step().value());
}

// A statement that cannot be prepared at run time (here: its table is gone) is an error value,
// never an exception through the caller's loop or the ledger's thread.
TEST(DatabaseStatement, AStatementThatCannotBePreparedFailsItsStepsWithoutThrowing) {
    Database database({":memory:", true});
    database.exec("CREATE TABLE t (a INTEGER)");
    database.exec("DROP TABLE t");
    std::optional<Database::Statement> select;
    ASSERT_NO_THROW(select.emplace(database, "SELECT a FROM t"));
    select->bind(1, std::int64_t{1}).bind(2, "x").bind_null(3);  // nothing to bind: ignored
    const Result<bool> row = select->step();
    ASSERT_FALSE(row);
    EXPECT_EQ(row.error(), make_error_code(Errc::internal));
    int rows = 0;
    const Status walked = select->each_row([&rows] {
        ++rows;
        return true;
    });
    EXPECT_FALSE(walked);
    EXPECT_EQ(rows, 0);
    EXPECT_EQ(select->column_int(0), 0);
    EXPECT_EQ(select->column_text(0), "");
    select->reset();
}

TEST(Database, ReportsWhetherATransactionIsOpen) {
    Database database({":memory:", true});
    EXPECT_FALSE(database.in_transaction());
    database.exec("BEGIN");
    EXPECT_TRUE(database.in_transaction());
    database.exec("COMMIT");
    EXPECT_FALSE(database.in_transaction());
}

TEST(Database, CreatesTheLedgerTables) {
    Database database({":memory:", true});
    for (const char* table : {"accounts", "journal", "requests", "counters"}) {
        Database::Statement statement(database, "SELECT count(*) FROM sqlite_master WHERE name = ?");
        statement.bind(1, table);
        ASSERT_TRUE(statement.step().value());
        EXPECT_EQ(statement.column_int(0), 1) << table;
    }
}

TEST(Database, ReadOnlyConnectionSeesCommittedRowsAndCannotWrite) {
    auto path = temp_path("read_only");
    {
        Database writer({path, false});
        writer.exec("INSERT INTO settings (name, value) VALUES ('a', 'b')");
        Database reader({.path = path, .synchronous_full = false, .read_only = true});
        Database::Statement select(reader, "SELECT value FROM settings WHERE name = 'a'");
        ASSERT_TRUE(select.step().value());
        EXPECT_EQ(select.column_text(0), "b");
        select.reset();
        EXPECT_THROW(reader.exec("INSERT INTO settings (name, value) VALUES ('c', 'd')"), std::runtime_error);
    }
    temp_path("read_only");  // removes the file and its WAL
}

TEST(Database, MigrationFiveNamesTheOrderEachEarlierRefundReverses) {
    auto path = temp_path("migration5");
    {
        // A file as version 4 left it: no reverses column, a refund keeping its order in item
        // (and none of the later migrations' tables).
        Database database({path, false});
        database.exec(kDropVersion12);
        database.exec("DROP TABLE gift_assets; DROP TABLE open_gifts");  // version 11's
        database.exec(
            "DROP TABLE open_apps; DROP TABLE identity_codes; DROP TABLE open_audit; DROP TABLE open_developers; "
            "DROP TABLE open_app_rooms; DROP TABLE open_app_shares");
        database.exec(
            "ALTER TABLE rooms DROP COLUMN live; ALTER TABLE rooms DROP COLUMN area_id; "
            "ALTER TABLE rooms DROP COLUMN area_name; ALTER TABLE rooms DROP COLUMN likes");
        database.exec(
            "DROP INDEX journal_reverses; DROP INDEX journal_order; "
            "ALTER TABLE journal DROP COLUMN reverses; PRAGMA user_version = 4");
        database.exec(
            "INSERT INTO journal (order_id, leg, debit_kind, debit_owner, credit_kind, credit_owner, "
            "amount, code, item, created_ms) VALUES (1, 0, 3, 9, 4, 1, 5, 3, 7, 0), "
            "(2, 0, 4, 1, 3, 9, 5, 11, 1, 0)");
    }
    Database database({path, false});
    EXPECT_EQ(database.schema_version(), Database::latest_schema_version());
    Database::Statement rows(database, "SELECT order_id, reverses FROM journal ORDER BY id");
    ASSERT_TRUE(rows.step().value());
    EXPECT_EQ(rows.column_int(1), 0) << "a gift reverses nothing";
    ASSERT_TRUE(rows.step().value());
    EXPECT_EQ(rows.column_int(1), 1) << "the refund reverses order 1";
}

TEST(Database, MigrationNineGivesEveryRoomALikeTotalOfZero) {
    auto path = temp_path("migration9");
    {
        // A file as version 8 left it: rooms without a like total (nor app shares or the asset
        // library: versions 10 and 11, nor moderation: 12).
        Database database({path, false});
        database.exec(kDropVersion12);
        database.exec(
            "DROP TABLE gift_assets; DROP TABLE open_gifts; DROP TABLE open_app_shares; "
            "ALTER TABLE rooms DROP COLUMN likes; PRAGMA user_version = 8");
        database.exec("INSERT INTO rooms (id, title, host_uid, managers, created_ms) VALUES (5, 'five', 1, '', 0)");
    }
    Database database({path, false});
    EXPECT_EQ(database.schema_version(), Database::latest_schema_version());
    Database::Statement rows(database, "SELECT title, likes FROM rooms WHERE id = 5");
    ASSERT_TRUE(rows.step().value());
    EXPECT_EQ(rows.column_text(0), "five");
    EXPECT_EQ(rows.column_int(1), 0);
}

TEST(Database, MigrationTenAddsAppSharesBesideTheLedger) {
    auto path = temp_path("migration10");
    {
        // A file as version 9 left it, with a journal row (and no asset library: version 11, nor
        // moderation: 12).
        Database database({path, false});
        database.exec(kDropVersion12);
        database.exec(
            "DROP TABLE gift_assets; DROP TABLE open_gifts; DROP TABLE open_app_shares; PRAGMA user_version = 9");
        database.exec(
            "INSERT INTO journal (order_id, leg, debit_kind, debit_owner, credit_kind, credit_owner, "
            "amount, code, created_ms) VALUES (1, 0, 3, 9, 4, 1, 5, 3, 0)");
    }
    Database database({path, false});
    EXPECT_EQ(database.schema_version(), Database::latest_schema_version());
    database.exec("INSERT INTO open_app_shares VALUES (1, 5, 300, 10, 1)");
    EXPECT_THROW(database.exec("INSERT INTO open_app_shares VALUES (1, 6, 1001, 10, 1)"), std::runtime_error);
    EXPECT_THROW(database.exec("INSERT INTO open_app_shares VALUES (1, 5, 200, 10, 1)"), std::runtime_error);
    Database::Statement rows(database, "SELECT COUNT(*) FROM journal");
    ASSERT_TRUE(rows.step().value());
    EXPECT_EQ(rows.column_int(0), 1);
}

TEST(Database, MigrationSevenKeepsTheAppsAndAuditOfVersionSix) {
    auto path = temp_path("migration7");
    {
        // A file as version 6 left it: apps without description or submission time, audit rows
        // without a subject, no developers or test rooms (and no live status: version 8, like
        // totals: 9, app shares: 10, the asset library or interactive gifts: 11, nor moderation: 12).
        Database database({path, false});
        database.exec(kDropVersion12);
        database.exec("DROP TABLE open_app_shares; DROP TABLE gift_assets; DROP TABLE open_gifts");
        database.exec(
            "ALTER TABLE rooms DROP COLUMN live; ALTER TABLE rooms DROP COLUMN area_id; "
            "ALTER TABLE rooms DROP COLUMN area_name; ALTER TABLE rooms DROP COLUMN likes");
        database.exec(
            "DROP TABLE open_developers; DROP TABLE open_app_rooms; DROP INDEX open_apps_developer; "
            "DROP INDEX open_apps_review; DROP INDEX open_audit_app; "
            "ALTER TABLE open_apps DROP COLUMN description; ALTER TABLE open_apps DROP COLUMN submitted_ms; "
            "ALTER TABLE open_audit DROP COLUMN subject_uid; PRAGMA user_version = 6");
        database.exec(
            "INSERT INTO open_apps (developer_uid, name, access_key_id, access_key_secret, status, created_ms) "
            "VALUES (7, 'Duel', 'key', 'secret', 'in_review', 5); "
            "INSERT INTO open_audit (at_ms, actor_uid, action, app_id) VALUES (5, 7, 'app_created', 1)");
    }
    Database database({path, false});
    EXPECT_EQ(database.schema_version(), Database::latest_schema_version());
    FakeClock clock;
    OpenApps apps(database, clock);
    auto app = apps.find_by_key("key");
    ASSERT_TRUE(app);
    EXPECT_EQ(app->name, "Duel");
    EXPECT_EQ(app->status, AppStatus::in_review);
    EXPECT_EQ(app->description, "");
    EXPECT_EQ(apps.review_queue(10)->size(), 1U);  // the new index serves the old row
    auto rows = OpenAudit(database, clock).page(1, INT64_MAX, 10);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ((*rows)[0].subject, UserId{0});
    EXPECT_TRUE(OpenDevelopers(database, clock).grant({.uid = UserId{7}, .actor = UserId{10}}).value());
}

TEST(Database, MigrationTwelveAddsModerationBesideTheRooms) {
    auto path = temp_path("migration12");
    {
        // A file as version 11 left it, with a room and its managers.
        Database database({path, false});
        database.exec(kDropVersion12);
        database.exec("PRAGMA user_version = 11");
        database.exec("INSERT INTO rooms (id, title, host_uid, managers, created_ms) VALUES (5, 'five', 1, '7,8', 0)");
    }
    Database database({path, false});
    EXPECT_EQ(database.schema_version(), Database::latest_schema_version());
    for (const char* table : {"sanctions", "room_modes", "word_lists", "follows", "moderation_audit"}) {
        Database::Statement statement(database, "SELECT count(*) FROM sqlite_master WHERE name = ?");
        statement.bind(1, table);
        ASSERT_TRUE(statement.step().value());
        EXPECT_EQ(statement.column_int(0), 1) << table;
    }
    Database::Statement rows(database, "SELECT managers FROM rooms WHERE id = 5");
    ASSERT_TRUE(rows.step().value());
    EXPECT_EQ(rows.column_text(0), "7,8");
    rows.reset();
    EXPECT_THROW(database.exec("INSERT INTO sanctions (room, kind, uid, by_uid, by_role, at_ms) "
                               "VALUES (1, 'warn', 2, 3, 'manager', 4)"),
                 std::runtime_error)
        << "kinds are mute, ban and kick";
}

TEST(Database, ReadOnlyOpenOfAMissingFileFails) {
    auto path = temp_path("missing");
    EXPECT_THROW(Database({.path = path, .synchronous_full = true, .read_only = true}), std::runtime_error);
}

}  // namespace
}  // namespace barrage::store
