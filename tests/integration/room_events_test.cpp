// Events the server makes itself: a user entering (INTERACT_WORD msg_type 1) and the online
// count pushes (ONLINE_RANK_COUNT + WATCHED_CHANGE), in both dialects.

#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

class RoomEvents : public ::testing::TestWithParam<Transport> {};

TEST_P(RoomEvents, TokenJoinAnnouncesEnterToOtherMembers) {
    TestServer server;
    auto watcher = server.join(GetParam(), AuthBody().protover(3).str());
    auto bob = server.join(GetParam(), AuthBody().key(server.viewer_token(kBob, "bob")).str());

    auto enter = watcher->next_cmd("INTERACT_WORD");
    auto data = enter.json().at("data").as_object();
    EXPECT_EQ(int_field(data, "msg_type"), 1);
    EXPECT_EQ(int_field(data, "uid"), static_cast<std::int64_t>(kBob.value));
    EXPECT_EQ(data.at("uname").as_string(), "bob");
    EXPECT_EQ(int_field(data, "roomid"), 1);
    EXPECT_TRUE(sequence_of(enter.json()).has_value()) << "enter events are sequenced";
}

TEST_P(RoomEvents, AnonymousJoinIsNotAnnounced) {
    TestServer server;
    auto watcher = server.join(GetParam(), AuthBody().str());
    auto anonymous = server.join(GetParam(), AuthBody().str());
    auto sequence = server.send_danmaku("after the anonymous join", server.viewer_token());

    // The next sequenced push is the danmaku: nothing was announced in between.
    auto next = watcher->next_where(
        [](const Received& received) { return received.cmd() == "INTERACT_WORD" || received.cmd() == "DANMU_MSG"; },
        "an enter event or the danmaku");
    EXPECT_EQ(next.cmd(), "DANMU_MSG");
    EXPECT_EQ(sequence_of(next.json()), sequence);
}

TEST_P(RoomEvents, NativeDialectSpellsEnterAsEnter) {
    TestServer server;
    auto watcher = server.join(GetParam(), AuthBody().dialect("native").str());
    auto alice = server.join(GetParam(), AuthBody().key(server.viewer_token()).str());
    auto enter = watcher->next_cmd("enter").json().as_object();
    EXPECT_EQ(enter.at("user").at("uid").to_number<std::uint64_t>(), kAlice.value);
    EXPECT_EQ(enter.at("user").at("name").as_string(), "alice");
}

TEST_P(RoomEvents, OnlineCountIsPushedWhenItChanges) {
    TestServer server([](app::Config& config) { config.hub.online_push_interval_ms = 200; });
    auto first = server.join(GetParam(), AuthBody().protover(2).str());
    auto rank = first->next_where(
        [](const Received& received) {
            return received.cmd() == "ONLINE_RANK_COUNT" &&
                   int_field(received.json().at("data").as_object(), "count") >= 1;
        },
        "ONLINE_RANK_COUNT with count >= 1");
    EXPECT_FALSE(sequence_of(rank.json()).has_value()) << "online counts are state, not sequenced";
    auto watched = first->next_cmd("WATCHED_CHANGE");
    EXPECT_GE(int_field(watched.json().at("data").as_object(), "num"), 1);

    auto second = server.join(GetParam(), AuthBody().protover(2).str());
    first->next_where(
        [](const Received& received) {
            return received.cmd() == "ONLINE_RANK_COUNT" &&
                   int_field(received.json().at("data").as_object(), "count") == 2;
        },
        "ONLINE_RANK_COUNT with count 2 after a second join");
}

TEST_P(RoomEvents, NativeDialectOnlineCountIsOnline) {
    TestServer server([](app::Config& config) { config.hub.online_push_interval_ms = 200; });
    auto client = server.join(GetParam(), AuthBody().dialect("native").str());
    auto online = client->next_cmd("online").json().as_object();
    EXPECT_GE(int_field(online.at("data").as_object(), "online"), 1);
    EXPECT_TRUE(online.contains("data"));
}

TEST_P(RoomEvents, HeartbeatReplyCountsEveryConnectionInTheRoom) {
    TestServer server([](app::Config& config) { config.hub.online_push_interval_ms = 200; });
    auto first = server.join(GetParam(), AuthBody().str());
    auto second = server.join(GetParam(), AuthBody().str());
    // Once the room has told this connection's loop about two members, heartbeats say 2.
    first->next_where(
        [](const Received& received) {
            return received.cmd() == "ONLINE_RANK_COUNT" &&
                   int_field(received.json().at("data").as_object(), "count") == 2;
        },
        "ONLINE_RANK_COUNT with count 2");
    first->send_heartbeat();
    auto reply = first->next_operation(wire::Operation::heartbeat_reply);
    ASSERT_EQ(reply.packet.body.size(), 4U);
    EXPECT_EQ(reply.packet.body, std::string("\0\0\0\2", 4));
}

INSTANTIATE_TEST_SUITE_P(Transports, RoomEvents, ::testing::Values(Transport::tcp, Transport::ws), transport_test_name);

}  // namespace
}  // namespace barrage::test
