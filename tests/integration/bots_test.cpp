// Rooms' built-in bots and external bots against a real server on two I/O threads: the welcome
// names who entered, keyword auto-replies answer as replies and cool down, scheduled
// announcements wait for the host to go live (on a FakeClock), the rules survive a restart;
// an external bot's token is good for its own room only, may send system notices, and is
// rate limited at the bot rate.

#include <chrono>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "identity/token.h"
#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::AuthBody;
using test::kAlice;
using test::kBob;
using test::kStreamer;
using test::TestServer;
using test::Transport;

test::HttpReply call(const TestServer& server, std::string_view method, std::string_view target, std::string_view body,
                     std::string_view token) {
    return test::http_request(server.http_port(), method, target, body, token);
}

std::string host_token(const TestServer& server) {
    return server.token(kStreamer, "streamer", message::Role::viewer);
}

struct Said {
    std::uint64_t uid = 0;
    std::string name;
    std::string text;
    std::uint64_t reply_mid = 0;
    std::string reply_uname;
};

// The next DANMU_MSG, read as a viewer's client reads it.
Said next_danmaku(test::PacketClient& client) {
    const auto push = client.next_cmd("DANMU_MSG").json();
    const auto& info = push.at("info").as_array();
    const auto extra = json::parse(info.at(0).as_array().at(15).at("extra").as_string()).as_object();
    return Said{.uid = info.at(2).as_array().at(0).to_number<std::uint64_t>(),
                .name = std::string(info.at(2).as_array().at(1).as_string()),
                .text = std::string(info.at(1).as_string()),
                .reply_mid = extra.at("reply_mid").to_number<std::uint64_t>(),
                .reply_uname = std::string(extra.at("reply_uname").as_string())};
}

// Waits (bounded) until the metric reaches `at_least`; the server's timers run on their own.
bool metric_reaches(const TestServer& server, std::string_view name, std::uint64_t at_least) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (server.metric(name) >= at_least) {
            return true;
        }
    }
    return false;
}

TEST(Bots, WelcomeAndAutoRepliesSpeakInTheRoom) {
    TestServer server;
    const auto host = host_token(server);
    auto put = call(server, "PUT", "/api/v1/rooms/1/bots",
                    R"({"name":"小助手","welcome":{"text":"欢迎 {name} 进入直播间"},
                        "replies":[{"match":"contains","pattern":"几点下播","reply":"@{name} 十一点下播","cooldown_s":600}]})",
                    host);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(test::data_of(put).at("rules").at("name").as_string(), "小助手");

    auto watcher = server.join(Transport::ws, AuthBody().str());
    const auto alice = server.viewer_token();
    auto alice_tcp = server.join(Transport::tcp, AuthBody().key(alice).str());
    const auto welcome = next_danmaku(*watcher);
    EXPECT_EQ(welcome.text, "欢迎 alice 进入直播间");
    EXPECT_EQ(welcome.uid, 0U);
    EXPECT_EQ(welcome.name, "小助手");

    ASSERT_GT(server.send_danmaku("主播今天几点下播？", alice), 0U);
    EXPECT_EQ(next_danmaku(*watcher).text, "主播今天几点下播？");
    const auto reply = next_danmaku(*watcher);
    EXPECT_EQ(reply.text, "@alice 十一点下播");
    EXPECT_EQ(reply.reply_mid, kAlice.value);
    EXPECT_EQ(reply.reply_uname, "alice");

    // Within the cool-down the same question gets no second answer: the next danmaku after it is
    // the marker, not the bot.
    const auto bob = server.viewer_token(kBob, "bob");
    ASSERT_GT(server.send_danmaku("几点下播", bob), 0U);
    ASSERT_GT(server.send_danmaku("marker", bob), 0U);
    EXPECT_EQ(next_danmaku(*watcher).text, "几点下播");
    EXPECT_EQ(next_danmaku(*watcher).text, "marker");

    auto shown = server.get("/api/v1/rooms/1/bots", host);
    ASSERT_EQ(shown.status, 200) << shown.body;
    const auto counters = test::data_of(shown).at("counters");
    EXPECT_EQ(counters.at("welcomes").as_int64(), 1);
    EXPECT_EQ(counters.at("replies").as_int64(), 1);
    EXPECT_EQ(counters.at("replies_cooling").as_int64(), 1);
    EXPECT_EQ(server.metric("barrage_bot_replies_total"), 1U);
}

TEST(Bots, OnlyManagersAndAboveConfigureAndBadRulesLeaveTheOldOnes) {
    TestServer server;
    const auto rules = R"({"replies":[{"pattern":"hi","reply":"hello"}]})";
    auto viewer = call(server, "PUT", "/api/v1/rooms/1/bots", rules, server.viewer_token());
    EXPECT_EQ(viewer.status, 403);
    EXPECT_EQ(viewer.code(), 2005);
    EXPECT_EQ(server.get("/api/v1/rooms/1/bots", server.viewer_token()).code(), 2005);
    const auto manager = server.token(test::kManager, "manager", message::Role::viewer);
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/bots", rules, manager).status, 200);

    auto bad = call(server, "PUT", "/api/v1/rooms/1/bots",
                    R"({"replies":[{"match":"regex","pattern":"(unclosed","reply":"x"}]})", manager);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.json().at("data").at("field").as_string(), "replies[0].pattern") << bad.body;
    auto cron =
        call(server, "PUT", "/api/v1/rooms/1/bots", R"({"announcements":[{"text":"a","cron":"61 * * * *"}]})", manager);
    EXPECT_EQ(cron.status, 400);
    EXPECT_EQ(cron.json().at("data").at("field").as_string(), "announcements[0].cron") << cron.body;
    // Replacing rules is bounded per user: 3 at once (the two refusals above compiled too).
    EXPECT_EQ(call(server, "PUT", "/api/v1/rooms/1/bots", rules, manager).code(), 3002);

    auto shown = server.get("/api/v1/rooms/1/bots", manager);
    const auto data = test::data_of(shown);
    const auto& replies = data.at("rules").at("replies").as_array();
    ASSERT_EQ(replies.size(), 1U) << shown.body;
    EXPECT_EQ(replies[0].at("reply").as_string(), "hello");
    EXPECT_EQ(call(server, "PUT", "/api/v1/rooms/999/bots", rules, server.admin_token()).code(), 3000);
}

