#include "economy/leaderboard.h"

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

constexpr RoomId kRoom{7};
constexpr UserId kUser{42};

TEST(Leaderboard, KeysHaveTheDocumentedShape) {
    EXPECT_EQ(day_key(kRoom, 20240229, kUser), "board:day:7:20240229:42");
    EXPECT_EQ(all_time_key(kRoom, kUser), "board:all:7:42");
    EXPECT_EQ(gift_number_key(kRoom, kUser, 31036), "gift_number:7:42:31036");
    EXPECT_EQ(day_prefix(kRoom, 20240229), "board:day:7:20240229:");
    EXPECT_EQ(all_time_prefix(kRoom), "board:all:7:");
}

TEST(Leaderboard, PrefixesListOnlyTheirBoard) {
    EXPECT_TRUE(day_key(kRoom, 20240229, kUser).starts_with(day_prefix(kRoom, 20240229)));
    EXPECT_FALSE(day_key(kRoom, 20240301, kUser).starts_with(day_prefix(kRoom, 20240229)));
    EXPECT_TRUE(all_time_key(kRoom, kUser).starts_with(all_time_prefix(kRoom)));
    // Room 1's prefix must not match room 12's keys.
    EXPECT_FALSE(all_time_key(RoomId{12}, kUser).starts_with(all_time_prefix(RoomId{1})));
    EXPECT_FALSE(day_key(RoomId{12}, 20240229, kUser).starts_with(day_prefix(RoomId{1}, 20240229)));
}

TEST(Leaderboard, KeysRoundTrip) {
    for (const std::uint64_t room : {0ULL, 1ULL, 7ULL, 18446744073709551615ULL}) {
        for (const std::uint64_t user : {0ULL, 42ULL, 18446744073709551615ULL}) {
            const RoomId r{room};
            const UserId u{user};
            EXPECT_EQ(parse_key(day_key(r, 19991231, u)),
                      (BoardKey{.kind = BoardKey::Kind::day, .room = r, .yyyymmdd = 19991231, .user = u}));
            EXPECT_EQ(parse_key(all_time_key(r, u)),
                      (BoardKey{.kind = BoardKey::Kind::all_time, .room = r, .user = u}));
            EXPECT_EQ(parse_key(gift_number_key(r, u, 31036)),
                      (BoardKey{.kind = BoardKey::Kind::gift_number, .room = r, .user = u, .gift_id = 31036}));
            EXPECT_EQ(user_of_key(day_key(r, 20240101, u)), u);
            EXPECT_EQ(user_of_key(all_time_key(r, u)), u);
            EXPECT_EQ(user_of_key(gift_number_key(r, u, 1)), u);
        }
    }
}

TEST(Leaderboard, ParserRefusesWhatTheBuildersNeverMake) {
    for (const char* key : {
             "",
             "board:all:7",       // missing user
             "board:all:7:42:1",  // extra part
             "board:all:7:",      // empty user
             "board:all::42",     // empty room
             "board:all:07:42",   // zero-padded
             "board:all:7:-42",   // sign
             "board:all:7:+42",
             "board:all:7:4x2",
             "board:all:7:18446744073709551616",  // past 64 bits
             "board:day:7:20240230:42",           // no 30 February
             "board:day:7:2024022:42",            // seven digits
             "board:day:7:42",                    // no day
             "board:week:7:42",                   // unknown board
             "gift_number:7:42",                  // no gift
             "Board:all:7:42",
         }) {
        EXPECT_EQ(parse_key(key), std::nullopt) << key;
        EXPECT_EQ(user_of_key(key), std::nullopt) << key;
    }
    EXPECT_TRUE(parse_key("board:all:0:0"));
}

TEST(Leaderboard, UtcDayOfWallTime) {
    EXPECT_EQ(utc_day(0), 19700101);
    EXPECT_EQ(utc_day(1'700'000'000'000), 20231114);  // 2023-11-14T22:13:20Z
    // 2024-02-29T23:59:59.999Z and one millisecond later.
    EXPECT_EQ(utc_day(1'709'251'199'999), 20240229);
    EXPECT_EQ(utc_day(1'709'251'200'000), 20240301);
    EXPECT_EQ(utc_day(-1), 19691231);
}

TEST(Leaderboard, DayKeysOfAWallTimeRoundTrip) {
    const std::int32_t day = utc_day(1'709'251'199'999);
    EXPECT_EQ(parse_key(day_key(kRoom, day, kUser))->yyyymmdd, day);
}

TEST(Leaderboard, AnOrdersDayKeyNamesTheDayItCommits) {
    // The ledger replaces the marker with the commit's UTC day; then it is an ordinary day key.
    auto key = commit_day_key(RoomId{1}, UserId{3});
    EXPECT_EQ(key, "board:day:1:{utc_day}:3");
    auto resolved = key.replace(key.find(kCommitDayMarker), kCommitDayMarker.size(), "20261121");
    EXPECT_EQ(resolved, day_key(RoomId{1}, 20261121, UserId{3}));
    EXPECT_FALSE(parse_key(commit_day_key(RoomId{1}, UserId{3})));
}

}  // namespace
}  // namespace barrage::economy
