#include "store/moderation_store.h"

#include <gtest/gtest.h>

#include "store/directory.h"

namespace barrage::store {
namespace {

Database::Options memory() {
    return {":memory:", true};
}

std::int64_t count(Database& database, std::string_view table) {
    Database::Statement select(database, "SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(select.step().value());
    return select.column_int(0);
}

SanctionRecord mute(RoomId room, UserId user, Millis until_ms, std::string reason = "spam") {
    return {.room = room,
            .kind = SanctionKind::mute,
            .user = user,
            .sanction = {.until_ms = until_ms,
                         .by = UserId{7},
                         .by_role = message::Role::manager,
                         .reason = std::move(reason),
                         .at_ms = 1000}};
}

AuditEntry line(RoomId room, std::string action, UserId target = UserId{9}) {
    return {.room = room,
            .actor = UserId{7},
            .actor_role = message::Role::host,
            .action = std::move(action),
            .target = target,
            .detail = R"({"until_ms":5000})",
            .reason = "spam",
            .at_ms = 1000};
}

TEST(ModerationStore, RecordWritesTheChangeAndItsAuditLineTogether) {
    Database database(memory());
    ModerationStore store(database);
    auto id = store.record({.put_sanction = mute(RoomId{5}, UserId{9}, 5000)}, line(RoomId{5}, "mute"));
    ASSERT_TRUE(id);
    EXPECT_GT(*id, 0);

    auto state = store.load(2000);
    ASSERT_EQ(state.sanctions.size(), 1U);
    const auto& sanction = state.sanctions[0];
    EXPECT_EQ(sanction.room, RoomId{5});
    EXPECT_EQ(sanction.kind, SanctionKind::mute);
    EXPECT_EQ(sanction.user, UserId{9});
    EXPECT_EQ(sanction.sanction.until_ms, 5000);
    EXPECT_EQ(sanction.sanction.by, UserId{7});
    EXPECT_EQ(sanction.sanction.by_role, message::Role::manager);
    EXPECT_EQ(sanction.sanction.reason, "spam");
    EXPECT_EQ(sanction.sanction.at_ms, 1000);

    auto lines = store.audit(RoomId{5}, std::nullopt, 10);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].id, *id);
    EXPECT_EQ(lines[0].room, RoomId{5});
    EXPECT_EQ(lines[0].actor, UserId{7});
    EXPECT_EQ(lines[0].actor_role, message::Role::host);
    EXPECT_EQ(lines[0].action, "mute");
    EXPECT_EQ(lines[0].target, UserId{9});
    EXPECT_EQ(lines[0].detail, R"({"until_ms":5000})");
    EXPECT_EQ(lines[0].reason, "spam");
    EXPECT_EQ(lines[0].at_ms, 1000);
}

TEST(ModerationStore, BotRulesAreReplacedWholeWithTheirAuditLine) {
    Database database(memory());
    ModerationStore store(database);
    ModerationChange first;
    first.put_bots = BotRulesRecord{RoomId{5}, R"({"name":"a"})"};
    ASSERT_TRUE(store.record(first, line(RoomId{5}, "bots_set", UserId{})));
    ModerationChange second;
    second.put_bots = BotRulesRecord{RoomId{5}, R"({"name":"b"})"};
    ASSERT_TRUE(store.record(second, line(RoomId{5}, "bots_set", UserId{})));
    const auto state = store.load(2000);
    ASSERT_EQ(state.bots.size(), 1U);
    EXPECT_EQ(state.bots[0].room, RoomId{5});
    EXPECT_EQ(state.bots[0].rules_json, R"({"name":"b"})");
    EXPECT_EQ(count(database, "moderation_audit"), 2);
}

TEST(ModerationStore, APutReplacesTheSanctionOfTheSameRoomKindAndUser) {
    Database database(memory());
    ModerationStore store(database);
    ASSERT_TRUE(store.record({.put_sanction = mute(RoomId{5}, UserId{9}, 5000)}, line(RoomId{5}, "mute")));
    ASSERT_TRUE(store.record({.put_sanction = mute(RoomId{5}, UserId{9}, 0, "again")}, line(RoomId{5}, "mute")));
    auto ban = mute(RoomId{5}, UserId{9}, 0);
    ban.kind = SanctionKind::ban;
    ASSERT_TRUE(store.record({.put_sanction = ban}, line(RoomId{5}, "ban")));
    ASSERT_TRUE(store.record({.put_sanction = mute(RoomId{6}, UserId{9}, 0)}, line(RoomId{6}, "mute")));

    auto state = store.load(2000);
    ASSERT_EQ(state.sanctions.size(), 3U);  // ordered by room, kind ("ban" < "mute"), user
    EXPECT_EQ(state.sanctions[0].kind, SanctionKind::ban);
    EXPECT_EQ(state.sanctions[1].kind, SanctionKind::mute);
    EXPECT_EQ(state.sanctions[1].sanction.until_ms, 0);
    EXPECT_EQ(state.sanctions[1].sanction.reason, "again");
    EXPECT_EQ(state.sanctions[2].room, RoomId{6});
}

TEST(ModerationStore, ADropRemovesOnlyThatSanction) {
    Database database(memory());
    ModerationStore store(database);
    ASSERT_TRUE(store.record({.put_sanction = mute(RoomId{5}, UserId{9}, 0)}, line(RoomId{5}, "mute")));
    ASSERT_TRUE(store.record({.put_sanction = mute(RoomId{5}, UserId{10}, 0)}, line(RoomId{5}, "mute")));
    ASSERT_TRUE(store.record({.drop_sanction = ModerationChange::Removal{RoomId{5}, SanctionKind::mute, UserId{9}}},
                             line(RoomId{5}, "unmute")));
    // Dropping what is not there changes nothing and still logs the line.
    ASSERT_TRUE(store.record({.drop_sanction = ModerationChange::Removal{RoomId{5}, SanctionKind::ban, UserId{10}}},
                             line(RoomId{5}, "unban")));

    auto state = store.load(2000);
    ASSERT_EQ(state.sanctions.size(), 1U);
    EXPECT_EQ(state.sanctions[0].user, UserId{10});
    EXPECT_EQ(store.audit(RoomId{5}, std::nullopt, 10).size(), 4U);
}

TEST(ModerationStore, ExpiredSanctionsAreNeitherLoadedNorKept) {
    Database database(memory());
    ModerationStore store(database);
    ASSERT_TRUE(store.apply({.put_sanction = mute(RoomId{5}, UserId{1}, 3000)}));
    ASSERT_TRUE(store.apply({.put_sanction = mute(RoomId{5}, UserId{2}, 3001)}));
    ASSERT_TRUE(store.apply({.put_sanction = mute(RoomId{5}, UserId{3}, 0)}));

    auto state = store.load(3000);
    ASSERT_EQ(state.sanctions.size(), 2U);
    EXPECT_EQ(state.sanctions[0].user, UserId{2});
    EXPECT_EQ(state.sanctions[1].user, UserId{3});
    EXPECT_EQ(count(database, "sanctions"), 2);
    EXPECT_EQ(store.load(5000).sanctions.size(), 1U) << "until lifted never expires";
}

TEST(ModerationStore, AGlobalBanIsRoomZeroWithItsOwnAuditLines) {
    Database database(memory());
    ModerationStore store(database);
    auto ban = mute(RoomId{0}, UserId{9}, 0, "fraud");
    ban.kind = SanctionKind::ban;
    ban.sanction.by_role = message::Role::admin;
    auto id = store.record({.put_sanction = ban}, line(RoomId{0}, "ban"));
    ASSERT_TRUE(id);

    auto state = store.load(2000);
    ASSERT_EQ(state.sanctions.size(), 1U);
    EXPECT_EQ(state.sanctions[0].room, RoomId{0});
    EXPECT_EQ(state.sanctions[0].kind, SanctionKind::ban);
    EXPECT_EQ(state.sanctions[0].sanction.by_role, message::Role::admin);
    EXPECT_EQ(state.sanctions[0].sanction.reason, "fraud");
    auto lines = store.audit(RoomId{0}, std::nullopt, 10);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].id, *id);
    EXPECT_TRUE(store.audit(RoomId{5}, std::nullopt, 10).empty());
}

