// The server's own WebSocket framing after the upgrade (net/websocket_stream.cpp), seen from a
// raw socket: control frames, fragmentation, bytes that arrive with the upgrade request,
// framing errors answered with the right close code, and pushes that wait for a full socket.
// Beast-based clients (the other integration tests) and the npm clients check the same server
// against independent implementations.

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "loadgen/websocket_upgrade.h"
#include "support/json_helpers.h"
#include "support/test_server.h"
#include "wire/codec.h"
#include "wire/websocket_frame.h"

namespace barrage::test {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using wire::WebSocketOpcode;

constexpr std::uint32_t kMask = 0x1F2E3D4C;

struct ServerFrame {
    WebSocketOpcode opcode;
    bool fin;
    std::string payload;
};

// A blocking client speaking raw frames. Reads time out after 10 s (SO_RCVTIMEO), so a
// server that never answers fails the test instead of hanging it.
class RawWebSocket {
public:
    // Connects and sends the upgrade request followed by `with_request` in one write.
    explicit RawWebSocket(std::uint16_t port, std::string_view with_request = {}, int receive_buffer = 0)
        : socket_(context_) {
        socket_.open(tcp::v4());
        if (receive_buffer > 0) {
            socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
        }
        timeval timeout{10, 0};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        socket_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
        std::string request = loadgen::make_upgrade_request(fmt::format("127.0.0.1:{}", port), "/sub");
        request.append(with_request);
        asio::write(socket_, asio::buffer(request));
        for (;;) {
            read_more();
            auto head = loadgen::parse_upgrade_response(buffer_);
            if (!head) {
                throw std::runtime_error("upgrade refused: " + buffer_);
            }
            if (*head) {
                buffer_.erase(0, **head);
                return;
            }
        }
    }

    void send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes.data(), bytes.size())); }

    void send_frame(WebSocketOpcode opcode, std::string_view payload, bool fin = true, bool masked = true) {
        send(frame(opcode, payload, fin, masked));
    }

    static std::string frame(WebSocketOpcode opcode, std::string_view payload, bool fin = true, bool masked = true) {
        std::string out;
        wire::append_websocket_frame(out, opcode, payload, masked ? std::optional<std::uint32_t>(kMask) : std::nullopt);
        if (!fin) {
            out[0] = static_cast<char>(out[0] & 0x7F);
        }
        return out;
    }

    // The next frame; throws on timeout or when the server closed the TCP connection first.
    ServerFrame next_frame() {
        for (;;) {
            auto parsed = wire::parse_websocket_frame(buffer_.data(), buffer_.size(), 64 << 20);
            if (!parsed) {
                throw std::runtime_error("server sent a bad frame: " + parsed.error().message());
            }
            if (*parsed) {
                ServerFrame out{(*parsed)->opcode, (*parsed)->fin, std::string((*parsed)->payload)};
                if ((*parsed)->masked) {
                    throw std::runtime_error("server frames must not be masked");
                }
                buffer_.erase(0, (*parsed)->frame_bytes);
                return out;
            }
            read_more();
        }
    }

    // The packets of the next data message; pongs before it are counted in pongs_seen.
    std::vector<wire::Packet> next_packets() {
        for (;;) {
            auto frame = next_frame();
            if (frame.opcode == WebSocketOpcode::pong) {
                ++pongs_seen;
            }
            if (frame.opcode == WebSocketOpcode::binary) {
                std::vector<wire::Packet> packets;
                auto decoded = wire::decode_packets(frame.payload, push_limits(), packets);
                if (!decoded) {
                    throw std::runtime_error("undecodable push: " + decoded.error().message());
                }
                return packets;
            }
        }
    }

    // True when the server closes the TCP connection with nothing more to read.
    int pongs_seen = 0;

    bool at_eof() {
        boost::system::error_code ec;
        char byte = 0;
        std::size_t n = socket_.read_some(asio::buffer(&byte, 1), ec);
        return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
    }

private:
    void read_more() {
        char chunk[64 * 1024];
        boost::system::error_code ec;
        std::size_t n = socket_.read_some(asio::buffer(chunk), ec);
        if (ec) {
            throw std::runtime_error("read: " + ec.message());
        }
        buffer_.append(chunk, n);
    }

    asio::io_context context_;
    tcp::socket socket_;
    std::string buffer_;
};

std::string auth_packet(std::string_view body = R"({"roomid":1,"protover":0})") {
    std::string out;
    wire::append_packet(out, wire::ProtocolVersion::control, wire::Operation::auth, 1, body);
    return out;
}

