#include "support/test_server.h"

#include <sys/resource.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "support/json_helpers.h"

namespace barrage::test {

namespace {

std::filesystem::path make_temp_dir() {
    auto pattern = (std::filesystem::temp_directory_path() / "barrage-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("cannot create a temporary data directory");
    }
    return pattern;
}

}  // namespace

TestServer::TestServer(const Tweak& tweak) : TestServer(system_clock_, tweak) {}

TestServer::TestServer(const Clock& clock, const Tweak& tweak) : data_dir_(make_temp_dir()), clock_(&clock) {
    // Connection closes are logged at info; tests cause many on purpose.
    if (std::getenv("BARRAGE_TEST_LOG") == nullptr) {
        spdlog::set_level(spdlog::level::warn);
    }
    config_.listen_address = "127.0.0.1";
    config_.http_port = 0;
    config_.tcp_port = 0;
    config_.io_threads = 2;  // rooms and connections spread over loops, as in production
    config_.data_dir = data_dir_.string();
    config_.sqlite_synchronous_full = false;
    // Every test connects from 127.0.0.1, often hundreds of times a second as the same user:
    // the per-address and per-user caps are off unless a test (of those caps) sets them.
    config_.caps.per_address_max = 0;
    config_.joins.per_address = {.per_second = 1e6, .burst = 1e6};
    config_.joins.per_user = {.per_second = 1e6, .burst = 1e6};
    // The demo bot is the tests' publisher of many messages; a test of the bot rate sets its
    // own in the tweak.
    config_.hub.room.bot_rate_limit = {.per_second = 1e6, .burst = 1e6, .users_max = 1000};
    app::add_demo_defaults(config_);
    if (tweak) {
        tweak(config_);
    }
    server_ = std::make_unique<app::Server>(config_, *clock_);
    server_->start();
    http_port_ = server_->http_port();
    tcp_port_ = server_->tcp_port();
}

TestServer::~TestServer() {
    if (!stopped_) {
        server_->stop(1000);
    }
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
}

void TestServer::stop(Millis drain_ms) {
    stopped_ = true;
    server_->stop(drain_ms);
}

void TestServer::restart() {
    if (!stopped_) {
        stop(1000);
    }
    server_.reset();
    server_ = std::make_unique<app::Server>(config_, *clock_);
    server_->start();
    stopped_ = false;
    http_port_ = server_->http_port();
    tcp_port_ = server_->tcp_port();
}

std::string TestServer::token(UserId uid, std::string name, message::Role role) const {
    std::int64_t now_s = clock_->wall_ms() / 1000;
    identity::Claims claims{.uid = uid,
                            .name = std::move(name),
                            .face = "",
                            .role = role,
                            .issued_at_s = now_s,
                            .expires_at_s = now_s + 3600};
    return identity::sign_token(claims, server_->token_secret());
}

std::string TestServer::viewer_token(UserId uid, std::string name) const {
    return token(uid, std::move(name), message::Role::viewer);
}

std::string TestServer::bot_token() const {
    return token(kBot, "demo-bot", message::Role::bot);
}

std::string TestServer::admin_token() const {
    return token(kAdmin, "demo-admin", message::Role::admin);
}

std::string TestServer::expired_token() const {
    std::int64_t now_s = clock_->wall_ms() / 1000;
    identity::Claims claims{.uid = kAlice,
                            .name = "alice",
                            .face = "",
                            .role = message::Role::viewer,
                            .issued_at_s = now_s - 7200,
                            .expires_at_s = now_s - 3600};
    return identity::sign_token(claims, server_->token_secret());
}

std::string TestServer::forged_token() const {
    std::int64_t now_s = clock_->wall_ms() / 1000;
    identity::Claims claims{.uid = kAdmin,
                            .name = "mallory",
                            .face = "",
                            .role = message::Role::admin,
                            .issued_at_s = now_s,
                            .expires_at_s = now_s + 3600};
    return identity::sign_token(claims, server_->token_secret() + "-not-the-secret");
}

std::unique_ptr<PacketClient> TestServer::connect(Transport transport, ClientOptions options) const {
    return transport == Transport::tcp ? connect_tcp(tcp_port_, options) : connect_ws(http_port_, options);
}

std::unique_ptr<PacketClient> TestServer::join(Transport transport, std::string_view auth_body,
                                               ClientOptions options) const {
    auto client = connect(transport, options);
    client->send_auth(auth_body);
    auto reply = client->auth_reply();
    if (int_field(reply, "code") != 0) {
        throw std::runtime_error(fmt::format("{} auth with {} was refused: {}", to_string(transport), auth_body,
                                             boost::json::serialize(reply)));
    }
    return client;
}

HttpReply TestServer::get(std::string_view target, std::string_view token) const {
    return http_get(http_port_, target, token);
}

HttpReply TestServer::post(std::string_view target, std::string_view body, std::string_view token) const {
    return http_post(http_port_, target, body, token);
}

std::uint64_t TestServer::send_danmaku(std::string_view text, std::string_view token, std::uint64_t room) const {
    auto body = boost::json::serialize(boost::json::object{{"msg", text}});
    auto reply = post(fmt::format("/api/v1/rooms/{}/danmaku", room), body, token);
    if (reply.status != 200 || reply.code() != 0) {
        throw std::runtime_error(fmt::format("danmaku \"{:.40}\" refused: HTTP {} {}", text, reply.status, reply.body));
    }
    return static_cast<std::uint64_t>(int_field(reply.json().at("data").as_object(), "seq"));
}

std::uint64_t TestServer::metric(std::string_view name) const {
    auto reply = get("/metrics");
    std::istringstream lines(reply.body);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == ' ') {
            return std::stoull(line.substr(name.size() + 1));
        }
    }
    throw std::runtime_error(fmt::format("metric {} not in /metrics", name));
}

std::vector<std::uint64_t> sequences_until(PacketClient& client, std::uint64_t last,
                                           std::chrono::milliseconds timeout) {
    std::vector<std::uint64_t> out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.empty() || out.back() != last) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto push = client.next_where(
            [](const Received& received) {
                return received.packet.operation == static_cast<std::uint32_t>(wire::Operation::message) &&
                       sequence_of(received.json()).has_value();
            },
            fmt::format("sequenced pushes up to seq {} (got {} so far)", last, out.size()),
            std::max(left, std::chrono::milliseconds(1)));
        out.push_back(*sequence_of(push.json()));
    }
    return out;
}

std::string transport_test_name(const ::testing::TestParamInfo<Transport>& param) {
    return to_string(param.param);
}

void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace barrage::test