TEST(ModerationStore, ModesAreStoredWithAndWithoutARoomMute) {
    Database database(memory());
    ModerationStore store(database);
    RoomModesRecord muted{
        .room = RoomId{5},
        .modes = {.slow_s = 10, .followers_only_min = 30, .guards_only = true, .min_level = 20},
        .room_mute = moderation::Sanction{.until_ms = 9000,
                                          .by = UserId{7},
                                          .by_role = message::Role::host,
                                          .reason = "calm down",
                                          .at_ms = 1000},
    };
    RoomModesRecord plain{.room = RoomId{6}, .modes = {.slow_s = 3}, .room_mute = std::nullopt};
    ASSERT_TRUE(store.record({.put_modes = muted}, line(RoomId{5}, "room_mute", UserId{0})));
    ASSERT_TRUE(store.record({.put_modes = plain}, line(RoomId{6}, "slow", UserId{0})));

    auto state = store.load(2000);
    ASSERT_EQ(state.modes.size(), 2U);
    const auto& five = state.modes[0];
    EXPECT_EQ(five.room, RoomId{5});
    EXPECT_EQ(five.modes.slow_s, 10U);
    EXPECT_EQ(five.modes.followers_only_min, 30);
    EXPECT_TRUE(five.modes.guards_only);
    EXPECT_EQ(five.modes.min_level, 20U);
    ASSERT_TRUE(five.room_mute);
    EXPECT_EQ(five.room_mute->until_ms, 9000);
    EXPECT_EQ(five.room_mute->by, UserId{7});
    EXPECT_EQ(five.room_mute->by_role, message::Role::host);
    EXPECT_EQ(five.room_mute->reason, "calm down");
    EXPECT_EQ(five.room_mute->at_ms, 1000);
    const auto& six = state.modes[1];
    EXPECT_EQ(six.modes.slow_s, 3U);
    EXPECT_EQ(six.modes.followers_only_min, -1);
    EXPECT_FALSE(six.modes.guards_only);
    EXPECT_FALSE(six.room_mute);

    // An expired room mute is left out; the modes stay.
    auto later = store.load(9000);
    ASSERT_EQ(later.modes.size(), 2U);
    EXPECT_FALSE(later.modes[0].room_mute);
    EXPECT_EQ(later.modes[0].modes.slow_s, 10U);

    // A put replaces the row: the room mute lifted.
    muted.room_mute.reset();
    ASSERT_TRUE(store.record({.put_modes = muted}, line(RoomId{5}, "room_unmute", UserId{0})));
    auto lifted = store.load(2000);
    ASSERT_EQ(lifted.modes.size(), 2U);
    EXPECT_FALSE(lifted.modes[0].room_mute);
    EXPECT_TRUE(lifted.modes[0].modes.guards_only);
}