void expect_auth_accepted(RawWebSocket& client) {
    for (;;) {
        for (const auto& packet : client.next_packets()) {
            if (packet.operation == static_cast<std::uint32_t>(wire::Operation::auth_reply)) {
                EXPECT_EQ(int_field(parse_object(packet.body), "code"), 0) << packet.body;
                return;
            }
        }
    }
}

// The server's next frame other than pushes already sent is a close with `code` (and a reason
// naming our error code, when given), and then it closes the connection.
void expect_closed_with(RawWebSocket& client, wire::WebSocketClose code, std::optional<Errc> because = {}) {
    auto close = client.next_frame();
    while (close.opcode == WebSocketOpcode::binary) {
        close = client.next_frame();
    }
    EXPECT_EQ(close.opcode, WebSocketOpcode::close);
    EXPECT_EQ(close.payload.substr(0, 2), wire::websocket_close_payload(code));
    if (because) {
        EXPECT_EQ(close.payload.substr(2),
                  std::to_string(static_cast<int>(*because)) + " " + make_error_code(*because).message());
    }
    EXPECT_TRUE(client.at_eof());
}

TEST(WebSocketFraming, PingIsAnsweredWithItsPayloadBeforeAndAfterAuth) {
    TestServer server;
    RawWebSocket client(server.http_port());
    client.send_frame(WebSocketOpcode::ping, "before");
    auto pong = client.next_frame();
    EXPECT_EQ(pong.opcode, WebSocketOpcode::pong);
    EXPECT_EQ(pong.payload, "before");
    client.send_frame(WebSocketOpcode::binary, auth_packet());
    expect_auth_accepted(client);
    client.send_frame(WebSocketOpcode::ping, "after");
    for (;;) {
        auto frame = client.next_frame();
        if (frame.opcode == WebSocketOpcode::pong) {
            EXPECT_EQ(frame.payload, "after");
            break;
        }
    }
}

TEST(WebSocketFraming, AuthSentWithTheUpgradeRequestIsRead) {
    TestServer server;
    RawWebSocket client(server.http_port(), RawWebSocket::frame(WebSocketOpcode::binary, auth_packet()));
    expect_auth_accepted(client);
}

TEST(WebSocketFraming, FragmentedAuthWithAPingBetweenFragments) {
    TestServer server;
    RawWebSocket client(server.http_port());
    const std::string auth = auth_packet();
    client.send(RawWebSocket::frame(WebSocketOpcode::binary, auth.substr(0, 5), false) +
                RawWebSocket::frame(WebSocketOpcode::ping, "mid") +
                RawWebSocket::frame(WebSocketOpcode::continuation, auth.substr(5, 10), false) +
                RawWebSocket::frame(WebSocketOpcode::continuation, auth.substr(15)));
    auto pong = client.next_frame();
    EXPECT_EQ(pong.opcode, WebSocketOpcode::pong);
    EXPECT_EQ(pong.payload, "mid");
    expect_auth_accepted(client);
}

TEST(WebSocketFraming, UnmaskedClientFrameIsClosedWith1002) {
    TestServer server;
    RawWebSocket client(server.http_port());
    const auto errors_before = server.metric("barrage_protocol_errors_total");
    client.send_frame(WebSocketOpcode::binary, auth_packet(), true, false);
    expect_closed_with(client, wire::WebSocketClose::protocol_error, Errc::websocket_protocol);
    EXPECT_EQ(server.metric("barrage_protocol_errors_total"), errors_before + 1);
}

TEST(WebSocketFraming, MessageOverTheLimitIsClosedWith1009FromItsHeader) {
    TestServer server;
    RawWebSocket client(server.http_port());
    // Only the header of a 300 KiB message: the limit is known before the payload comes.
    client.send(wire::websocket_header(WebSocketOpcode::binary, 300 * 1024, kMask).view());
    expect_closed_with(client, wire::WebSocketClose::too_large, Errc::websocket_too_large);
}

TEST(WebSocketFraming, ContinuationWithoutAStartIsClosedWith1002) {
    TestServer server;
    RawWebSocket client(server.http_port());
    client.send_frame(WebSocketOpcode::continuation, auth_packet());
    expect_closed_with(client, wire::WebSocketClose::protocol_error, Errc::websocket_protocol);
}

