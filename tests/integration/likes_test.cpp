// Likes (点赞): clients batch their taps (POST .../likes or op 4 {"type":"like"}), the room adds
// them up and says so once per window — LIKE_INFO_V3_UPDATE with the running total and a few
// sampled LIKE_INFO_V3_CLICK, the native like_total / like, and for a live game each user's taps
// summed over 2 s (LIVE_OPEN_PLATFORM_LIKE) — never one message per tap. Taps over a user's
// per-second cap are counted as capped, not refused; the total survives a restart.

#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::AuthBody;
using test::TestServer;
using test::Transport;

test::HttpReply like(const TestServer& server, std::uint64_t count, std::string_view token) {
    return server.post("/api/v1/rooms/1/likes", R"({"count":)" + std::to_string(count) + "}", token);
}

// Reads web pushes until a LIKE_INFO_V3_UPDATE says `total`; returns every update and click seen.
struct LikePushes {
    std::vector<std::uint64_t> updates;
    std::vector<std::uint64_t> clickers;
};
LikePushes likes_until(test::PacketClient& client, std::uint64_t total) {
    LikePushes seen;
    while (seen.updates.empty() || seen.updates.back() != total) {
        auto push = client.next_operation(wire::Operation::message);
        auto object = push.json().as_object();
        const auto cmd = object.at("cmd").as_string();
        if (cmd == "LIKE_INFO_V3_UPDATE") {
            seen.updates.push_back(static_cast<std::uint64_t>(object.at("data").at("click_count").as_int64()));
        } else if (cmd == "LIKE_INFO_V3_CLICK") {
            seen.clickers.push_back(static_cast<std::uint64_t>(object.at("data").at("uid").as_int64()));
        }
    }
    return seen;
}

TEST(Likes, ManyTapsAreSaidOncePerWindowWithTheRunningTotal) {
    TestServer server([](app::Config& config) {
        config.hub.likes.window_ms = 50;
        config.hub.likes.per_user_per_second = 100'000;
    });
    auto web = server.join(Transport::ws, AuthBody().str());
    auto native = server.join(Transport::tcp, AuthBody().dialect("native").str());
    const std::vector<std::string> tokens{
        server.viewer_token(UserId{2}, "alice"), server.viewer_token(UserId{4}, "bob"),
        server.viewer_token(UserId{4}, "carol"), server.viewer_token(UserId{5}, "dave")};
    std::uint64_t expected = 0;
    for (int batch = 0; batch < 200; ++batch) {
        const std::uint64_t taps = 1 + batch % 7;
        auto answer = test::data_of(like(server, taps, tokens[static_cast<std::size_t>(batch) % tokens.size()]));
        EXPECT_EQ(answer.at("accepted").as_int64(), static_cast<std::int64_t>(taps));
        EXPECT_EQ(answer.at("capped").as_int64(), 0);
        expected += taps;
        EXPECT_EQ(answer.at("click_count").as_int64(), static_cast<std::int64_t>(expected));
    }
    auto seen = likes_until(*web, expected);
    // 200 batches, 800 taps: a handful of windows, never a message per batch (let alone per tap).
    EXPECT_LT(seen.updates.size(), 50U);
    EXPECT_TRUE(std::is_sorted(seen.updates.begin(), seen.updates.end()));
    // Clicks are sampled: at most three per window, each from one of the tappers.
    EXPECT_LE(seen.clickers.size(), 3 * seen.updates.size() + 3);
    for (auto uid : seen.clickers) {
        EXPECT_TRUE(uid >= 2 && uid <= 5) << uid;
    }
    EXPECT_FALSE(seen.clickers.empty());

    // The native dialect says the same total.
    for (;;) {
        auto object = native->next_operation(wire::Operation::message).json().as_object();
        if (object.at("cmd").as_string() == "like_total" &&
            static_cast<std::uint64_t>(object.at("data").at("click_count").as_int64()) == expected) {
            break;
        }
    }
    EXPECT_EQ(server.metric("barrage_like_taps_total"), expected);
    auto room = server.get("/api/v1/rooms/1").json().at("data").as_object();
    EXPECT_EQ(room.at("like_count").as_int64(), static_cast<std::int64_t>(expected));
}

TEST(Likes, TapsOverTheCapAreCountedAsCappedNotRefused) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.hub.likes.window_ms = 20;
        config.hub.likes.per_user_per_second = 50;
    });
    const auto alice = server.viewer_token();
    auto first = test::data_of(like(server, 40, alice));
    EXPECT_EQ(first.at("accepted").as_int64(), 40);
    auto second = test::data_of(like(server, 40, alice));
    EXPECT_EQ(second.at("accepted").as_int64(), 10);
    EXPECT_EQ(second.at("capped").as_int64(), 30);
    EXPECT_EQ(second.at("click_count").as_int64(), 50);
    // Another user has a cap of their own; the same user has a fresh one a second later.
    EXPECT_EQ(test::data_of(like(server, 50, server.viewer_token(UserId{4}, "bob"))).at("accepted").as_int64(), 50);
    clock.advance_ms(1000);
    EXPECT_EQ(test::data_of(like(server, 40, alice)).at("accepted").as_int64(), 40);
    EXPECT_EQ(server.metric("barrage_like_taps_capped_total"), 30U);
    EXPECT_EQ(server.metric("barrage_like_taps_total"), 140U);
}