TEST(ModerationStore, WordListsRoundTripWithActionsRegexesAndUnicode) {
    Database database(memory());
    ModerationStore store(database);
    std::vector<moderation::WordEntry> entries{
        {.pattern = "傻瓜", .action = moderation::WordAction::block, .regex = false},
        {.pattern = "ｆｏｏ \"quoted\"", .action = moderation::WordAction::mask, .regex = false},
        {.pattern = R"(\p{Han}{3}\d+)", .action = moderation::WordAction::mask, .regex = true},
        {.pattern = "😀", .action = moderation::WordAction::block, .regex = true},
    };
    ASSERT_TRUE(store.record({.put_words = WordListRecord{RoomId{5}, entries}}, line(RoomId{5}, "words", UserId{0})));
    ASSERT_TRUE(
        store.record({.put_words = WordListRecord{RoomId{0}, {entries[0]}}}, line(RoomId{0}, "words", UserId{0})));

    auto state = store.load(2000);
    ASSERT_EQ(state.words.size(), 2U);
    EXPECT_EQ(state.words[0].room, RoomId{0});
    ASSERT_EQ(state.words[0].entries.size(), 1U);
    const auto& loaded = state.words[1].entries;
    ASSERT_EQ(loaded.size(), entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        EXPECT_EQ(loaded[i].pattern, entries[i].pattern) << i;
        EXPECT_EQ(loaded[i].action, entries[i].action) << i;
        EXPECT_EQ(loaded[i].regex, entries[i].regex) << i;
    }

    // A put replaces the whole list; an empty one stays as an empty list.
    ASSERT_TRUE(store.record({.put_words = WordListRecord{RoomId{5}, {}}}, line(RoomId{5}, "words", UserId{0})));
    auto emptied = store.load(2000);
    ASSERT_EQ(emptied.words.size(), 2U);
    EXPECT_TRUE(emptied.words[1].entries.empty());
}

