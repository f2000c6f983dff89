// Moderation events as each dialect spells them: the Bilibili cmds web clients react to, with
// the fields they read (PROTOCOL.md §5), Barrage's own BARRAGE_MODERATION / "moderation", and
// the open platform's block event.

#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "message/dialect.h"
#include "message/open_dialect.h"

namespace barrage::message {
namespace {

namespace json = boost::json;

RoomMessage event(Moderation moderation, Role actor = Role::manager) {
    RoomMessage message;
    message.room = RoomId{7};
    message.sequence = 42;
    message.time_ms = 1'700'000'000'000;
    message.sender.uid = UserId{2};
    message.sender.name = "mod";
    message.sender.role = actor;
    message.body = std::move(moderation);
    return message;
}

std::vector<json::object> spelled(Dialect dialect, const RoomMessage& message) {
    std::vector<std::string> bodies;
    encode_message(dialect, message, bodies);
    std::vector<json::object> out;
    for (const auto& body : bodies) {
        out.push_back(json::parse(body).as_object());
    }
    return out;
}

const json::object* find_cmd(const std::vector<json::object>& bodies, std::string_view cmd) {
    for (const auto& body : bodies) {
        if (body.at("cmd").as_string() == cmd) {
            return &body;
        }
    }
    return nullptr;
}

TEST(ModerationDialect, AMuteIsRoomBlockMsgWithTheFieldsClientsRead) {
    const auto bodies = spelled(
        Dialect::web,
        event(Moderation{
            .kind = ModerationKind::mute, .target = UserId{9}, .target_name = "troll", .until_ms = 1'700'000'600'000}));
    const auto* block = find_cmd(bodies, "ROOM_BLOCK_MSG");
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(block->at("uid").as_string(), "9") << "a string at the root, as captured";
    EXPECT_EQ(block->at("uname").as_string(), "troll");
    const auto& data = block->at("data").as_object();
    EXPECT_EQ(data.at("uid").as_int64(), 9);
    EXPECT_EQ(data.at("uname").as_string(), "troll");
    EXPECT_EQ(data.at("operator").as_int64(), 1) << "a manager acted";
    EXPECT_EQ(block->at("seq").as_int64(), 42);
    const auto* own = find_cmd(bodies, "BARRAGE_MODERATION");
    ASSERT_NE(own, nullptr);
    EXPECT_EQ(own->at("data").at("action").as_string(), "mute");
    EXPECT_EQ(own->at("data").at("until_ms").as_int64(), 1'700'000'600'000);
}

TEST(ModerationDialect, TheHostsBanNamesOperatorTwo) {
    const auto bodies =
        spelled(Dialect::web, event(Moderation{.kind = ModerationKind::ban, .target = UserId{9}}, Role::host));
    const auto* block = find_cmd(bodies, "ROOM_BLOCK_MSG");
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(block->at("data").at("operator").as_int64(), 2);
}

TEST(ModerationDialect, RoomMuteIsRoomSilentOnAndOff) {
    auto on = spelled(Dialect::web, event(Moderation{.kind = ModerationKind::room_mute}));
    const auto* silent = find_cmd(on, "ROOM_SILENT_ON");
    ASSERT_NE(silent, nullptr);
    EXPECT_EQ(silent->at("data").at("type").as_string(), "member");
    EXPECT_EQ(silent->at("data").at("level").as_int64(), 0);
    EXPECT_EQ(silent->at("data").at("second").as_int64(), -1) << "until lifted";
    auto timed =
        spelled(Dialect::web, event(Moderation{.kind = ModerationKind::room_mute, .until_ms = 1'700'000'060'000}));
    EXPECT_EQ(find_cmd(timed, "ROOM_SILENT_ON")->at("data").at("second").as_int64(), 1'700'000'060);
    auto off = spelled(Dialect::web, event(Moderation{.kind = ModerationKind::room_unmute}));
    EXPECT_NE(find_cmd(off, "ROOM_SILENT_OFF"), nullptr);
    auto level =
        spelled(Dialect::web, event(Moderation{.kind = ModerationKind::chat_mode, .modes = {.min_level = 20}}));
    const auto* by_level = find_cmd(level, "ROOM_SILENT_ON");
    ASSERT_NE(by_level, nullptr);
    EXPECT_EQ(by_level->at("data").at("type").as_string(), "level");
    EXPECT_EQ(by_level->at("data").at("level").as_int64(), 20);
}

TEST(ModerationDialect, ManagersAreAnnouncedWithTheWholeList) {
    const auto bodies = spelled(Dialect::web, event(Moderation{.kind = ModerationKind::managers,
                                                               .target = UserId{9},
                                                               .appointed = true,
                                                               .managers = {UserId{4}, UserId{9}}},
                                                    Role::host));
    const auto* entrance = find_cmd(bodies, "room_admin_entrance");
    ASSERT_NE(entrance, nullptr);
    EXPECT_EQ(entrance->at("uid").as_int64(), 9);
    const auto* admins = find_cmd(bodies, "ROOM_ADMINS");
    ASSERT_NE(admins, nullptr);
    ASSERT_EQ(admins->at("uids").as_array().size(), 2U);
    EXPECT_EQ(admins->at("uids").as_array()[1].as_int64(), 9);
    const auto removed =
        spelled(Dialect::web, event(Moderation{.kind = ModerationKind::managers, .target = UserId{9}}));
    EXPECT_NE(find_cmd(removed, "ROOM_ADMIN_REVOKE"), nullptr);
}

TEST(ModerationDialect, WarningAndCutOffCarryARootLevelMessage) {
    for (auto kind : {ModerationKind::warning, ModerationKind::cut_off}) {
        const auto bodies = spelled(Dialect::web, event(Moderation{.kind = kind, .reason = "请注意"}, Role::admin));
        const auto* notice = find_cmd(bodies, kind == ModerationKind::warning ? "WARNING" : "CUT_OFF");
        ASSERT_NE(notice, nullptr);
        EXPECT_EQ(notice->at("msg").as_string(), "请注意");
        EXPECT_EQ(notice->at("roomid").as_int64(), 7);
        EXPECT_FALSE(notice->contains("data"));
    }
}

TEST(ModerationDialect, NativeSaysEveryActionWithWhoActed) {
    const auto bodies =
        spelled(Dialect::native, event(Moderation{.kind = ModerationKind::message_delete, .message = 41}));
    ASSERT_EQ(bodies.size(), 1U);
    EXPECT_EQ(bodies[0].at("cmd").as_string(), "moderation");
    EXPECT_EQ(bodies[0].at("data").at("action").as_string(), "message_delete");
    EXPECT_EQ(bodies[0].at("data").at("message").as_int64(), 41);
    EXPECT_EQ(bodies[0].at("user").at("uid").as_int64(), 2);
}

TEST(ModerationDialect, GamesHearOfBlocksOnlyWithTheTargetsOpenId) {
    const OpenAudience audience{
        .app_id = 3, .open_id_key = "k", .anchor_open_id = "a", .anchor_name = "", .anchor_face = ""};
    std::vector<std::string> bodies;
    encode_open_platform(
        event(Moderation{
            .kind = ModerationKind::mute, .target = UserId{9}, .target_name = "troll", .until_ms = 1'700'000'600'000}),
        audience, bodies);
    ASSERT_EQ(bodies.size(), 1U);
    const auto block = json::parse(bodies[0]).as_object();
    EXPECT_EQ(block.at("cmd").as_string(), "LIVE_OPEN_PLATFORM_ROOM_BLOCK_MSG");
    EXPECT_EQ(block.at("data").at("open_id").as_string(), open_id_of("k", 3, UserId{9}));
    EXPECT_EQ(block.at("data").at("block_expired").as_int64(), 1'700'000'600);
    bodies.clear();
    encode_open_platform(event(Moderation{.kind = ModerationKind::kick, .target = UserId{9}}), audience, bodies);
    EXPECT_TRUE(bodies.empty());
}

}  // namespace
}  // namespace barrage::message
