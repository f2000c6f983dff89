// Hostile and broken input on a long connection: bad headers, oversized packets, corrupt and
// bomb-sized compressed bodies. Each closes that connection alone; the server keeps serving
// everyone else ("the connection fails alone").

#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/raw_packets.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

constexpr std::size_t kPacketBytesMax = 256;

class MalformedInput : public ::testing::TestWithParam<Transport> {
protected:
    // A small packet limit so "too large" is cheap to send.
    TestServer server_{[](app::Config& config) { config.packet_bytes_max = kPacketBytesMax; }};

    // Sends `bytes` on a fresh authenticated connection and expects the server to close it
    // while a bystander on the other transport keeps receiving.
    void expect_closed_alone(const std::string& bytes) {
        auto bystander = server_.join(GetParam() == Transport::tcp ? Transport::ws : Transport::tcp, AuthBody().str());
        auto victim = server_.join(GetParam(), AuthBody().str());
        victim->send_raw(bytes);
        EXPECT_TRUE(victim->wait_closed()) << "the server kept a connection that sent bad input";

        auto sequence = server_.send_danmaku("still serving", server_.viewer_token());
        EXPECT_EQ(sequence_of(bystander->next_cmd("DANMU_MSG").json()), sequence);
        auto late = server_.join(GetParam(), AuthBody().str());
        late->send_heartbeat();
        late->next_operation(Operation::heartbeat_reply);
    }
};

TEST_P(MalformedInput, HeaderLengthFifteenClosesTheConnection) {
    RawHeader header;
    header.header_length = 15;
    expect_closed_alone(raw_packet(header));
}

TEST_P(MalformedInput, PacketLengthSmallerThanHeaderClosesTheConnection) {
    RawHeader header;
    header.packet_length = 15;
    expect_closed_alone(raw_packet(header));
}

TEST_P(MalformedInput, UnknownProtocolVersionClosesTheConnection) {
    RawHeader header;
    header.version = 9;
    expect_closed_alone(raw_packet(header));
}

TEST_P(MalformedInput, PacketOverTheLimitClosesTheConnection) {
    expect_closed_alone(packet(1, 2, std::string(kPacketBytesMax - 16 + 1, 'x')));
}

TEST_P(MalformedInput, PacketAtTheLimitIsServed) {
    auto client = server_.join(GetParam(), AuthBody().str());
    client->send_raw(packet(1, 2, std::string(kPacketBytesMax - 16, 'x')));
    auto reply = client->next_operation(Operation::heartbeat_reply);
    EXPECT_EQ(reply.outer_length, 20U);
}

TEST_P(MalformedInput, CorruptZlibBodyClosesTheConnection) {
    expect_closed_alone(packet(2, 2, "this is not a zlib stream"));
}

TEST_P(MalformedInput, NestedCompressionClosesTheConnection) {
    auto inner = packet(2, 2, wire::zlib_compress(packet(1, 2, "{}")));
    expect_closed_alone(packet(2, 2, wire::zlib_compress(inner)));
}

INSTANTIATE_TEST_SUITE_P(Transports, MalformedInput, ::testing::Values(Transport::tcp, Transport::ws),
                         transport_test_name);

class CompressionBomb : public ::testing::TestWithParam<Transport> {};

// 64 MiB of zeros compresses to ~64 KB with zlib and to a few hundred bytes with brotli; both
// fit the default packet limit, so only the inflation bound can stop them.
TEST_P(CompressionBomb, ZlibBombClosesTheConnectionAndServerKeepsServing) {
    TestServer server;
    const std::string zeros(64U << 20U, '\0');
    auto bomb = packet(2, 2, wire::zlib_compress(zeros));
    ASSERT_LE(bomb.size(), limits::kClientPacketBytesMax) << "the bomb must pass the packet limit";

    auto bystander = server.join(Transport::tcp, AuthBody().str());
    auto victim = server.join(GetParam(), AuthBody().str());
    auto errors_before = server.metric("barrage_protocol_errors_total");
    victim->send_raw(bomb);
    EXPECT_TRUE(victim->wait_closed());
    EXPECT_GT(server.metric("barrage_protocol_errors_total"), errors_before);

    auto sequence = server.send_danmaku("after the bomb", server.viewer_token());
    EXPECT_EQ(sequence_of(bystander->next_cmd("DANMU_MSG").json()), sequence);
}

TEST_P(CompressionBomb, BrotliBombClosesTheConnection) {
    TestServer server;
    const std::string zeros(64U << 20U, '\0');
    auto bomb = packet(3, 2, wire::brotli_compress(zeros));
    ASSERT_LE(bomb.size(), limits::kClientPacketBytesMax);

    auto victim = server.join(GetParam(), AuthBody().str());
    victim->send_raw(bomb);
    EXPECT_TRUE(victim->wait_closed());
    auto client = server.join(GetParam(), AuthBody().str());
    client->send_heartbeat();
    client->next_operation(Operation::heartbeat_reply);
}

TEST_P(CompressionBomb, SmallCompressedPacketsAreInflatedAndServed) {
    TestServer server;
    auto client = server.join(GetParam(), AuthBody().key(server.viewer_token()).str());
    // Two sends inside one zlib packet, then one inside a brotli packet: each is answered.
    const auto send = [](const char* text) { return packet(1, 4, std::string(R"({"msg":")") + text + "\"}"); };
    client->send_raw(packet(2, 2, wire::zlib_compress(send("one") + send("two"))));
    client->send_raw(packet(3, 2, wire::brotli_compress(send("three"))));
    for (int i = 0; i < 3; ++i) {
        auto reply = client->next_operation(Operation::send_reply);
        EXPECT_EQ(int_field(reply.json().as_object(), "code"), 0) << reply.packet.body;
    }
}

INSTANTIATE_TEST_SUITE_P(Transports, CompressionBomb, ::testing::Values(Transport::tcp, Transport::ws),
                         transport_test_name);

TEST(StreamFraming, TcpPacketsSplitAcrossWritesAreReassembled) {
    TestServer server;
    auto client = server.connect(Transport::tcp);
    auto bytes = packet(1, 7, AuthBody().str()) + packet(1, 2, "{}");
    // One byte at a time through the first header, then the rest in two pieces.
    for (std::size_t i = 0; i < 16; ++i) {
        client->send_raw(bytes.substr(i, 1));
    }
    client->send_raw(bytes.substr(16, 10));
    client->send_raw(bytes.substr(26));
    EXPECT_EQ(int_field(client->auth_reply(), "code"), 0);
    client->next_operation(Operation::heartbeat_reply);
}

TEST(StreamFraming, SeveralPacketsInOneWebSocketMessageAreAllServed) {
    TestServer server;
    auto client = server.connect(Transport::ws);
    client->send_raw(packet(1, 7, AuthBody().str()) + packet(1, 2, "{}") + packet(1, 2, "{}"));
    EXPECT_EQ(int_field(client->auth_reply(), "code"), 0);
    auto first = client->next_operation(Operation::heartbeat_reply);
    auto second = client->next_operation(Operation::heartbeat_reply);
    EXPECT_NE(first.message_index, second.message_index) << "each heartbeat reply travels alone";
}

}  // namespace
}  // namespace barrage::test
