// The outbound bound: a client that stops reading is closed once its queue passes
// session.outbound_bytes_max, instead of growing server memory; clients that read are not
// affected. The messages are system notices, which shedding never leaves out (critical), so
// the queue of a client that does not read grows until the bound (danmaku would be sampled
// for it instead: tests/integration/shedding_test.cpp).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

constexpr std::size_t kOutboundBytesMax = 64 * 1024;
// The server's kernel send buffer (twice connection.send_buffer_bytes) and the client's absorb
// some of it before the queue grows at all; keep publishing until the overflow shows, within
// this cap.
constexpr int kMessagesMax = 3000;
// Sends in flight at once. A reader's queue may briefly hold a whole window (deliveries can
// reach its loop before its writer runs), so a window must stay well under the bound:
// 3 × ~8 KB.
constexpr int kWindow = 3;

void configure(app::Config& config) {
    config.session.outbound_bytes_max = kOutboundBytesMax;
    config.danmaku.code_points_max = 4000;
    // One frame per message, so each frame is well under the bound and only the backlog of
    // a client that does not read can pass it.
    config.hub.room.batch_interval_ms = 0;
}

// Publishes ~8 KB notices (plain NOTICE_MSG, the text twice; critical, so never shed) from a
// bot, a window at a time, pipelined: kWindow op 4 sends, then their op 1000 replies; then
// reads `reader` up to the last of them, so the reader keeps up.
struct NoticePublisher {
    NoticePublisher(PacketClient& from, PacketClient& to) : bot(from), reader(to) {}

    PacketClient& bot;
    PacketClient& reader;
    std::string body = fmt::format(R"({{"type":"system","msg":"{}"}})", std::string(3900, 'x'));
    std::uint32_t request = 0;
    std::vector<std::uint64_t> accepted;
    std::vector<std::uint64_t> received;

    void window() {
        for (int i = 0; i < kWindow; ++i) {
            bot.send_message(body, ++request);
        }
        for (int i = 0; i < kWindow; ++i) {
            auto reply = bot.next_operation(Operation::send_reply);
            auto json = parse_object(reply.packet.body);
            ASSERT_EQ(int_field(json, "code"), 0) << reply.packet.body;
            accepted.push_back(static_cast<std::uint64_t>(int_field(json.at("data").as_object(), "seq")));
        }
        auto got = sequences_until(reader, accepted.back());
        received.insert(received.end(), got.begin(), got.end());
    }
};

TEST(Backpressure, ClientThatNeverReadsIsClosedWhileReadersGetEverything) {
    TestServer server(configure);
    // The bot joins first, so its own enter event is history before the others join.
    auto bot = server.join(Transport::tcp, AuthBody().protover(2).key(server.bot_token()).str());
    ClientOptions tiny;
    tiny.receive_buffer_bytes = 4096;
    auto slow = server.join(Transport::tcp, AuthBody().protover(0).str(), tiny);
    auto reader = server.join(Transport::ws, AuthBody().protover(0).str());

    NoticePublisher publisher(*bot, *reader);
    while (server.metric("barrage_outbound_overflow_total") == 0 &&
           publisher.accepted.size() < static_cast<std::size_t>(kMessagesMax)) {
        publisher.window();
        ASSERT_FALSE(HasFatalFailure());
    }
    ASSERT_GE(server.metric("barrage_outbound_overflow_total"), 1U)
        << "no connection overflowed after " << publisher.accepted.size() << " messages";
    EXPECT_TRUE(slow->wait_closed()) << "the client that never read must be closed";
    EXPECT_EQ(server.metric("barrage_outbound_overflow_total"), 1U) << "only the slow client overflowed";

    // The others are still served, and the reader got everything once, in order.
    publisher.window();
    EXPECT_EQ(publisher.received, publisher.accepted);
    EXPECT_EQ(server.metric("barrage_connections_open"), 2U);
}

