// `barrage sandbox-proxy` in process, in front of a real Barrage server (signed open-platform
// calls) and of a small echo server (what exactly goes through), and in front of upstreams
// that refuse, never answer or answer too much.

#include <atomic>
#include <future>
#include <mutex>
#include <regex>
#include <string>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "crypto/digest.h"
#include "crypto/hex.h"
#include "net/io_threads.h"
#include "net/listeners.h"
#include "open/signature.h"
#include "sandbox/sandbox_proxy.h"
#include "store/database.h"
#include "store/open_apps.h"
#include "support/http_client.h"
#include "support/open_platform.h"
#include "support/raw_http.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using test::TestServer;

constexpr std::size_t kMiB = 1024 * 1024;

sandbox::ProxyOptions proxy_to(std::uint16_t port) {
    sandbox::ProxyOptions options;
    options.upstream = sandbox::parse_upstream("http://127.0.0.1:" + std::to_string(port));
    return options;
}

// A server that answers every request with what it received (method, target, headers, the
// body's size, MD5 and hex), with status 201, its own Content-Type and two Set-Cookie headers.
// "/gate" waits until the test opens the gate; "/big?bytes=N" answers N bytes, and
// "/fat-header?bytes=N" a header of N bytes.
class Echo {
public:
    Echo() {
        net::ListenerOptions options;
        options.address = "127.0.0.1";
        options.http_body_bytes_max = 2 * kMiB;
        listener_ = std::make_unique<net::HttpListener>(
            loops_, std::move(options), [this](net::HttpRequest request) { return handle(std::move(request)); },
            [](std::unique_ptr<net::PacketStream>, std::size_t) {});
        loops_.start();
    }
    ~Echo() {
        listener_->stop();
        loops_.stop();
    }