// RFC 6455 §8.1: a text message must be UTF-8. Ours carry packets, whose bytes usually are.
TEST(WebSocketFraming, TextThatIsNotUtf8IsClosedWith1007) {
    TestServer server;
    RawWebSocket client(server.http_port());
    client.send_frame(WebSocketOpcode::text, auth_packet());
    expect_auth_accepted(client);
    const auto before = server.metric(R"(barrage_connections_closed_total{cause="bad_utf8",code="1001"})");
    std::string bad = auth_packet();
    bad.back() = '\xC3';
    client.send_frame(WebSocketOpcode::text, bad);
    expect_closed_with(client, wire::WebSocketClose::invalid_payload, Errc::bad_utf8);
    EXPECT_EQ(server.metric(R"(barrage_connections_closed_total{cause="bad_utf8",code="1001"})"), before + 1);
}

// Compressed bodies that do not decode, or break a limit, close with a code and a reason that
// name the cause, each counted apart in /metrics.
TEST(WebSocketFraming, BodiesThatDoNotDecodeOrBreakALimitCloseNamingTheCause) {
    TestServer server;
    const std::string heartbeat = [] {
        std::string out;
        wire::append_packet(out, wire::ProtocolVersion::control, wire::Operation::heartbeat, 1, "{}");
        return out;
    }();
    std::string many;
    for (std::size_t i = 0; i <= limits::kClientInnerPacketsMax; ++i) {
        many += heartbeat;
    }
    const std::string too_big(limits::kClientPacketBytesMax + 1, 'x');
    struct Case {
        std::string body;
        wire::WebSocketClose close;
        Errc cause;
        const char* name;
    };
    const Case cases[] = {
        {"\x78\x9c not zlib", wire::WebSocketClose::invalid_payload, Errc::decompress_failed, "decompress_failed"},
        {wire::zlib_compress(too_big), wire::WebSocketClose::too_large, Errc::decompressed_too_large,
         "decompressed_too_large"},
        {wire::zlib_compress(many), wire::WebSocketClose::too_large, Errc::too_many_inner_packets,
         "too_many_inner_packets"},
    };
    for (const auto& c : cases) {
        const auto metric = fmt::format(R"(barrage_connections_closed_total{{cause="{}",code="{}"}})", c.name,
                                        static_cast<int>(c.cause));
        const auto before = server.metric(metric);
        RawWebSocket client(server.http_port());
        client.send_frame(WebSocketOpcode::binary, auth_packet());
        expect_auth_accepted(client);
        std::string packet;
        wire::append_packet(packet, wire::ProtocolVersion::zlib, wire::Operation::heartbeat, 1, c.body);
        client.send_frame(WebSocketOpcode::binary, packet);
        expect_closed_with(client, c.close, c.cause);
        EXPECT_EQ(server.metric(metric), before + 1) << c.name;
    }
}

TEST(WebSocketFraming, PacketsFasterThanTheConnectionsRateCloseWith1008) {
    TestServer server([](app::Config& config) { config.session.packet_rate = {.per_second = 1, .burst = 10}; });
    RawWebSocket client(server.http_port());
    client.send_frame(WebSocketOpcode::binary, auth_packet());
    expect_auth_accepted(client);
    std::string heartbeats;
    for (int i = 0; i < 10; ++i) {
        wire::append_packet(heartbeats, wire::ProtocolVersion::control, wire::Operation::heartbeat, 1, "{}");
    }
    client.send_frame(WebSocketOpcode::binary, heartbeats);
    for (;;) {
        auto frame = client.next_frame();
        if (frame.opcode == WebSocketOpcode::close) {
            EXPECT_EQ(frame.payload.substr(0, 2),
                      wire::websocket_close_payload(wire::WebSocketClose::policy_violation));
            EXPECT_EQ(frame.payload.substr(2), "4015 packets sent too fast");
            break;
        }
    }
    EXPECT_TRUE(client.at_eof());
    EXPECT_EQ(server.metric(R"(barrage_connections_closed_total{cause="packet_flood",code="4015"})"), 1U);
}

TEST(WebSocketFraming, ClientCloseIsAnsweredAndTheConnectionEnds) {
    TestServer server;
    RawWebSocket client(server.http_port());
    client.send_frame(WebSocketOpcode::binary, auth_packet());
    expect_auth_accepted(client);
    client.send_frame(WebSocketOpcode::close, wire::websocket_close_payload(wire::WebSocketClose::going_away));
    for (;;) {
        auto frame = client.next_frame();
        if (frame.opcode == WebSocketOpcode::close) {
            break;
        }
    }
    EXPECT_TRUE(client.at_eof());
}