TEST(ModerationStore, FollowsKeepTheFirstSinceAndAreNotAudited) {
    Database database(memory());
    ModerationStore store(database);
    ASSERT_TRUE(store.apply({.put_follow = FollowRecord{RoomId{5}, UserId{9}, 100}}));
    ASSERT_TRUE(store.apply({.put_follow = FollowRecord{RoomId{5}, UserId{9}, 200}}));
    ASSERT_TRUE(store.apply({.put_follow = FollowRecord{RoomId{5}, UserId{10}, 300}}));
    ASSERT_TRUE(store.apply({.put_follow = FollowRecord{RoomId{6}, UserId{9}, 400}}));

    auto state = store.load(2000);
    ASSERT_EQ(state.follows.size(), 3U);
    EXPECT_EQ(state.follows[0].user, UserId{9});
    EXPECT_EQ(state.follows[0].since_ms, 100);
    EXPECT_EQ(state.follows[1].since_ms, 300);
    EXPECT_EQ(state.follows[2].room, RoomId{6});

    ASSERT_TRUE(store.apply({.drop_follow = FollowRecord{RoomId{5}, UserId{9}, 0}}));
    // Followed again: the time starts over.
    ASSERT_TRUE(store.apply({.put_follow = FollowRecord{RoomId{5}, UserId{10}, 900}}));
    auto after = store.load(2000);
    ASSERT_EQ(after.follows.size(), 2U);
    EXPECT_EQ(after.follows[0].user, UserId{10});
    EXPECT_EQ(after.follows[0].since_ms, 300);
    EXPECT_EQ(count(database, "moderation_audit"), 0);

    ASSERT_TRUE(store.apply({.put_follow = FollowRecord{RoomId{5}, UserId{10}, 950},
                             .drop_follow = FollowRecord{RoomId{5}, UserId{10}, 0}}));
    EXPECT_EQ(store.load(2000).follows[0].since_ms, 950) << "a drop and a put in one change: the put stands";
}

TEST(ModerationStore, ManagersAreWrittenToTheRoomsColumn) {
    Database database(memory());
    Directory directory(database);
    directory.ensure_room({RoomId{5}, "five", UserId{1}, {UserId{2}}}, 0);
    ModerationStore store(database);
    ASSERT_TRUE(store.record({.put_managers = std::pair{RoomId{5}, std::vector<UserId>{UserId{2}, UserId{8}}}},
                             line(RoomId{5}, "managers", UserId{8})));
    auto rooms = directory.load_rooms();
    ASSERT_EQ(rooms.size(), 1U);
    EXPECT_EQ(rooms[0].managers, (std::vector<UserId>{UserId{2}, UserId{8}}));
    EXPECT_EQ(rooms[0].host, UserId{1});

    ASSERT_TRUE(store.record({.put_managers = std::pair{RoomId{5}, std::vector<UserId>{}}},
                             line(RoomId{5}, "managers", UserId{2})));
    EXPECT_TRUE(directory.load_rooms()[0].managers.empty());

    // A room the directory does not hold: the change fails whole, with no audit line.
    auto unknown = store.record({.put_managers = std::pair{RoomId{6}, std::vector<UserId>{UserId{2}}}},
                                line(RoomId{6}, "managers", UserId{2}));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error(), make_error_code(Errc::unknown_room));
    EXPECT_TRUE(store.audit(RoomId{6}, std::nullopt, 10).empty());
}