    std::uint16_t port() const { return listener_->port(); }
    int requests() const { return requests_.load(); }
    std::string last_answer() {
        std::lock_guard lock(mutex_);
        return last_answer_;
    }
    // Blocks until a request waits at "/gate".
    void wait_at_gate() { gate_entered_.get_future().wait(); }
    void open_gate() {
        asio::post(loops_.context(0), [this] { gate_.cancel(); });
    }

private:
    asio::awaitable<net::HttpResponse> handle(net::HttpRequest request) {
        ++requests_;
        if (request.target == "/gate") {
            gate_entered_.set_value();
            gate_.expires_after(std::chrono::hours(1));
            boost::system::error_code ignored;
            co_await gate_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
        if (request.target.starts_with("/fat-header?bytes=")) {
            // Beast sends no single field over 64 KiB: several fields of at most 40,000 bytes.
            net::HttpResponse fat{.body = "{}"};
            for (auto left = std::stoul(request.target.substr(18)); left > 0;) {
                const auto bytes = std::min<std::size_t>(left, 40'000);
                fat.headers.emplace_back("X-Fat-" + std::to_string(fat.headers.size()), std::string(bytes, 'h'));
                left -= bytes;
            }
            co_return fat;
        }
        if (request.target.starts_with("/big?bytes=")) {
            co_return net::HttpResponse{.content_type = "text/plain",
                                        .body = std::string(std::stoul(request.target.substr(11)), 'x')};
        }
        json::array headers;
        for (const auto& [name, value] : request.headers) {
            headers.push_back(json::array{json::string(name), json::string(value)});
        }
        net::HttpResponse answer{
            .status = 201,
            .content_type = "application/x-echo",
            .body = json::serialize(
                json::object{{"method", request.method},
                             {"target", request.target},
                             {"headers", std::move(headers)},
                             {"body_size", request.body.size()},
                             {"body_md5", crypto::md5_hex(request.body)},
                             {"body_hex", request.body.size() <= 4096 ? crypto::to_hex(request.body) : std::string()}}),
            .headers = {{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"X-Upstream", "echo"}},
            .relayed = true};
        std::lock_guard lock(mutex_);
        last_answer_ = answer.body;
        co_return answer;
    }

    net::IoThreads loops_{1};
    std::atomic<int> requests_{0};
    std::mutex mutex_;
    std::string last_answer_;  // guarded by mutex_
    asio::steady_timer gate_{loops_.context(0)};
    std::promise<void> gate_entered_;
    std::unique_ptr<net::HttpListener> listener_;
};

// The value of header `name` in the echo's record of what it received ("" when absent).
std::string echoed_header(const json::object& echo, std::string_view name) {
    for (const auto& pair : echo.at("headers").as_array()) {
        if (pair.as_array().at(0).as_string() == name) {
            return std::string(pair.as_array().at(1).as_string());
        }
    }
    return {};
}

std::size_t count_of(std::string_view text, std::string_view needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

TEST(SandboxProxy, RelaysRequestsAndAnswersByteForByte) {
    Echo echo;
    auto options = proxy_to(echo.port());
    options.upstream = sandbox::parse_upstream("http://127.0.0.1:" + std::to_string(echo.port()) + "/base/");
    SystemClock clock;
    sandbox::SandboxProxy proxy(options, clock);
    proxy.start();

    // Spaces, a newline, UTF-8 and bytes no JSON encoder would write: the MD5 covers them all.
    static constexpr char kBody[] = "{\"code\": \"AB\xE5\xBC\xB9\", \"app_id\": 1}\n\x00\xff\r\n";
    const std::string body(kBody, sizeof kBody - 1);
    const std::string request =
        "POST /v2/app/start?trace=1 HTTP/1.1\r\n"
        "Host: 127.0.0.1:" +
        std::to_string(proxy.port()) +
        "\r\n"
        "Content-Type: application/json\r\n"
        "Accept: application/json\r\n"
        "X-Bili-Accesskeyid: key-1\r\n"
        "X-Bili-Content-Md5: " +
        crypto::md5_hex(body) +
        "\r\n"
        "X-Bili-Signature-Method: HMAC-SHA256\r\n"
        "X-Bili-Signature-Nonce: 6a1f\r\n"
        "X-Bili-Signature-Version: 1.0\r\n"
        "X-Bili-Timestamp: 1700000000\r\n"
        "Authorization: 0f1e2d\r\n"
        "Connection: keep-alive, X-Hop\r\n"
        "X-Hop: this connection only\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    const auto answer = test::raw_http(proxy.port(), request);

    // The answer is the upstream's: status, Content-Type, both cookies, its body byte for byte,
    // and no header of the proxy's own.
    EXPECT_EQ(answer.status, 201U) << answer.head;
    EXPECT_EQ(answer.header("Content-Type"), "application/x-echo");
    EXPECT_EQ(count_of(answer.head, "Set-Cookie: "), 2U) << answer.head;
    EXPECT_EQ(answer.header("X-Upstream"), "echo");
    EXPECT_EQ(answer.header("Server"), "");
    EXPECT_EQ(answer.header("Access-Control-Allow-Origin"), "");
    EXPECT_EQ(answer.body, echo.last_answer());

    // The request the upstream got: the base path first, the query kept, the body's bytes and
    // every signed header as sent; Host is the upstream's; the hop-by-hop headers stayed here.
    const auto seen = json::parse(answer.body).as_object();
    EXPECT_EQ(seen.at("method").as_string(), "POST");
    EXPECT_EQ(seen.at("target").as_string(), "/base/v2/app/start?trace=1");
    EXPECT_EQ(seen.at("body_hex").as_string(), crypto::to_hex(body));
    EXPECT_EQ(seen.at("body_md5").as_string(), crypto::md5_hex(body));
    EXPECT_EQ(echoed_header(seen, "x-bili-accesskeyid"), "key-1");
    EXPECT_EQ(echoed_header(seen, "x-bili-content-md5"), crypto::md5_hex(body));
    EXPECT_EQ(echoed_header(seen, "x-bili-signature-method"), "HMAC-SHA256");
    EXPECT_EQ(echoed_header(seen, "x-bili-signature-nonce"), "6a1f");
    EXPECT_EQ(echoed_header(seen, "x-bili-signature-version"), "1.0");
    EXPECT_EQ(echoed_header(seen, "x-bili-timestamp"), "1700000000");
    EXPECT_EQ(echoed_header(seen, "authorization"), "0f1e2d");
    EXPECT_EQ(echoed_header(seen, "content-type"), "application/json");
    EXPECT_EQ(echoed_header(seen, "accept"), "application/json");
    EXPECT_EQ(echoed_header(seen, "host"), "127.0.0.1:" + std::to_string(echo.port()));
    EXPECT_EQ(echoed_header(seen, "content-length"), std::to_string(body.size()));
    EXPECT_EQ(echoed_header(seen, "x-hop"), "");
    EXPECT_EQ(echoed_header(seen, "connection"), "close");  // the proxy's own connection upstream

    const auto report = proxy.stop();
    const auto& start = report.at("endpoints").at("POST /v2/app/start").as_object();
    EXPECT_EQ(start.at("calls").as_uint64(), 1U);
    EXPECT_EQ(json::serialize(start.at("http_status")), R"({"201":1})");
    EXPECT_EQ(json::serialize(start.at("code")), R"({"none":1})");  // the echo's answer has no code
}

// --- The open platform through the proxy, against a real server. ---

using App = test::OpenAppKeys;

// A request signed as blivedm signs it, sent to `port` (the proxy's or the server's).
test::HttpReply signed_post(std::uint16_t port, const App& app, std::string_view path, std::string_view body) {
    return test::signed_post_to(port, app, path, body, SystemClock());
}

// The answer with its random request_id replaced: everything else is deterministic.
std::string without_request_id(const std::string& body) {
    static const std::regex kRequestId(R"("request_id":"[0-9a-f]*")");
    return std::regex_replace(body, kRequestId, R"("request_id":"-")");
}

std::int64_t code_of(const test::HttpReply& reply) {
    EXPECT_EQ(reply.status, 200U) << reply.body;
    return reply.code();
}

TEST(SandboxProxy, SignedOpenPlatformCallsAnswerAsDirectOnesAndAreReported) {
    TestServer server;
    store::Database database({(server.data_dir() / "barrage.db").string(), true});
    SystemClock clock;
    store::OpenApps apps(database, clock);
    auto made = apps.create_app(UserId{7}, "Duel", true, UserId{10});
    auto identity = apps.identity_code(RoomId{1}, false, UserId{1});
    ASSERT_TRUE(made && identity);
    const App app{made->app_id, made->access_key_id, made->access_key_secret};
    App forged = app;
    forged.secret = "not-the-secret";
    const auto app_id = std::to_string(app.app_id);

    sandbox::SandboxProxy proxy(proxy_to(server.http_port()), clock);
    proxy.start();
    const auto via = proxy.port();
    const auto direct = server.http_port();

    // A game's life through the proxy: the signatures still hold, so the body and the signed
    // headers arrived as the game sent them.
    auto started =
        signed_post(via, app, "/v2/app/start", R"({"code": ")" + identity->code + R"(", "app_id": )" + app_id + "}");
    ASSERT_EQ(code_of(started), 0) << started.body;
    const std::string game_id(started.json().at("data").at("game_info").at("game_id").as_string());
    EXPECT_EQ(code_of(signed_post(via, app, "/v2/app/heartbeat", R"({"game_id": ")" + game_id + "\"}")), 0);
    EXPECT_EQ(code_of(signed_post(via, app, "/v2/app/heartbeat", R"({"game_id":")" + game_id + "\"}")), 0);
    EXPECT_EQ(code_of(signed_post(via, app, "/v2/app/start", R"({"code":"WRONGCODE12345","app_id":)" + app_id + "}")),
              7007);

    // Failures that do not change the server's state, through the proxy and directly: the
    // same status, Content-Type and bytes (but for the random request_id).
    const auto same_both_ways = [&](const App& who, std::string_view path, const std::string& body,
                                    std::int64_t expected) {
        const auto proxied = signed_post(via, who, path, body);
        const auto straight = signed_post(direct, who, path, body);
        EXPECT_EQ(code_of(proxied), expected) << proxied.body;
        EXPECT_EQ(proxied.status, straight.status);
        EXPECT_EQ(proxied.content_type, straight.content_type);
        EXPECT_EQ(without_request_id(proxied.body), without_request_id(straight.body));
        EXPECT_NE(proxied.body.find("\"request_id\":\""), std::string::npos) << proxied.body;
    };
    same_both_ways(app, "/v2/app/heartbeat", R"({"game_id":"no-such-game"})", 7003);
    same_both_ways(forged, "/v2/app/heartbeat", R"({"game_id":"no-such-game"})", 4002);
    // Ending another app's game (the app id is not the signer's): refused, and the game goes on.
    same_both_ways(app, "/v2/app/end",
                   R"({"app_id":)" + std::to_string(app.app_id + 1) + R"(,"game_id":")" + game_id + "\"}", 8002);
    // Answers without a random part are identical to the byte.
    for (const char* target : {"/api/v1/rooms", "/api/v1/rooms/1/history?after=0", "/v2/app/nowhere"}) {
        const auto proxied = test::http_get(via, target);
        const auto straight = test::http_get(direct, target);
        EXPECT_EQ(proxied.status, straight.status) << target;
        EXPECT_EQ(proxied.content_type, straight.content_type) << target;
        EXPECT_EQ(proxied.body, straight.body) << target;
    }
    EXPECT_EQ(
        code_of(signed_post(via, app, "/v2/app/end", R"({"app_id":)" + app_id + R"(,"game_id":")" + game_id + "\"}")),
        0);

    const auto report = proxy.stop();
    EXPECT_EQ(report.at("calls").as_uint64(), 11U);
    EXPECT_EQ(report.at("upstream").as_string(), "http://127.0.0.1:" + std::to_string(direct));
    EXPECT_EQ(report.at("unanswered_at_stop").as_uint64(), 0U);
    const auto& endpoints = report.at("endpoints").as_object();
    const auto expect_endpoint = [&](std::string_view key, std::uint64_t calls, std::string_view statuses,
                                     std::string_view codes) {
        const auto& endpoint = endpoints.at(key).as_object();
        EXPECT_EQ(endpoint.at("calls").as_uint64(), calls) << key;
        EXPECT_EQ(json::serialize(endpoint.at("http_status")), statuses) << key;
        EXPECT_EQ(json::serialize(endpoint.at("code")), codes) << key;
        const auto& latency = endpoint.at("latency_ms").as_object();
        EXPECT_EQ(latency.at("count").as_uint64(), calls) << key;
        EXPECT_GT(latency.at("max").as_double(), 0.0) << key;
        EXPECT_LE(latency.at("p50").as_double(), latency.at("p99").as_double()) << key;
        EXPECT_LE(latency.at("p99").as_double(), latency.at("max").as_double()) << key;
        EXPECT_EQ(endpoint.at("upstream_failures").at("connection_refused").as_uint64(), 0U) << key;
    };
    expect_endpoint("POST /v2/app/start", 2, R"({"200":2})", R"({"0":1,"7007":1})");
    expect_endpoint("POST /v2/app/heartbeat", 4, R"({"200":4})", R"({"0":2,"4002":1,"7003":1})");
    expect_endpoint("POST /v2/app/end", 2, R"({"200":2})", R"({"0":1,"8002":1})");
    expect_endpoint("GET /api/v1/rooms", 1, R"({"200":1})", R"({"0":1})");
    expect_endpoint("GET /api/v1/rooms/1/history", 1, R"({"200":1})", R"({"0":1})");
    expect_endpoint("GET /v2/app/nowhere", 1, R"({"404":1})", R"({"1009":1})");
    EXPECT_EQ(endpoints.size(), 6U);
}