TEST(WebSocketFraming, PushesThatWaitForAFullSocketArriveWholeAndInOrder) {
    TestServer server([](app::Config& config) {
        config.session.outbound_bytes_max = 64 << 20;
        config.danmaku.code_points_max = 4000;
        config.hub.room.batch_interval_ms = 0;  // one frame per danmaku
    });
    // A tiny receive window and no reading while the server publishes: the server's socket
    // fills and its writes have to wait and resume mid-frame.
    RawWebSocket client(server.http_port(), {}, 4096);
    client.send_frame(WebSocketOpcode::binary, auth_packet());
    expect_auth_accepted(client);
    const auto waited_before = server.metric("barrage_writes_waited_total");
    const std::string bot = server.bot_token();
    std::vector<std::uint64_t> sent;
    for (int i = 0; i < 400 && server.metric("barrage_writes_waited_total") == waited_before; ++i) {
        for (int j = 0; j < 20; ++j) {
            sent.push_back(server.send_danmaku(fmt::format("{:04}{}", sent.size(), std::string(3000, 'w')), bot));
        }
    }
    ASSERT_GT(server.metric("barrage_writes_waited_total"), waited_before) << "the socket never filled";
    // A pong owed while a write waits goes out between two frames, never inside one (the
    // parser below would fail on a broken frame).
    client.send_frame(WebSocketOpcode::ping, "while-full");
    std::vector<std::uint64_t> received;
    while (received.size() < sent.size()) {
        for (const auto& packet : client.next_packets()) {
            if (packet.operation != static_cast<std::uint32_t>(wire::Operation::message)) {
                continue;
            }
            auto push = parse_json(packet.body);
            if (cmd_of(packet.body) != "DANMU_MSG") {
                continue;
            }
            const std::string text = danmaku_text(push);
            ASSERT_EQ(text, fmt::format("{:04}{}", received.size(), std::string(3000, 'w')));
            received.push_back(*sequence_of(push));
        }
    }
    EXPECT_EQ(received, sent);
    // The pong comes after the last push when the server read the ping only after its queue
    // had drained (the kernel's send buffer is capped, connection.send_buffer_bytes, so that
    // can happen on a busy machine): read on until it does.
    while (client.pongs_seen == 0) {
        if (client.next_frame().opcode == WebSocketOpcode::pong) {
            ++client.pongs_seen;
        }
    }
    EXPECT_EQ(client.pongs_seen, 1);
}

TEST(WebSocketFraming, PingFloodAtAClientThatDoesNotReadIsCutOff) {
    TestServer server([](app::Config& config) {
        config.session.outbound_bytes_max = 64 << 20;
        config.danmaku.code_points_max = 4000;
        config.hub.room.batch_interval_ms = 0;
    });
    RawWebSocket client(server.http_port(), {}, 4096);
    client.send_frame(WebSocketOpcode::binary, auth_packet());
    expect_auth_accepted(client);
    const auto waited_before = server.metric("barrage_writes_waited_total");
    const auto errors_before = server.metric("barrage_protocol_errors_total");
    const std::string bot = server.bot_token();
    for (int i = 0; i < 400 && server.metric("barrage_writes_waited_total") == waited_before; ++i) {
        for (int j = 0; j < 20; ++j) {
            server.send_danmaku(std::string(3000, 'f'), bot);
        }
    }
    ASSERT_GT(server.metric("barrage_writes_waited_total"), waited_before) << "the socket never filled";
    // Each pong waits for the full socket; past a few of them the server stops answering
    // and closes instead of holding them all.
    std::string pings;
    for (int i = 0; i < 40; ++i) {
        pings += RawWebSocket::frame(WebSocketOpcode::ping, std::string(125, 'p'));
    }
    client.send(pings);
    // Nothing is read until the server gave up on the pongs: reading would drain the full socket
    // and let them out (a race the test would lose on a busy machine).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (server.metric("barrage_protocol_errors_total") == errors_before &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
    }
    int pongs = 0;
    try {
        for (;;) {
            pongs += client.next_frame().opcode == WebSocketOpcode::pong ? 1 : 0;
        }
    } catch (const std::runtime_error&) {
        // the server closed the connection
    }
    EXPECT_LT(pongs, 40);
    EXPECT_EQ(server.metric("barrage_protocol_errors_total"), errors_before + 1);
}

TEST(WebSocketFraming, ServerShutdownSendsACloseFrameThenEnds) {
    TestServer server;
    RawWebSocket client(server.http_port());
    client.send_frame(WebSocketOpcode::binary, auth_packet());
    expect_auth_accepted(client);
    server.stop();
    for (;;) {
        auto frame = client.next_frame();
        if (frame.opcode == WebSocketOpcode::close) {
            EXPECT_EQ(frame.payload, wire::websocket_close_payload(wire::WebSocketClose::normal));
            break;
        }
    }
    EXPECT_TRUE(client.at_eof());
}

}  // namespace
}  // namespace barrage::test