TEST(ModerationStore, AuditPagesNewestFirstPerRoom) {
    Database database(memory());
    ModerationStore store(database);
    std::vector<std::int64_t> five;
    for (int i = 0; i < 5; ++i) {
        auto id = store.record({}, line(RoomId{5}, "mute", UserId{static_cast<std::uint64_t>(100 + i)}));
        ASSERT_TRUE(id);
        five.push_back(*id);
        ASSERT_TRUE(store.record({}, line(RoomId{6}, "ban")));
    }
    for (std::size_t i = 1; i < five.size(); ++i) {
        EXPECT_GT(five[i], five[i - 1]);
    }

    auto first = store.audit(RoomId{5}, std::nullopt, 2);
    ASSERT_EQ(first.size(), 2U);
    EXPECT_EQ(first[0].id, five[4]);
    EXPECT_EQ(first[0].target, UserId{104});
    EXPECT_EQ(first[1].id, five[3]);
    auto second = store.audit(RoomId{5}, first.back().id, 2);
    ASSERT_EQ(second.size(), 2U);
    EXPECT_EQ(second[0].id, five[2]);
    EXPECT_EQ(second[1].id, five[1]);
    auto last = store.audit(RoomId{5}, second.back().id, 2);
    ASSERT_EQ(last.size(), 1U);
    EXPECT_EQ(last[0].id, five[0]);
    EXPECT_TRUE(store.audit(RoomId{5}, last.back().id, 2).empty());
    EXPECT_TRUE(store.audit(RoomId{5}, std::nullopt, 0).empty());

    auto six = store.audit(RoomId{6}, std::nullopt, 100);
    ASSERT_EQ(six.size(), 5U);
    for (const auto& entry : six) {
        EXPECT_EQ(entry.room, RoomId{6});
        EXPECT_EQ(entry.action, "ban");
    }
    EXPECT_TRUE(store.audit(RoomId{7}, std::nullopt, 10).empty());
}

TEST(ModerationStore, AFailedAuditLineUndoesTheChange) {
    Database database(memory());
    ModerationStore store(database);
    database.exec(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON moderation_audit BEGIN SELECT RAISE(ABORT, 'refused'); END");
    auto id = store.record({.put_sanction = mute(RoomId{5}, UserId{9}, 0),
                            .put_modes = RoomModesRecord{.room = RoomId{5}, .modes = {.slow_s = 5}},
                            .put_follow = FollowRecord{RoomId{5}, UserId{9}, 100}},
                           line(RoomId{5}, "mute"));
    ASSERT_FALSE(id);
    EXPECT_FALSE(database.in_transaction());
    EXPECT_EQ(count(database, "sanctions"), 0);
    EXPECT_EQ(count(database, "room_modes"), 0);
    EXPECT_EQ(count(database, "follows"), 0);
    EXPECT_EQ(count(database, "moderation_audit"), 0);
}

TEST(ModerationStore, AFailedChangeWritesNoAuditLine) {
    Database database(memory());
    ModerationStore store(database);
    database.exec("CREATE TRIGGER refuse_words BEFORE INSERT ON word_lists BEGIN SELECT RAISE(ABORT, 'refused'); END");
    auto id = store.record(
        {.put_sanction = mute(RoomId{5}, UserId{9}, 0), .put_words = WordListRecord{RoomId{5}, {{.pattern = "x"}}}},
        line(RoomId{5}, "words"));
    ASSERT_FALSE(id);
    EXPECT_FALSE(database.in_transaction());
    EXPECT_EQ(count(database, "sanctions"), 0) << "the part written before the failure is undone";
    EXPECT_EQ(count(database, "word_lists"), 0);
    EXPECT_EQ(count(database, "moderation_audit"), 0);
    EXPECT_FALSE(store.apply({.put_words = WordListRecord{RoomId{5}, {}}}));

    // Afterwards the store works as before.
    database.exec("DROP TRIGGER refuse_words");
    ASSERT_TRUE(store.record({.put_words = WordListRecord{RoomId{5}, {}}}, line(RoomId{5}, "words")));
    EXPECT_EQ(count(database, "moderation_audit"), 1);
}

TEST(ModerationStore, AChangeInsideAnotherTransactionFailsWithoutWriting) {
    Database database(memory());
    ModerationStore store(database);
    database.exec("BEGIN");
    EXPECT_FALSE(store.record({.put_sanction = mute(RoomId{5}, UserId{9}, 0)}, line(RoomId{5}, "mute")));
    database.exec("ROLLBACK");
    EXPECT_EQ(count(database, "sanctions"), 0);
    EXPECT_EQ(count(database, "moderation_audit"), 0);
}

}  // namespace
}  // namespace barrage::store