// --- Upstreams that fail. ---

TEST(SandboxProxy, AnUnreachableUpstreamIs502AndCountedAsConnectionRefused) {
    std::uint16_t closed_port = 0;
    {
        asio::io_context context;
        asio::ip::tcp::acceptor probe(context, {asio::ip::address_v4::loopback(), 0});
        closed_port = probe.local_endpoint().port();
    }  // closed: nothing listens there now
    SystemClock clock;
    sandbox::SandboxProxy proxy(proxy_to(closed_port), clock);
    proxy.start();
    const auto reply = test::http_post(proxy.port(), "/v2/app/heartbeat", R"({"game_id":"g"})");
    EXPECT_EQ(reply.status, 502U);
    EXPECT_EQ(reply.code(), 5000);
    EXPECT_NE(reply.body.find("connection refused"), std::string::npos) << reply.body;
    const auto report = proxy.stop();
    EXPECT_EQ(report.at("upstream_failures").at("connection_refused").as_uint64(), 1U);
    const auto& heartbeat = report.at("endpoints").at("POST /v2/app/heartbeat").as_object();
    EXPECT_EQ(json::serialize(heartbeat.at("http_status")), R"({"502":1})");
    EXPECT_EQ(json::serialize(heartbeat.at("code")), "{}");  // no answer, so no code
    EXPECT_EQ(heartbeat.at("upstream_failures").at("connection_refused").as_uint64(), 1U);
}

