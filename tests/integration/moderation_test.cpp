// Room management in real time against a real server on two I/O threads: a mute stops every
// connection of the user at once and the sender is told until when; a kick closes the user's
// connections on every loop and keeps them out until the time is up; who may do what; the
// word filter and the Lua hook on the sender's path; the audit log and a restart.

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::AuthBody;
using test::kAlice;
using test::kBob;
using test::kManager;
using test::kStreamer;
using test::TestServer;
using test::Transport;

test::HttpReply call(const TestServer& server, std::string_view method, std::string_view target, std::string_view body,
                     std::string_view token) {
    return test::http_request(server.http_port(), method, target, body, token);
}

std::string manager_token(const TestServer& server) {
    return server.token(kManager, "manager", message::Role::viewer);
}
std::string host_token(const TestServer& server) {
    return server.token(kStreamer, "streamer", message::Role::viewer);
}

// The next push with this cmd (other pushes skipped).
json::object next_cmd(test::PacketClient& client, std::string_view cmd) {
    return client.next_cmd(cmd).json().as_object();
}

test::HttpReply send(const TestServer& server, std::string_view text, std::string_view token) {
    return server.post("/api/v1/rooms/1/danmaku", json::serialize(json::object{{"msg", text}}), token);
}

TEST(Moderation, AMuteStopsTheUserAtOnceEverywhereAndTheSenderIsToldUntilWhen) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    const auto alice = server.viewer_token();
    // Alice on both transports: io_threads = 2, so her connections may sit on either loop.
    auto alice_ws = server.join(Transport::ws, AuthBody().key(alice).str());
    auto alice_tcp = server.join(Transport::tcp, AuthBody().key(alice).str());

    auto muted = call(server, "POST", "/api/v1/rooms/1/mutes", R"({"uid":3,"for_s":600,"reason":"spam"})",
                      manager_token(server));
    ASSERT_EQ(muted.status, 200) << muted.body;
    const auto until_ms = test::data_of(muted).at("until_ms").as_int64();
    auto block = next_cmd(*watcher, "ROOM_BLOCK_MSG");
    EXPECT_EQ(block.at("data").at("uid").as_int64(), 3);
    EXPECT_EQ(block.at("uid").as_string(), "3");
    EXPECT_EQ(block.at("data").at("operator").as_int64(), 1);

    auto refused = send(server, "hello", alice);
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.code(), 3100);
    EXPECT_EQ(refused.json().at("data").at("until_ms").as_int64(), until_ms);
    EXPECT_NE(refused.json().at("message").as_string().find("until 20"), json::string::npos) << refused.body;
    EXPECT_EQ(refused.json().at("data").at("reason").as_string(), "spam");
    for (auto* client : {alice_ws.get(), alice_tcp.get()}) {
        client->send_message(R"({"msg":"over op 4"})", 7);
        auto reply = client->next_operation(wire::Operation::send_reply).json().as_object();
        EXPECT_EQ(reply.at("code").as_int64(), 3100) << client->transport();
    }

    auto lifted = call(server, "DELETE", "/api/v1/rooms/1/mutes/3", {}, manager_token(server));
    ASSERT_EQ(lifted.status, 200) << lifted.body;
    EXPECT_GT(server.send_danmaku("back", alice), 0U);
}

TEST(Moderation, WhoMayDoWhatIsTheServersRule) {
    TestServer server;
    const auto manager = manager_token(server);
    const auto host = host_token(server);
    // A viewer moderates nothing.
    EXPECT_EQ(call(server, "POST", "/api/v1/rooms/1/mutes", R"({"uid":4})", server.viewer_token()).code(), 2005);
    // Managers cannot act on the host, nor on each other.
    EXPECT_EQ(call(server, "POST", "/api/v1/rooms/1/mutes", R"({"uid":1})", manager).code(), 3112);
    auto watcher = server.join(Transport::ws, AuthBody().str());
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/managers/4", {}, host).status, 200);
    auto admins = next_cmd(*watcher, "ROOM_ADMINS");
    EXPECT_EQ(admins.at("uids").as_array().size(), 2U);
    EXPECT_EQ(call(server, "POST", "/api/v1/rooms/1/mutes", R"({"uid":4})", manager).code(), 3112);
    // Only the host appoints.
    EXPECT_EQ(call(server, "PUT", "/api/v1/rooms/1/managers/3", {}, manager).code(), 2005);
    // A manager cannot lift (or replace) what the admin imposed.
    ASSERT_EQ(
        call(server, "POST", "/api/v1/rooms/1/mutes", R"({"uid":3,"reason":"admin"})", server.admin_token()).status,
        200);
    EXPECT_EQ(call(server, "DELETE", "/api/v1/rooms/1/mutes/3", {}, manager).code(), 3112);
    EXPECT_EQ(call(server, "POST", "/api/v1/rooms/1/mutes", R"({"uid":3,"for_s":1})", manager).code(), 3112);
    EXPECT_EQ(call(server, "DELETE", "/api/v1/rooms/1/mutes/3", {}, host).code(), 3112) << "nor the host";
    EXPECT_EQ(call(server, "DELETE", "/api/v1/rooms/1/mutes/3", {}, server.admin_token()).status, 200);
    // Operator actions are the admin's.
    EXPECT_EQ(call(server, "POST", "/api/v1/rooms/1/warnings", R"({"msg":"x"})", host).code(), 2005);
    ASSERT_EQ(call(server, "POST", "/api/v1/rooms/1/warnings", R"({"msg":"请注意言论"})", server.admin_token()).status,
              200);
    EXPECT_EQ(next_cmd(*watcher, "WARNING").at("msg").as_string(), "请注意言论");
}

