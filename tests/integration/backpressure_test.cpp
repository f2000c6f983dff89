// The outbound bound: a client that stops reading is closed once its queue passes
// session.outbound_bytes_max, instead of growing server memory; clients that read are not
// affected. The messages are system notices, which shedding never leaves out (critical), so
// the queue of a client that does not read grows until the bound (danmaku would be sampled
// for it instead: tests/integration/shedding_test.cpp).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

TEST(Backpressure, ClientThatNeverReadsIsClosedWhileReadersGetEverything) {
    TestServer server(configure);
    // The bot joins first, so its own enter event is history before the others join.
    auto bot = server.join(Transport::tcp, AuthBody().protover(2).key(server.bot_token()).str());
    ClientOptions tiny;
    tiny.receive_buffer_bytes = 4096;
    auto slow = server.join(Transport::tcp, AuthBody().protover(0).str(), tiny);
    auto reader = server.join(Transport::ws, AuthBody().protover(0).str());

    // ~8 KB per plain NOTICE_MSG (the text appears twice).
    const std::string body = fmt::format(R"({{"type":"system","msg":"{}"}})", std::string(3900, 'x'));
    std::vector<std::uint64_t> accepted;
    std::vector<std::uint64_t> received;
    std::uint32_t request = 0;
    // Pipelined: a window of op 4 sends, then their op 1000 replies; the reader keeps up.
    auto publish_window = [&] {
        for (int i = 0; i < kWindow; ++i) {
            bot->send_message(body, ++request);
        }
        for (int i = 0; i < kWindow; ++i) {
            auto reply = bot->next_operation(Operation::send_reply);
            auto json = parse_object(reply.packet.body);
            ASSERT_EQ(int_field(json, "code"), 0) << reply.packet.body;
            accepted.push_back(static_cast<std::uint64_t>(int_field(json.at("data").as_object(), "seq")));
        }
        auto window = sequences_until(*reader, accepted.back());
        received.insert(received.end(), window.begin(), window.end());
    };
    while (server.metric("barrage_outbound_overflow_total") == 0 &&
           accepted.size() < static_cast<std::size_t>(kMessagesMax)) {
        publish_window();
        ASSERT_FALSE(HasFatalFailure());
    }
    ASSERT_GE(server.metric("barrage_outbound_overflow_total"), 1U)
        << "no connection overflowed after " << accepted.size() << " messages";
    EXPECT_TRUE(slow->wait_closed()) << "the client that never read must be closed";
    EXPECT_EQ(server.metric("barrage_outbound_overflow_total"), 1U) << "only the slow client overflowed";

    // The others are still served, and the reader got everything once, in order.
    publish_window();
    EXPECT_EQ(received, accepted);
    EXPECT_EQ(server.metric("barrage_connections_open"), 2U);
}

// connection.send_buffer_bytes caps the kernel's send buffer of every long connection, so the
// backlog of a reader that slows down stays in the outbound queue, where shedding reaches it.
// The server runs in this process: its accepted sockets are among our own descriptors.
TEST(Backpressure, LongConnectionsGetTheConfiguredKernelSendBuffer) {
    constexpr std::size_t kSendBuffer = 96 * 1024;
    TestServer server([](app::Config& config) { config.send_buffer_bytes = kSendBuffer; });
    auto ws = server.join(Transport::ws, AuthBody().str());
    auto tcp = server.join(Transport::tcp, AuthBody().str());

    std::map<std::uint16_t, std::vector<int>> send_buffers;  // server port -> SO_SNDBUF of accepted sockets
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
        int bytes = 0;
        length = sizeof bytes;
        ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, &length), 0);
        send_buffers[port].push_back(bytes);
    }
    // Linux doubles what it is asked for (its own bookkeeping); autotuning would start at 16 KiB
    // (tcp_wmem's default) and grow.
    const std::vector<int> capped{static_cast<int>(2 * kSendBuffer)};
    EXPECT_EQ(send_buffers[server.http_port()], capped);
    EXPECT_EQ(send_buffers[server.tcp_port()], capped);
}

}  // namespace
}  // namespace barrage::test