TEST(SandboxProxy, AnUpstreamThatNeverAnswersIs502AfterTheTimeoutAndCountedAsATimeout) {
    // Listening but never accepting: connects succeed through the backlog, nothing answers.
    asio::io_context context;
    asio::ip::tcp::acceptor silent(context, {asio::ip::address_v4::loopback(), 0});
    auto options = proxy_to(silent.local_endpoint().port());
    options.upstream_timeout_ms = 200;
    SystemClock clock;
    sandbox::SandboxProxy proxy(options, clock);
    proxy.start();
    const auto reply = test::http_post(proxy.port(), "/v2/app/start", R"({"code":"X","app_id":1})");
    EXPECT_EQ(reply.status, 502U);
    EXPECT_EQ(reply.code(), 5001);  // Bilibili's "timeout"
    EXPECT_NE(reply.body.find("no answer in time"), std::string::npos) << reply.body;
    const auto report = proxy.stop();
    EXPECT_EQ(report.at("upstream_failures").at("timeout").as_uint64(), 1U);
    const auto& start = report.at("endpoints").at("POST /v2/app/start").as_object();
    EXPECT_EQ(start.at("upstream_failures").at("timeout").as_uint64(), 1U);
    // The app waited at least the timeout, and its latency says so (timers never fire early).
    EXPECT_GE(start.at("latency_ms").at("max").as_double(), 200.0);
}

