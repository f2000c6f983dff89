// The long-connection handshake over both transports: auth (op 7 → op 8), heartbeats
// (op 2 → op 3), and the ways a handshake fails (refused auth, no auth, wrong first packet).

#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

class Handshake : public ::testing::TestWithParam<Transport> {};

TEST_P(Handshake, AuthWithOnlyRoomIdIsAccepted) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_auth(R"({"roomid":1})");

    auto reply = client->next_operation(Operation::auth_reply);
    EXPECT_EQ(reply.packet.version, 1);
    EXPECT_EQ(reply.packet.sequence, 1U);
    EXPECT_EQ(reply.packet.body, R"({"code":0})");
    EXPECT_EQ(reply.outer_length, 26U);  // the size of the real server's reply
}

TEST_P(Handshake, AuthWithStringRoomIdAndFullWebBodyIsAccepted) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_auth(R"({"uid":0,"roomid":"1","protover":3,"platform":"web","type":2,"buvid":""})");
    EXPECT_EQ(int_field(client->auth_reply(), "code"), 0);
}

TEST_P(Handshake, HeartbeatIsAnsweredWithTwentyByteOnlineCount) {
    TestServer server;
    auto client = server.join(GetParam(), R"({"roomid":1})");
    client->send_heartbeat();

    auto reply = client->next_operation(Operation::heartbeat_reply);
    EXPECT_EQ(reply.packet.version, 1);
    EXPECT_EQ(reply.packet.sequence, 0U);
    EXPECT_EQ(reply.outer_length, 20U);
    ASSERT_EQ(reply.packet.body.size(), 4U);
    const auto* bytes = reinterpret_cast<const unsigned char*>(reply.packet.body.data());
    std::uint32_t count = std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 | std::uint32_t{bytes[2]} << 8 |
                          std::uint32_t{bytes[3]};
    EXPECT_GE(count, 1U) << "the heartbeat reply counts the connection itself";
    if (GetParam() == Transport::ws) {
        EXPECT_EQ(reply.message_bytes, 20U) << "the heartbeat reply must travel alone in its frame";
        EXPECT_EQ(reply.message_packets, 1U);
    }
}

TEST_P(Handshake, HeartbeatsAreAnsweredAtMostOncePerInterval) {
    TestServer server([](app::Config& config) {
        config.session.heartbeat_reply_interval_ms = 200;
        config.session.auth_timeout_ms = 400;  // the sweep that sends owed replies runs every 100 ms
    });
    auto client = server.join(GetParam(), R"({"roomid":1})");
    // Real clients send odd heartbeat bodies: empty, "{}", "[object Object]". Three at once get
    // one reply now and one owed reply once the interval has passed, never three.
    client->send_packet(Operation::heartbeat, 1, "");
    client->send_packet(Operation::heartbeat, 1, "[object Object]");
    client->send_heartbeat();
    for (int i = 0; i < 2; ++i) {
        auto reply = client->next_operation(Operation::heartbeat_reply);
        EXPECT_EQ(reply.outer_length, 20U);
    }
    EXPECT_EQ(server.metric("barrage_heartbeats_total"), 2U);
    EXPECT_EQ(server.metric("barrage_heartbeats_deferred_total"), 1U);
    // A later heartbeat is answered too, at once or when its interval has passed.
    auto sent_after = server.metric("barrage_heartbeats_total");
    client->send_heartbeat();
    client->next_operation(Operation::heartbeat_reply);
    EXPECT_EQ(server.metric("barrage_heartbeats_total"), sent_after + 1);
}

TEST_P(Handshake, UnknownRoomIsRefusedAndClosed) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_auth(R"({"roomid":999})");
    auto reply = client->auth_reply();
    EXPECT_EQ(int_field(reply, "code"), -101);
    EXPECT_EQ(int_field(reply, "error"), static_cast<int>(Errc::unknown_room));
    EXPECT_TRUE(client->wait_closed());
}

TEST_P(Handshake, ForgedTokenIsRefusedAndClosed) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_auth(AuthBody().key(server.forged_token()).str());
    auto reply = client->auth_reply();
    EXPECT_EQ(int_field(reply, "code"), -101);
    EXPECT_EQ(int_field(reply, "error"), static_cast<int>(Errc::token_bad_signature));
    EXPECT_TRUE(reply.contains("message"));
    EXPECT_TRUE(client->wait_closed());
}

TEST_P(Handshake, ExpiredTokenIsRefusedAndClosed) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_auth(AuthBody().key(server.expired_token()).str());
    auto reply = client->auth_reply();
    EXPECT_EQ(int_field(reply, "code"), -101);
    EXPECT_EQ(int_field(reply, "error"), static_cast<int>(Errc::token_expired));
    EXPECT_TRUE(client->wait_closed());
}

TEST_P(Handshake, MalformedAuthBodyIsRefusedAndClosed) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_auth(R"({"uid":0,"protover":3})");  // no roomid
    EXPECT_EQ(int_field(client->auth_reply(), "code"), -101);
    EXPECT_TRUE(client->wait_closed());
}

TEST_P(Handshake, SilentConnectionIsClosedAfterAuthTimeout) {
    TestServer server([](app::Config& config) { config.session.auth_timeout_ms = 300; });
    auto client = server.connect(GetParam());
    EXPECT_TRUE(client->wait_closed()) << "no op 7 was sent; the server must hang up";
}

TEST_P(Handshake, AuthenticatedConnectionWithoutHeartbeatsIsClosed) {
    // The watchdog first wakes at the auth deadline, so keep that short too.
    TestServer server([](app::Config& config) {
        config.session.auth_timeout_ms = 300;
        config.session.heartbeat_timeout_ms = 300;
    });
    auto client = server.join(GetParam(), R"({"roomid":1})");
    EXPECT_TRUE(client->wait_closed()) << "no op 2 after auth; the server must hang up";
}

TEST_P(Handshake, FirstPacketOtherThanAuthClosesTheConnection) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_heartbeat();
    EXPECT_TRUE(client->wait_closed());
}

TEST_P(Handshake, ValidTokenJoinIsAccepted) {
    TestServer server;
    auto client = server.connect(GetParam());
    client->send_auth(AuthBody().protover(3).key(server.viewer_token()).str());
    auto reply = client->next_operation(Operation::auth_reply);
    EXPECT_EQ(reply.packet.body, R"({"code":0})");
}

INSTANTIATE_TEST_SUITE_P(Transports, Handshake, ::testing::Values(Transport::tcp, Transport::ws), transport_test_name);

}  // namespace
}  // namespace barrage::test