TEST(Likes, Op4LikeKindAndBadBatches) {
    TestServer server([](app::Config& config) { config.hub.likes.window_ms = 20; });
    auto viewer = server.join(Transport::ws, AuthBody().key(server.viewer_token()).str());
    viewer->send_message(R"({"type":"like","count":5})", 7);
    auto reply = viewer->take_operation(wire::Operation::send_reply);
    EXPECT_EQ(reply.packet.sequence, 7U);
    auto answer = reply.json().as_object();
    EXPECT_EQ(answer.at("code").as_int64(), 0) << reply.packet.body;
    EXPECT_EQ(answer.at("data").at("accepted").as_int64(), 5);
    EXPECT_EQ(answer.at("data").at("click_count").as_int64(), 5);
    auto seen = likes_until(*viewer, 5);
    EXPECT_EQ(seen.updates.back(), 5U);

    // Anonymous viewers cannot like, over either path.
    auto anonymous = server.join(Transport::tcp, AuthBody().str());
    anonymous->send_message(R"({"type":"like","count":5})", 8);
    EXPECT_EQ(anonymous->take_operation(wire::Operation::send_reply).json().at("code").as_int64(),
              static_cast<std::int64_t>(Errc::anonymous_read_only));
    EXPECT_EQ(like(server, 5, "").status, 401U);

    const std::vector<std::string> bad{R"({"count":0})",
                                       R"({"count":1001})",
                                       R"({"count":-3})",
                                       R"({"count":"5"})",
                                       R"({"count":2.5})",
                                       R"({})",
                                       "[1]",
                                       "not json"};
    for (const auto& body : bad) {
        auto refused = server.post("/api/v1/rooms/1/likes", body, server.viewer_token());
        EXPECT_EQ(refused.status, 400U) << body << " → " << refused.body;
    }
    viewer->send_message(R"({"type":"like","count":100000})", 9);
    EXPECT_EQ(viewer->take_operation(wire::Operation::send_reply).json().at("code").as_int64(),
              static_cast<std::int64_t>(Errc::bad_count));
    auto unknown = server.post("/api/v1/rooms/999/likes", R"({"count":1})", server.viewer_token());
    EXPECT_EQ(unknown.status, 404U) << unknown.body;
    // Nothing refused was counted.
    EXPECT_EQ(server.get("/api/v1/rooms/1").json().at("data").at("like_count").as_int64(), 5);
}

TEST(Likes, TheTotalSurvivesARestart) {
    TestServer server;
    test::data_of(like(server, 30, server.viewer_token()));
    test::data_of(like(server, 12, server.viewer_token(UserId{4}, "bob")));
    server.restart();
    EXPECT_EQ(server.get("/api/v1/rooms/1").json().at("data").at("like_count").as_int64(), 42);
    // And counts on from there.
    EXPECT_EQ(test::data_of(like(server, 1, server.viewer_token())).at("click_count").as_int64(), 43);
}

TEST(Likes, ALiveGameGetsEachUsersTapsSummedOverTwoSeconds) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.hub.likes.window_ms = 20;
    });
    auto platform = test::set_up_open_platform(server);
    auto game = test::start_game(server, platform.approved, platform.code, clock);
    auto open = server.join(Transport::ws, game.auth_body);
    const auto host = server.token(test::kStreamer, "demo-streamer", message::Role::host);
    const auto alice = server.viewer_token();

    // Not live yet: games hear of no likes.
    test::data_of(like(server, 9, alice));
    auto went_live =
        test::data_of(test::http_request(server.http_port(), "PUT", "/api/v1/rooms/1/live", R"({"live":true})", host));
    const auto live_seq = static_cast<std::uint64_t>(went_live.at("seq").as_int64());
    test::pushes_until(*open, live_seq);

    test::data_of(like(server, 3, alice));
    test::data_of(like(server, 4, alice));
    test::data_of(like(server, 2, server.viewer_token(UserId{4}, "bob")));
    clock.advance_ms(2000);
    std::set<std::string> open_ids;
    std::uint64_t summed = 0;
    while (open_ids.size() < 2) {
        auto push = open->next_cmd("LIVE_OPEN_PLATFORM_LIKE").json().as_object();
        const auto& data = push.at("data").as_object();
        for (const char* field :
             {"uname", "open_id", "union_id", "uface", "timestamp", "room_id", "like_text", "like_count",
              "fans_medal_wearing_status", "fans_medal_name", "fans_medal_level", "msg_id"}) {
            EXPECT_TRUE(data.contains(field)) << field;
        }
        EXPECT_EQ(data.at("uid").as_int64(), 0);
        EXPECT_EQ(data.at("room_id").as_int64(), 1);
        open_ids.insert(std::string(data.at("open_id").as_string()));
        const auto count = static_cast<std::uint64_t>(data.at("like_count").as_int64());
        EXPECT_EQ(count, data.at("uname").as_string() == "alice" ? 7U : 2U);
        summed += count;
    }
    EXPECT_EQ(summed, 9U);  // the 9 taps before the host went live are not in it
    EXPECT_EQ(open_ids.size(), 2U);
}

}  // namespace
}  // namespace barrage