TEST(SandboxProxy, AnAnswerPastItsBoundsIs502AndCountedAsTooLarge) {
    Echo echo;
    auto options = proxy_to(echo.port());
    options.answer_bytes_max = 64 * 1024;
    SystemClock clock;
    sandbox::SandboxProxy proxy(options, clock);
    proxy.start();
    const auto at_bound = test::http_get(proxy.port(), "/big?bytes=65536");
    EXPECT_EQ(at_bound.status, 200U);
    EXPECT_EQ(at_bound.body.size(), 65536U);
    const auto past = test::http_get(proxy.port(), "/big?bytes=65537");
    EXPECT_EQ(past.status, 502U);
    EXPECT_NE(past.body.find("larger than the proxy relays"), std::string::npos) << past.body;
    // The header section has its own bound (64 KiB).
    const auto fat_get = [&](std::size_t bytes) {
        return test::raw_http(proxy.port(), "GET /fat-header?bytes=" + std::to_string(bytes) +
                                                " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    };
    const auto fat = fat_get(60'000);
    EXPECT_EQ(fat.status, 200U);
    EXPECT_EQ(fat.header("X-Fat-0").size() + fat.header("X-Fat-1").size(), 60'000U);
    EXPECT_EQ(fat_get(70'000).status, 502U);
    const auto report = proxy.stop();
    EXPECT_EQ(report.at("upstream_failures").at("answer_too_large").as_uint64(), 2U);
    EXPECT_EQ(json::serialize(report.at("endpoints").at("GET /big").at("http_status")), R"({"200":1,"502":1})");
    EXPECT_EQ(json::serialize(report.at("endpoints").at("GET /fat-header").at("http_status")), R"({"200":1,"502":1})");
}

// --- What the proxy refuses itself. ---

TEST(SandboxProxy, ABodyPastTheLimitIsRefusedWith413AndNeverForwarded) {
    Echo echo;
    SystemClock clock;
    sandbox::SandboxProxy proxy(proxy_to(echo.port()), clock);  // the default: 1 MiB
    proxy.start();
    const std::string at_limit(kMiB, 'a');
    const auto forwarded = test::http_post(proxy.port(), "/v2/app/start", at_limit);
    EXPECT_EQ(forwarded.status, 201U);
    EXPECT_EQ(json::parse(forwarded.body).at("body_size").to_number<std::uint64_t>(), kMiB);
    EXPECT_EQ(echo.requests(), 1);
    // One byte more: refused from the headers alone, before the body is read.
    const auto refused = test::raw_http(proxy.port(),
                                        "POST /v2/app/start HTTP/1.1\r\nHost: x\r\n"
                                        "Content-Type: application/json\r\nContent-Length: " +
                                            std::to_string(kMiB + 1) + "\r\n\r\n");
    EXPECT_EQ(refused.status, 413U) << refused.head;
    EXPECT_EQ(echo.requests(), 1);
    const auto report = proxy.stop();
    EXPECT_EQ(report.at("calls").as_uint64(), 1U);
    EXPECT_EQ(json::serialize(report.at("refused")), R"({"413":1})");
}

TEST(SandboxProxy, RequestsPastTheInFlightBoundAre503AndNeverForwarded) {
    Echo echo;
    auto options = proxy_to(echo.port());
    options.in_flight_max = 1;
    SystemClock clock;
    sandbox::SandboxProxy proxy(options, clock);
    proxy.start();
    test::HttpReply first;
    std::thread waiting([&] { first = test::http_get(proxy.port(), "/gate"); });
    echo.wait_at_gate();  // the first request now waits for the upstream
    const auto second = test::http_get(proxy.port(), "/v2/app/heartbeat");
    EXPECT_EQ(second.status, 503U);
    EXPECT_NE(second.body.find("too many requests"), std::string::npos) << second.body;
    EXPECT_EQ(echo.requests(), 1);
    echo.open_gate();
    waiting.join();
    EXPECT_EQ(first.status, 201U);
    const auto report = proxy.stop();
    EXPECT_EQ(report.at("calls").as_uint64(), 1U);
    EXPECT_EQ(json::serialize(report.at("refused")), R"({"503":1})");
}

TEST(SandboxProxy, ConnectionsPastThePerAddressBoundAreClosedAtOnce) {
    Echo echo;
    auto options = proxy_to(echo.port());
    options.connections_per_address = 2;
    SystemClock clock;
    sandbox::SandboxProxy proxy(options, clock);
    proxy.start();
    asio::io_context context;
    const asio::ip::tcp::endpoint at(asio::ip::address_v4::loopback(), proxy.port());
    asio::ip::tcp::socket first(context);
    asio::ip::tcp::socket second(context);
    asio::ip::tcp::socket third(context);
    first.connect(at);
    second.connect(at);
    third.connect(at);  // accepted in this order, so the third is the one past the bound
    char byte = 0;
    boost::system::error_code ec;
    third.read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
    // The two within the bound are served.
    const std::string request = "GET /v2/app/ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    asio::write(first, asio::buffer(request));
    std::string answer;
    asio::read(first, asio::dynamic_buffer(answer), ec);  // to the proxy's close
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 201")) << answer;
    proxy.stop();
}

TEST(SandboxProxy, UpgradesOverlargeHeadersAndTargetsThatAreNotPathsAreRefusedNotForwarded) {
    Echo echo;
    SystemClock clock;
    sandbox::SandboxProxy proxy(proxy_to(echo.port()), clock);
    proxy.start();
    const auto upgrade = test::raw_http(proxy.port(),
                                        "GET /sub HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                                        "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    EXPECT_EQ(upgrade.status, 404U);
    const auto absolute = test::raw_http(proxy.port(),
                                         "GET http://elsewhere.example/v2/app/start HTTP/1.1\r\n"
                                         "Host: elsewhere.example\r\n\r\n");
    EXPECT_EQ(absolute.status, 400U);
    EXPECT_NE(absolute.body.find("origin form"), std::string::npos) << absolute.body;
    // The listener's header bound (16 KiB) holds in front of the proxy too.
    std::string fillers;
    for (int i = 0; i < 40; ++i) {
        fillers += "X-Filler-" + std::to_string(i) + ": " + std::string(500, 'h') + "\r\n";
    }
    const auto overlarge = test::raw_http(proxy.port(), "GET /v2/app/start HTTP/1.1\r\nHost: x\r\n" + fillers + "\r\n");
    EXPECT_EQ(overlarge.status, 431U);
    EXPECT_EQ(echo.requests(), 0);
    const auto report = proxy.stop();
    EXPECT_EQ(json::serialize(report.at("refused")), R"({"400":1,"404":1,"431":1})");
    EXPECT_EQ(report.at("calls").as_uint64(), 0U);
}

}  // namespace
}  // namespace barrage
