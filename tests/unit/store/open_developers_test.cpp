#include "store/open_developers.h"

#include <filesystem>

#include <unistd.h>

#include <gtest/gtest.h>

#include "store/open_audit.h"

namespace barrage::store {
namespace {

TEST(OpenDevelopers, AGrantLastsUntilRevokedAndOnlyChangesAreAudited) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenDevelopers developers(database, clock);
    EXPECT_FALSE(developers.is_developer(UserId{7}).value());
    EXPECT_TRUE(developers.grant({.uid = UserId{7}, .actor = UserId{10}, .reason = "signed the terms"}).value());
    EXPECT_TRUE(developers.is_developer(UserId{7}).value());
    EXPECT_FALSE(developers.is_developer(UserId{8}).value());
    EXPECT_FALSE(developers.grant({.uid = UserId{7}, .actor = UserId{10}}).value());  // already one

    clock.advance_ms(1000);
    EXPECT_TRUE(developers.revoke({.uid = UserId{7}, .actor = UserId{0}, .reason = "left"}).value());
    EXPECT_FALSE(developers.is_developer(UserId{7}).value());
    EXPECT_FALSE(developers.revoke({.uid = UserId{7}, .actor = UserId{0}}).value());  // not one any more

    auto rows = OpenAudit(database, clock).page(0, INT64_MAX, 10);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 2U);
    EXPECT_EQ((*rows)[0].action, "developer_revoked");
    EXPECT_EQ((*rows)[0].subject, UserId{7});
    EXPECT_EQ((*rows)[0].actor, UserId{0});
    EXPECT_EQ((*rows)[0].detail, "left");
    EXPECT_EQ((*rows)[0].at_ms, clock.wall_ms());
    EXPECT_EQ((*rows)[1].action, "developer_granted");
    EXPECT_EQ((*rows)[1].actor, UserId{10});
    EXPECT_EQ((*rows)[1].detail, "signed the terms");
    EXPECT_EQ((*rows)[1].app_id, 0);
}

TEST(OpenDevelopers, TheRoleSurvivesReopeningTheDatabase) {
    const auto path =
        std::filesystem::temp_directory_path() / ("barrage_open_developers_test_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    FakeClock clock;
    {
        Database database({path.string(), true});
        ASSERT_TRUE(OpenDevelopers(database, clock).grant({.uid = UserId{42}, .actor = UserId{10}}));
    }
    {
        Database database({path.string(), true});
        EXPECT_TRUE(OpenDevelopers(database, clock).is_developer(UserId{42}).value());
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
    }
}

}  // namespace
}  // namespace barrage::store
