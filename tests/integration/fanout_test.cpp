// Fan-out: a thousand connections in one room, over both transports and every push version,
// each receive every message exactly once and in sequence order.

#include <future>
#include <latch>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

constexpr int kThreads = 4;
constexpr int kConnectionsPerThread = 250;
constexpr int kMessages = 20;

// One client thread: opens its share of connections (transport and protover rotating), joins
// them all, waits for the published sequences, then checks each connection received exactly
// those. Returns one line per problem.
std::vector<std::string> run_clients(const TestServer& server, int thread, std::latch& joined,
                                     std::shared_future<std::vector<std::uint64_t>> published) {
    std::vector<std::string> problems;
    boost::asio::io_context context(1);
    ClientOptions options;
    options.context = &context;
    std::vector<std::unique_ptr<PacketClient>> clients;
    try {
        constexpr int kProtovers[] = {0, 2, 3};
        for (int i = 0; i < kConnectionsPerThread; ++i) {
            int n = thread * kConnectionsPerThread + i;
            auto transport = n % 2 == 0 ? Transport::tcp : Transport::ws;
            clients.push_back(server.connect(transport, options));
            clients.back()->send_auth(AuthBody().protover(kProtovers[n % 3]).str());
        }
        for (auto& client : clients) {
            auto reply = client->auth_reply();
            if (int_field(reply, "code") != 0) {
                problems.push_back("auth refused");
            }
        }
    } catch (const std::exception& error) {
        problems.push_back(fmt::format("thread {} setup: {}", thread, error.what()));
    }
    joined.count_down();
    const auto& expected = published.get();
    if (!problems.empty() || expected.empty()) {
        return problems;
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
        try {
            auto received = sequences_until(*clients[i], expected.back());
            if (received != expected) {
                problems.push_back(fmt::format("thread {} client {} ({}): got {} sequences, first {} last {}", thread,
                                               i, clients[i]->transport(), received.size(), received.front(),
                                               received.back()));
            }
        } catch (const std::exception& error) {
            problems.push_back(fmt::format("thread {} client {}: {}", thread, i, error.what()));
        }
    }
    return problems;
}

TEST(Fanout, ThousandConnectionsEachReceiveEveryMessageOnceInOrder) {
    raise_open_file_limit();
    TestServer server;
    std::latch joined(kThreads);
    std::promise<std::vector<std::uint64_t>> published;
    auto published_future = published.get_future().share();
    std::vector<std::future<std::vector<std::string>>> threads;
    for (int thread = 0; thread < kThreads; ++thread) {
        threads.push_back(
            std::async(std::launch::async, run_clients, std::cref(server), thread, std::ref(joined), published_future));
    }
    joined.wait();

    std::vector<std::uint64_t> sequences;
    try {
        EXPECT_EQ(server.metric("barrage_connections_open"),
                  static_cast<std::uint64_t>(kThreads * kConnectionsPerThread));
        auto bot = server.bot_token();
        for (int i = 0; i < kMessages; ++i) {
            sequences.push_back(server.send_danmaku(fmt::format("to everyone {}", i), bot));
        }
    } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
        sequences.clear();
    }
    published.set_value(sequences);

    std::vector<std::string> problems;
    for (auto& thread : threads) {
        auto lines = thread.get();
        problems.insert(problems.end(), lines.begin(), lines.end());
    }
    ASSERT_EQ(sequences.size(), static_cast<std::size_t>(kMessages));
    EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems.front();
}

// Batches that go out full (at once) and batches that wait for their due time share one
// timer entry per room: a room flushed early and filled again must still be sent, in order.
TEST(Fanout, FullAndTimedBatchesTogetherLoseNothing) {
    TestServer server([](app::Config& config) {
        config.hub.room.batch_messages_max = 3;
        config.hub.room.batch_interval_ms = 50;
        config.hub.online_push_interval_ms = 600'000;  // no online push to rescue a stranded batch
    });
    auto client = server.connect(Transport::ws);
    client->send_auth(AuthBody().str());
    ASSERT_EQ(int_field(client->auth_reply(), "code"), 0);
    auto bot = server.bot_token();
    std::vector<std::uint64_t> sequences;
    for (int i = 0; i < 11; ++i) {
        sequences.push_back(server.send_danmaku(fmt::format("burst {}", i), bot));
    }
    EXPECT_EQ(sequences_until(*client, sequences.back(), std::chrono::milliseconds(1000)), sequences);
    // Eleven messages in batches of at most three make at least four batches, and the last
    // is partial whichever way the first splits: it waits on an entry made for an earlier
    // batch, which must be pushed again rather than dropped.
    EXPECT_GE(server.metric("barrage_batches_encoded_total"), 4U);
}

// The first message to a room that has been quiet for an interval goes out after the short
// gather, not after the interval: with a ten-minute interval the wait below would time out.
TEST(Fanout, AQuietRoomSendsAtOnceNotAfterTheInterval) {
    TestServer server([](app::Config& config) {
        config.hub.room.batch_interval_ms = 600'000;
        config.hub.online_push_interval_ms = 600'000;
    });
    auto client = server.connect(Transport::ws);
    client->send_auth(AuthBody().str());  // anonymous: no enter event, the room stays quiet
    ASSERT_EQ(int_field(client->auth_reply(), "code"), 0);
    const auto sequence = server.send_danmaku("alone", server.bot_token());
    EXPECT_EQ(sequences_until(*client, sequence, std::chrono::milliseconds(5000)),
              std::vector<std::uint64_t>{sequence});
}

}  // namespace
}  // namespace barrage::test