TEST(Bots, AnnouncementsComeOnScheduleOnlyWhileLiveAndSurviveARestart) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.hub.bot_tick_ms = 10;
        // The clock jumps minutes at a time; the connections must not time out for it.
        config.session.heartbeat_timeout_ms = 24 * 3'600'000;
    });
    const auto host = host_token(server);
    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/bots",
                   R"({"name":"公告","announcements":[{"text":"记得关注主播","every_min":5,"live_only":true}]})", host)
                  .status,
              200);
    auto watcher = server.join(Transport::ws, AuthBody().str());

    // Offline: it comes due and is held back.
    clock.advance_ms(5 * 60'000);
    ASSERT_TRUE(metric_reaches(server, "barrage_bot_announcements_offline_total", 1));
    EXPECT_EQ(server.metric("barrage_bot_announcements_total"), 0U);

    ASSERT_EQ(call(server, "PUT", "/api/v1/rooms/1/live", R"({"live":true})", host).status, 200);
    clock.advance_ms(5 * 60'000);
    const auto said = next_danmaku(*watcher);
    EXPECT_EQ(said.text, "记得关注主播");
    EXPECT_EQ(said.name, "公告");
    EXPECT_EQ(server.metric("barrage_bot_announcements_total"), 1U);

    // The rules and their audit line are stored; after a restart the schedule runs again.
    auto audit = server.get("/api/v1/rooms/1/audit", host);
    EXPECT_EQ(audit.json().at("data").as_array().at(0).at("action").as_string(), "bots_set") << audit.body;
    server.restart();
    auto shown = server.get("/api/v1/rooms/1/bots", host);
    ASSERT_EQ(test::data_of(shown).at("rules").at("announcements").as_array().size(), 1U) << shown.body;
    auto again = server.join(Transport::ws, AuthBody().str());
    clock.advance_ms(5 * 60'000);
    EXPECT_EQ(next_danmaku(*again).text, "记得关注主播");
}

std::string scoped_bot_token(TestServer& server, std::uint64_t room) {
    const std::int64_t now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    identity::Claims claims{.uid = UserId{77},
                            .name = "helper",
                            .face = "",
                            .role = message::Role::bot,
                            .issued_at_s = now_s,
                            .expires_at_s = now_s + 3600};
    claims.room = RoomId{room};
    return identity::sign_token(claims, server.server().token_secret());
}

TEST(Bots, AnExternalBotReadsAndSpeaksInItsOwnRoomOnly) {
    TestServer server([](app::Config& config) {
        config.hub.room.bot_rate_limit = {.per_second = 0.001, .burst = 8.0, .users_max = 100};
    });
    ASSERT_EQ(server.post("/api/v1/rooms", R"({"id":2,"title":"another"})", server.admin_token()).status, 200);
    const auto bot = scoped_bot_token(server, 1);
    // It reads its room over the long connection...
    auto reader = server.join(Transport::tcp, AuthBody().key(bot).str());
    auto watcher = server.join(Transport::ws, AuthBody().str());
    // ...and nowhere else.
    for (auto transport : {Transport::ws, Transport::tcp}) {
        auto elsewhere = server.connect(transport);
        elsewhere->send_auth(AuthBody(2).key(bot).str());
        EXPECT_EQ(elsewhere->auth_reply().at("error").as_int64(), 2005);
    }
    EXPECT_EQ(server.post("/api/v1/rooms/2/danmaku", R"({"msg":"hi"})", bot).code(), 2005);
    EXPECT_EQ(server.post("/api/v1/rooms/2/likes", R"({"count":1})", bot).code(), 2005);

    // A system notice from the bot: NOTICE_MSG for the room; viewers may not send one.
    auto notice = server.post("/api/v1/rooms/1/messages", R"({"type":"system","msg":"抽奖十分钟后开始"})", bot);
    ASSERT_EQ(notice.status, 200) << notice.body;
    EXPECT_EQ(watcher->next_cmd("NOTICE_MSG").json().at("msg_common").as_string(), "抽奖十分钟后开始");
    EXPECT_EQ(
        server.post("/api/v1/rooms/1/messages", R"({"type":"system","msg":"fake"})", server.viewer_token()).code(),
        2005);
    // A reply to a viewer.
    ASSERT_EQ(
        server.post("/api/v1/rooms/1/danmaku", R"({"msg":"收到","reply_to":{"uid":3,"name":"alice"}})", bot).status,
        200);
    const auto reply = next_danmaku(*watcher);
    EXPECT_EQ(reply.reply_mid, kAlice.value);
    EXPECT_EQ(reply.reply_uname, "alice");
    EXPECT_EQ(next_danmaku(*reader).text, "收到") << "the bot reads what it said";

    // Rate limited like everyone, at the bot rate: 8 at once here (a viewer gets 5).
    int accepted = 2;  // the notice and the reply
    int refused = 0;
    for (int i = 0; i < 10; ++i) {
        auto sent = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"tick"})", bot);
        sent.status == 200 ? ++accepted : (sent.code() == 3002 ? ++refused : 0);
    }
    EXPECT_EQ(accepted, 8);
    EXPECT_EQ(refused, 4);
}

}  // namespace
}  // namespace barrage
