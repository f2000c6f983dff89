#include "store/directory.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "store/database.h"

namespace barrage::store {
namespace {

Database::Options memory() {
    return {":memory:", true};
}

TEST(Database, MigratesToTheLatestVersionOnce) {
    auto path = std::filesystem::temp_directory_path() / "barrage_directory_test.db";
    std::filesystem::remove(path);
    {
        Database database({path.string(), true});
        EXPECT_EQ(database.schema_version(), Database::latest_schema_version());
    }
    Database reopened({path.string(), true});
    EXPECT_EQ(reopened.schema_version(), Database::latest_schema_version());
    std::filesystem::remove(path);
}

TEST(Directory, InsertsRoomsAndRefusesDuplicates) {
    Database database(memory());
    Directory directory(database);
    RoomRecord room{RoomId{7}, "seven", UserId{70}, {UserId{71}, UserId{72}}};
    ASSERT_TRUE(directory.insert_room(room, 1000));
    auto again = directory.insert_room(room, 2000);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), Errc::room_exists);

    auto rooms = directory.load_rooms();
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].id, RoomId{7});
    EXPECT_EQ(rooms[0].title, "seven");
    EXPECT_EQ(rooms[0].host, UserId{70});
    EXPECT_EQ(rooms[0].managers, (std::vector<UserId>{UserId{71}, UserId{72}}));
}

TEST(Directory, EnsureRoomKeepsTheFirstVersion) {
    Database database(memory());
    Directory directory(database);
    directory.ensure_room({RoomId{1}, "first", UserId{1}, {}}, 0);
    directory.ensure_room({RoomId{1}, "second", UserId{2}, {}}, 0);
    auto rooms = directory.load_rooms();
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].title, "first");
}

TEST(Directory, FindsUsersWithTheirRole) {
    Database database(memory());
    Directory directory(database);
    directory.ensure_user({UserId{3}, "alice", "https://a/face.png", message::Role::manager});
    auto alice = directory.find_user(UserId{3});
    ASSERT_TRUE(alice.has_value());
    EXPECT_EQ(alice->name, "alice");
    EXPECT_EQ(alice->face, "https://a/face.png");
    EXPECT_EQ(alice->role, message::Role::manager);
    EXPECT_FALSE(directory.find_user(UserId{4}).has_value());
}

TEST(Directory, SettingIsSetOnceThenKept) {
    Database database(memory());
    Directory directory(database);
    EXPECT_EQ(directory.setting_or_set("token_secret", "abc"), "abc");
    EXPECT_EQ(directory.setting_or_set("token_secret", "xyz"), "abc");
}

}  // namespace
}  // namespace barrage::store