// The server runs in this process: its accepted sockets are among our own descriptors. Returns,
// per server port (HTTP/WebSocket and TCP), the socket option `name` at `level` of each.
std::map<std::uint16_t, std::vector<int>> server_socket_options(const TestServer& server, int level, int name) {
    std::map<std::uint16_t, std::vector<int>> options;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        const int fd = std::stoi(entry.path().filename().string());
        sockaddr_in local{};
        sockaddr_in peer{};
        socklen_t length = sizeof local;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 || local.sin_family != AF_INET) {
            continue;
        }
        length = sizeof peer;
        const std::uint16_t port = ntohs(local.sin_port);
        if ((port != server.http_port() && port != server.tcp_port()) ||
            ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
            continue;  // the listeners, and our own client ends
        }
        int value = 0;
        length = sizeof value;
        EXPECT_EQ(::getsockopt(fd, level, name, &value, &length), 0);
        options[port].push_back(value);
    }
    return options;
}

// connection.send_buffer_bytes caps the kernel's send buffer of every long connection, so the
// backlog of a reader that slows down stays in the outbound queue, where shedding reaches it.
TEST(Backpressure, LongConnectionsGetTheConfiguredKernelSendBuffer) {
    constexpr std::size_t kSendBuffer = 96 * 1024;
    TestServer server([](app::Config& config) { config.send_buffer_bytes = kSendBuffer; });
    auto ws = server.join(Transport::ws, AuthBody().str());
    auto tcp = server.join(Transport::tcp, AuthBody().str());

    const auto send_buffers = server_socket_options(server, SOL_SOCKET, SO_SNDBUF);
    // Linux doubles what it is asked for (its own bookkeeping); autotuning would start at 16 KiB
    // (tcp_wmem's default) and grow.
    const std::vector<int> capped{static_cast<int>(2 * kSendBuffer)};
    EXPECT_EQ(send_buffers.at(server.http_port()), capped);
    EXPECT_EQ(send_buffers.at(server.tcp_port()), capped);
}

// connection.behind_unsent_bytes: once a connection's write had to wait for its socket, the
// kernel keeps at most that much of it unsent (TCP_NOTSENT_LOWAT), so what follows waits in
// the outbound queue, where shedding reaches it. Connections that keep up are left alone.
TEST(Backpressure, AConnectionThatFellBehindHasItsUnsentBytesCapped) {
    constexpr std::size_t kBehindUnsent = 24 * 1024;
    TestServer server([](app::Config& config) {
        config.session.behind_unsent_bytes = kBehindUnsent;
        config.danmaku.code_points_max = 4000;
        config.hub.room.batch_interval_ms = 0;
    });
    // The bot and the reader on the TCP port and read all along; the one that never reads
    // is the only connection on the WebSocket port.
    auto bot = server.join(Transport::tcp, AuthBody().protover(2).key(server.bot_token()).str());
    auto reader = server.join(Transport::tcp, AuthBody().protover(0).str());
    ClientOptions tiny;
    tiny.receive_buffer_bytes = 4096;
    auto slow = server.join(Transport::ws, AuthBody().protover(0).str(), tiny);

    // Sockets on the HTTP port also include the test's own /metrics requests (never capped).
    auto capped_on = [&](std::uint16_t port) {
        const auto options = server_socket_options(server, IPPROTO_TCP, TCP_NOTSENT_LOWAT);
        const auto& values = options.at(port);
        return std::count(values.begin(), values.end(), static_cast<int>(kBehindUnsent));
    };
    EXPECT_EQ(capped_on(server.http_port()), 0) << "nobody fell behind yet";

    // Notices until the slow one's socket is full: about twice connection.send_buffer_bytes
    // and its window.
    NoticePublisher publisher(*bot, *reader);
    while (server.metric("barrage_writes_waited_total") == 0 &&
           publisher.accepted.size() < static_cast<std::size_t>(kMessagesMax)) {
        publisher.window();
        ASSERT_FALSE(HasFatalFailure());
    }
    ASSERT_GE(server.metric("barrage_writes_waited_total"), 1U) << "the slow socket never filled";

    EXPECT_EQ(capped_on(server.http_port()), 1) << "the connection that fell behind";
    EXPECT_EQ(server_socket_options(server, IPPROTO_TCP, TCP_NOTSENT_LOWAT).at(server.tcp_port()),
              (std::vector<int>{0, 0}))
        << "the two that kept up";
    EXPECT_EQ(server.metric("barrage_connections_open"), 3U);
}

}  // namespace
}  // namespace barrage::test