TEST(Moderation, AKickClosesTheUsersConnectionsOnEveryLoopAndKeepsThemOutUntilTheTimeIsUp) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    const auto alice = server.viewer_token();
    auto watcher = server.join(Transport::tcp, AuthBody().str());
    auto alice_ws = server.join(Transport::ws, AuthBody().key(alice).str());
    auto alice_tcp = server.join(Transport::tcp, AuthBody().key(alice).str());
    auto bob = server.join(Transport::ws, AuthBody().key(server.viewer_token(kBob, "bob")).str());

    ASSERT_EQ(call(server, "POST", "/api/v1/rooms/1/kicks", R"({"uid":3,"for_s":60})", manager_token(server)).status,
              200);
    EXPECT_TRUE(alice_ws->wait_closed());
    EXPECT_TRUE(alice_tcp->wait_closed());
    const auto event = next_cmd(*watcher, "BARRAGE_MODERATION");
    EXPECT_EQ(event.at("data").at("action").as_string(), "kick");
    // Bob stays and still receives.
    server.send_danmaku("still here", server.viewer_token(kBob, "bob"));
    EXPECT_EQ(test::danmaku_text(bob->next_cmd("DANMU_MSG").json()), "still here");
    EXPECT_FALSE(bob->closed());

    for (auto transport : {Transport::ws, Transport::tcp}) {
        auto again = server.connect(transport);
        again->send_auth(AuthBody().key(alice).str());
        EXPECT_EQ(again->auth_reply().at("error").as_int64(), 3102) << "kicked: no rejoin yet";
    }
    clock.advance_ms(60'000);
    EXPECT_NO_THROW(server.join(Transport::ws, AuthBody().key(alice).str()));
}

