// Graceful shutdown: messages the server accepted before stop() still reach every connected
// client, then each connection is closed.

#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

TEST(Shutdown, MessagesPublishedJustBeforeStopAreDeliveredBeforeTheClose) {
    TestServer server;
    // Both transports and several connections, so members sit on both I/O loops.
    std::vector<std::unique_ptr<PacketClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(server.join(Transport::tcp, AuthBody().protover(i % 2 == 0 ? 0 : 2).str()));
        clients.push_back(server.join(Transport::ws, AuthBody().protover(i % 2 == 0 ? 3 : 0).str()));
    }
    auto bot = server.bot_token();
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    for (int i = 0; i < 10; ++i) {
        last = server.send_danmaku(fmt::format("last words {}", i), bot);
        if (first == 0) {
            first = last;
        }
    }
    // Stop right away, while the batch is likely still pending; clients read meanwhile so the
    // WebSocket close handshakes can complete.
    std::thread stopper([&server] { server.stop(3000); });
    std::vector<std::uint64_t> expected;
    for (auto sequence = first; sequence <= last; ++sequence) {
        expected.push_back(sequence);
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
        SCOPED_TRACE(fmt::format("client {} ({})", i, clients[i]->transport()));
        try {
            EXPECT_EQ(sequences_until(*clients[i], last), expected);
        } catch (const std::exception& error) {
            ADD_FAILURE() << error.what();
        }
        EXPECT_TRUE(clients[i]->wait_closed()) << "the server closes every connection on stop";
    }
    stopper.join();
}

TEST(Shutdown, StopWithIdleClientsClosesThemAll) {
    TestServer server;
    auto tcp = server.join(Transport::tcp, AuthBody().str());
    auto ws = server.join(Transport::ws, AuthBody().str());
    std::thread stopper([&server] { server.stop(3000); });
    EXPECT_TRUE(tcp->wait_closed());
    EXPECT_TRUE(ws->wait_closed());
    stopper.join();
}

}  // namespace
}  // namespace barrage::test
