#pragma once

// An in-process Barrage server for integration tests: port 0 for both listeners, a fresh
// temporary data directory, the demo room and users, and a SystemClock. A tweak lambda
// adjusts the configuration before start. Tokens are minted with the server's own secret.
// The per-address connection cap and the join rates are off (every test is one address and a
// few users); tests of those limits set them in their tweak. Main (test) thread only.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "app/config.h"
#include "app/server.h"
#include "base/clock.h"
#include "identity/token.h"
#include "support/http_client.h"
#include "support/packet_client.h"

namespace barrage::test {

// The demo users add_demo_defaults() creates.
inline constexpr UserId kStreamer{1};
inline constexpr UserId kManager{2};
inline constexpr UserId kAlice{3};
inline constexpr UserId kBob{4};
inline constexpr UserId kBot{9};
inline constexpr UserId kAdmin{10};

class TestServer {
public:
    using Tweak = std::function<void(app::Config&)>;

    // Starts the server (throws on start-up failure).
    explicit TestServer(const Tweak& tweak = {});
    // The same on `clock` (e.g. a FakeClock the test advances), which must outlive the server.
    // Tokens are minted on that clock too. A clock that stands still never flushes a batch
    // that waits for time: set config.hub.room.batch_interval_ms = 0 in the tweak.
    TestServer(const Clock& clock, const Tweak& tweak);
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    app::Server& server() { return *server_; }
    const app::Config& config() const { return config_; }
    std::uint16_t http_port() const { return http_port_; }
    std::uint16_t tcp_port() const { return tcp_port_; }
    // Graceful stop (as Server::stop). The destructor stops too when this was not called.
    void stop(Millis drain_ms = 3000);
    // Stops the server if it runs and starts a new one on the same configuration and data
    // directory (the same database, hence the same token secret): what a process restart
    // keeps. The ports change; connections to the old server are gone.
    void restart();
    // The data directory (barrage.db lives there); removed by the destructor.
    const std::filesystem::path& data_dir() const { return data_dir_; }

    // A token signed with the server's secret, valid for an hour from now.
    std::string token(UserId uid, std::string name, message::Role role) const;
    std::string viewer_token(UserId uid = kAlice, std::string name = "alice") const;
    std::string bot_token() const;
    std::string admin_token() const;
    // Signed correctly but expired an hour ago.
    std::string expired_token() const;
    // A well-formed token signed with another secret.
    std::string forged_token() const;

    std::unique_ptr<PacketClient> connect(Transport transport, ClientOptions options = {}) const;
    // Connects, sends `auth_body` as op 7 and requires {"code":0} in the op 8 reply (throws
    // otherwise).
    std::unique_ptr<PacketClient> join(Transport transport, std::string_view auth_body,
                                       ClientOptions options = {}) const;

    HttpReply get(std::string_view target, std::string_view token = {}) const;
    HttpReply post(std::string_view target, std::string_view body, std::string_view token = {}) const;
    // Posts a danmaku to a room over HTTP and returns its sequence (throws unless accepted).
    std::uint64_t send_danmaku(std::string_view text, std::string_view token, std::uint64_t room = 1) const;
    // One value from /metrics (throws when the metric is missing).
    std::uint64_t metric(std::string_view name) const;

private:
    std::filesystem::path data_dir_;
    app::Config config_;
    SystemClock system_clock_;
    const Clock* clock_ = &system_clock_;
    std::unique_ptr<app::Server> server_;
    std::uint16_t http_port_ = 0;
    std::uint16_t tcp_port_ = 0;
    bool stopped_ = false;
};

// Reads sequenced pushes (anything with a root "seq") until `last` arrives and returns their
// sequences in arrival order, duplicates included; unsequenced pushes and other ops are skipped.
std::vector<std::uint64_t> sequences_until(PacketClient& client, std::uint64_t last,
                                           std::chrono::milliseconds timeout = kWaitMax);

// Names parameterised tests after their transport: Handshake/Transports.Name/tcp.
std::string transport_test_name(const ::testing::TestParamInfo<Transport>& param);

// Raises the soft open-file limit to the hard one (fan-out tests open thousands of sockets).
void raise_open_file_limit();

}  // namespace barrage::test