TEST(Moderation, RoomMuteSlowModeAndTheirExpiryOnTheClock) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    auto watcher = server.join(Transport::ws, AuthBody().str());
    const auto alice = server.viewer_token();
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/room-mute", R"({"for_s":30})", manager_token(server)).status, 200);
    const auto silent = next_cmd(*watcher, "ROOM_SILENT_ON");
    EXPECT_EQ(silent.at("data").at("type").as_string(), "member");
    EXPECT_EQ(silent.at("data").at("second").as_int64(), (clock.wall_ms() + 30'000) / 1000);
    EXPECT_EQ(send(server, "x", alice).code(), 3103);
    EXPECT_GT(server.send_danmaku("managers still speak", manager_token(server)), 0U);
    clock.advance_ms(30'000);
    EXPECT_GT(server.send_danmaku("expired", alice), 0U);

    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/chat-modes", R"({"slow_s":10})", host_token(server)).status, 200);
    EXPECT_GT(server.send_danmaku("one", alice), 0U);
    auto early = send(server, "two", alice);
    EXPECT_EQ(early.code(), 3104);
    EXPECT_EQ(early.json().at("data").at("until_ms").as_int64(), clock.wall_ms() + 10'000);
    clock.advance_ms(10'000);
    EXPECT_GT(server.send_danmaku("two", alice), 0U);

    // Followers-only, for ten minutes of following.
    ASSERT_EQ(
        call(server, "PUT", "/api/v1/rooms/1/chat-modes", R"({"slow_s":0,"followers_only_min":10})", host_token(server))
            .status,
        200);
    EXPECT_EQ(send(server, "hi", alice).code(), 3105);
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/follow", {}, alice).status, 200);
    auto young = send(server, "hi", alice);
    EXPECT_EQ(young.code(), 3105);
    EXPECT_EQ(young.json().at("data").at("until_ms").as_int64(), clock.wall_ms() + 600'000);
    clock.advance_ms(600'000);
    EXPECT_GT(server.send_danmaku("a follower now", alice), 0U);
}

TEST(Moderation, TheModesAndTheRoomMuteInForceAreReadBack) {
    FakeClock clock;
    TestServer server(clock, [](app::Config&) {});
    const auto manager = manager_token(server);
    auto modes = call(server, "GET", "/api/v1/rooms/1/chat-modes", {}, manager);
    ASSERT_EQ(modes.status, 200) << modes.body;
    EXPECT_EQ(modes.json().at("data").at("slow_s").as_int64(), 0);
    EXPECT_TRUE(modes.json().at("data").at("room_mute").is_null());

    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/chat-modes", R"({"slow_s":7,"guards_only":true})", manager).status,
              200);
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/room-mute", R"({"for_s":60,"reason":"calm down"})", manager).status,
              200);
    modes = call(server, "GET", "/api/v1/rooms/1/chat-modes", {}, manager);
    const auto data = modes.json().at("data").as_object();
    EXPECT_EQ(data.at("slow_s").as_int64(), 7);
    EXPECT_TRUE(data.at("guards_only").as_bool());
    EXPECT_EQ(data.at("room_mute").at("until_ms").as_int64(), clock.wall_ms() + 60'000);
    EXPECT_EQ(data.at("room_mute").at("reason").as_string(), "calm down");
    clock.advance_ms(60'000);
    EXPECT_TRUE(
        call(server, "GET", "/api/v1/rooms/1/chat-modes", {}, manager).json().at("data").at("room_mute").is_null());
    // Viewers do not read a room's moderation settings.
    EXPECT_EQ(call(server, "GET", "/api/v1/rooms/1/chat-modes", {}, server.viewer_token()).status, 403);
}

TEST(Moderation, TheWordFilterBlocksAndMasksAndABadPatternKeepsTheOldList) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    const auto manager = manager_token(server);
    auto set = call(server, "PUT", "/api/v1/rooms/1/words",
                    R"({"entries":[{"pattern":"badword"},{"pattern":"坏蛋","action":"mask"}]})", manager);
    ASSERT_EQ(set.status, 200) << set.body;
    const auto alice = server.viewer_token();
    EXPECT_EQ(send(server, "you B.A.D w o r d", alice).code(), 3109);
    const auto seq = server.send_danmaku("你是坏蛋吗", alice);
    auto shown = watcher->next_where([&](const test::Received& push) { return test::sequence_of(push.json()) == seq; },
                                     "the masked danmaku");
    EXPECT_EQ(test::danmaku_text(shown.json()), "你是**吗");

    auto bad = call(server, "PUT", "/api/v1/rooms/1/words",
                    R"({"entries":[{"pattern":"ok"},{"pattern":"(","regex":true}]})", manager);
    EXPECT_EQ(bad.code(), 3111);
    EXPECT_EQ(bad.json().at("data").at("entry").as_int64(), 1);
    EXPECT_EQ(send(server, "badword again", alice).code(), 3109) << "the old list stays in force";
    EXPECT_EQ(call(server, "PUT", "/api/v1/rooms/1/words", R"({"entries":[]})", server.viewer_token()).code(), 2005);
    // Compiling costs the store thread: three replacements at once (the refused one counted),
    // then one per 10 s per user.
    EXPECT_EQ(call(server, "PUT", "/api/v1/rooms/1/words", R"({"entries":[]})", manager).code(), 0);
    EXPECT_EQ(call(server, "PUT", "/api/v1/rooms/1/words", R"({"entries":[]})", manager).code(), 3002);
}

TEST(Moderation, TheLuaHookRejectsRewritesAndFallsBackWhenItRunsTooLong) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    const auto admin = server.admin_token();
    const auto script = R"(
function on_message(msg)
  if msg.text:find("spam") then return false, "no spam here" end
  if msg.text == "loop" then while true do end end
  return msg.text:upper()
end)";
    auto published = call(server, "PUT", "/api/v1/admin/hooks/lua", script, admin);
    ASSERT_EQ(published.status, 200) << published.body;
    const auto alice = server.viewer_token();
    auto rejected = send(server, "buy spam", alice);
    EXPECT_EQ(rejected.code(), 3110);
    EXPECT_EQ(rejected.json().at("data").at("reason").as_string(), "no spam here");
    const auto seq = server.send_danmaku("quiet please", alice);
    auto shown = watcher->next_where([&](const test::Received& push) { return test::sequence_of(push.json()) == seq; },
                                     "the rewritten danmaku");
    EXPECT_EQ(test::danmaku_text(shown.json()), "QUIET PLEASE");
    // Over its budget: stopped, and the fallback (allow) lets the message through unchanged.
    EXPECT_GT(server.send_danmaku("loop", alice), 0U);
    auto status = test::data_of(server.get("/api/v1/admin/hooks/lua", admin));
    EXPECT_EQ(status.at("fault_instructions").as_int64(), 1);
    // A script that does not load is refused and the running one stays.
    EXPECT_EQ(call(server, "PUT", "/api/v1/admin/hooks/lua", "function on_message(", admin).code(), 1000);
    EXPECT_EQ(send(server, "more spam", alice).code(), 3110);
}

TEST(Moderation, StateSurvivesARestartAndEveryActionIsAudited) {
    TestServer server;
    const auto manager = manager_token(server);
    ASSERT_EQ(call(server, "POST", "/api/v1/rooms/1/mutes", R"({"uid":3,"reason":"flooding"})", manager).status, 200);
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/chat-modes", R"({"min_level":5})", manager).status, 200);
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/words", R"({"entries":[{"pattern":"forbidden"}]})", manager).status,
              200);
    ASSERT_EQ(call(server, "POST", "/api/v1/bans", R"({"uid":4,"reason":"fraud"})", server.admin_token()).status, 200);
    server.restart();
    EXPECT_EQ(send(server, "hi", server.viewer_token()).code(), 3100);
    EXPECT_EQ(send(server, "hi", server.viewer_token(kBob, "bob")).code(), 3101);
    EXPECT_EQ(send(server, "forbidden", server.token(UserId{5}, "eve", message::Role::bot)).code(), 3109);
    // Level 0 (no claim) is below the minimum of 5.
    EXPECT_EQ(send(server, "hi", server.viewer_token(UserId{6}, "frank")).code(), 3107);

    auto audit = server.get("/api/v1/rooms/1/audit", manager);
    ASSERT_EQ(audit.status, 200) << audit.body;
    const auto lines = audit.json().at("data").as_array();
    ASSERT_EQ(lines.size(), 3U) << audit.body;
    EXPECT_EQ(lines[0].at("action").as_string(), "words_replaced") << "newest first";
    EXPECT_EQ(lines[2].at("action").as_string(), "mute");
    EXPECT_EQ(lines[2].at("actor").as_int64(), 2);
    EXPECT_EQ(lines[2].at("target").as_int64(), 3);
    EXPECT_EQ(lines[2].at("reason").as_string(), "flooding");
    EXPECT_EQ(server.get("/api/v1/rooms/1/audit", server.viewer_token()).code(), 2005);
    const auto global = server.get("/api/v1/audit", server.admin_token()).json().at("data").as_array();
    ASSERT_EQ(global.size(), 1U) << "the platform ban is logged apart";
    EXPECT_EQ(global[0].at("action").as_string(), "ban");
}

TEST(Moderation, APlatformBanClosesTheUsersConnectionsAndKeepsThemOut) {
    TestServer server;
    const auto bob = server.viewer_token(kBob, "bob");
    auto connection = server.join(Transport::tcp, AuthBody().key(bob).str());
    ASSERT_EQ(call(server, "POST", "/api/v1/bans", R"({"uid":4,"for_s":3600})", server.admin_token()).status, 200);
    EXPECT_TRUE(connection->wait_closed());
    auto again = server.connect(Transport::tcp);
    again->send_auth(AuthBody().key(bob).str());
    EXPECT_EQ(again->auth_reply().at("error").as_int64(), 3101);
    EXPECT_EQ(call(server, "POST", "/api/v1/bans", R"({"uid":3})", host_token(server)).code(), 2005);
}

TEST(Moderation, AManagerDeletesAMessageAndEveryClientIsToldItsSequence) {
    TestServer server;
    auto watcher = server.join(Transport::tcp, AuthBody().dialect("native").str());
    const auto seq = server.send_danmaku("regrettable", server.viewer_token());
    ASSERT_EQ(
        call(server, "DELETE", "/api/v1/rooms/1/messages/" + std::to_string(seq), {}, manager_token(server)).status,
        200);
    const auto event = next_cmd(*watcher, "moderation");
    EXPECT_EQ(event.at("data").at("action").as_string(), "message_delete");
    EXPECT_EQ(event.at("data").at("message").as_int64(), static_cast<std::int64_t>(seq));
    EXPECT_EQ(call(server, "DELETE", "/api/v1/rooms/1/messages/999999", {}, manager_token(server)).code(), 3113);
    // The host's own message is beyond a manager.
    const auto host_seq = server.send_danmaku("from the host", host_token(server));
    EXPECT_EQ(call(server, "DELETE", "/api/v1/rooms/1/messages/" + std::to_string(host_seq), {}, manager_token(server))
                  .code(),
              3112);
}

}  // namespace
}  // namespace barrage
