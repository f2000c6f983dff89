#include "store/open_apps.h"

#include <set>

#include <gtest/gtest.h>

namespace barrage::store {
namespace {

bool is_code(const std::string& code) {
    if (code.size() != kIdentityCodeLength) {
        return false;
    }
    for (const char c : code) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
            return false;
        }
    }
    return true;
}

std::int64_t audit_rows(Database& database, std::string_view action) {
    Database::Statement count(database, "SELECT COUNT(*) FROM open_audit WHERE action = ?");
    count.bind(1, action);
    EXPECT_TRUE(count.step().value());
    return count.column_int(0);
}

TEST(OpenApps, ANewAppHasFreshKeysAndIsFoundByThem) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto draft = apps.create_app(UserId{7}, "Danmaku duel", false, UserId{7});
    auto approved = apps.create_app(UserId{7}, "Gift race", true, UserId{10});
    ASSERT_TRUE(draft && approved);
    EXPECT_GT(draft->app_id, 0);
    EXPECT_NE(draft->app_id, approved->app_id);
    EXPECT_EQ(draft->status, AppStatus::draft);
    EXPECT_EQ(approved->status, AppStatus::approved);
    EXPECT_EQ(draft->access_key_id.size(), 24U);
    EXPECT_EQ(draft->access_key_secret.size(), 30U);
    EXPECT_NE(draft->access_key_id, approved->access_key_id);
    EXPECT_NE(draft->access_key_secret, approved->access_key_secret);

    auto found = apps.find_by_key(approved->access_key_id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->app_id, approved->app_id);
    EXPECT_EQ(found->access_key_secret, approved->access_key_secret);
    EXPECT_EQ(found->developer, UserId{7});
    EXPECT_EQ(found->name, "Gift race");
    EXPECT_EQ(found->status, AppStatus::approved);
    EXPECT_FALSE(apps.find_by_key("no-such-key"));
    EXPECT_EQ(apps.find(draft->app_id)->name, "Danmaku duel");
    EXPECT_EQ(audit_rows(database, "app_created"), 1);
    EXPECT_EQ(audit_rows(database, "app_created_approved"), 1);
}

TEST(OpenApps, AnIdentityCodeStaysUntilRefreshedAndTheOldOneStopsAtOnce) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto first = apps.identity_code(RoomId{5}, false, UserId{1});
    ASSERT_TRUE(first);
    EXPECT_TRUE(is_code(first->code)) << first->code;
    EXPECT_EQ(apps.identity_code(RoomId{5}, false, UserId{1})->code, first->code);
    EXPECT_EQ(apps.room_of_code(first->code), RoomId{5});

    auto refreshed = apps.identity_code(RoomId{5}, true, UserId{1});
    ASSERT_TRUE(refreshed);
    EXPECT_TRUE(is_code(refreshed->code));
    EXPECT_NE(refreshed->code, first->code);
    EXPECT_FALSE(apps.room_of_code(first->code));
    EXPECT_EQ(apps.room_of_code(refreshed->code), RoomId{5});

    auto other = apps.identity_code(RoomId{6}, false, UserId{2});
    ASSERT_TRUE(other);
    EXPECT_NE(other->code, refreshed->code);
    EXPECT_EQ(audit_rows(database, "identity_code_created"), 2);
    EXPECT_EQ(audit_rows(database, "identity_code_refreshed"), 1);
    // The audit says a code changed, never what it is.
    Database::Statement details(database, "SELECT COUNT(*) FROM open_audit WHERE detail LIKE ?");
    details.bind(1, "%" + first->code + "%");
    ASSERT_TRUE(details.step().value());
    EXPECT_EQ(details.column_int(0), 0);
}

TEST(OpenApps, CodesAreDrawnFromTheWholeAlphabet) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    std::set<char> seen;
    for (std::uint64_t room = 1; room <= 60; ++room) {
        const auto made = apps.identity_code(RoomId{room}, false, UserId{1});
        ASSERT_TRUE(made);
        for (const char c : made->code) {
            seen.insert(c);
        }
    }
    EXPECT_EQ(seen.size(), 36U);  // 840 draws: a character never drawn has probability ~36 * e^-23
}

}  // namespace
}  // namespace barrage::store
