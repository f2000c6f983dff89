// What the HTTP listener and the route table answer to requests at and past the RFCs' edges,
// sent as raw bytes: 405 with Allow, CORS preflights, HEAD, 413/414/431, a bad upgrade key, the
// Bearer scheme in any case; and the per-address connection cap with a trusted proxy.

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "support/json_helpers.h"
#include "support/raw_http.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

std::string request(std::string_view method, std::string_view target, std::string_view extra_headers = {},
                    std::string_view body = {}) {
    return fmt::format("{} {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{}Content-Length: {}\r\n\r\n{}", method,
                       target, extra_headers, body.size(), body);
}

std::int64_t code_of(const RawHttpAnswer& answer) {
    return int_field(parse_object(answer.body), "code");
}

TEST(HttpAnswers, AMethodAPathDoesNotServeIs405WithAllow) {
    TestServer server;
    for (const auto& [method, target, allow] : {
             std::tuple{"TRACE", "/healthz", "GET, HEAD, OPTIONS"},
             std::tuple{"DELETE", "/metrics", "GET, HEAD, OPTIONS"},
             std::tuple{"POST", "/api/v1/wallet", "GET, HEAD, OPTIONS"},
             std::tuple{"PUT", "/api/v1/rooms/1/gifts", "POST, OPTIONS"},
         }) {
        auto answer = raw_http(server.http_port(), request(method, target));
        EXPECT_EQ(answer.status, 405U) << method << " " << target;
        EXPECT_EQ(code_of(answer), static_cast<int>(Errc::method_not_allowed));
        EXPECT_EQ(answer.header("Allow"), allow) << method << " " << target;
    }
}

TEST(HttpAnswers, OptionsIsAnsweredAsACorsPreflight) {
    TestServer server;
    auto answer =
        raw_http(server.http_port(), request("OPTIONS", "/api/v1/rooms/1/danmaku",
                                             "Origin: https://example.com\r\nAccess-Control-Request-Method: POST\r\n"
                                             "Access-Control-Request-Headers: authorization, content-type\r\n"));
    EXPECT_EQ(answer.status, 204U);
    EXPECT_EQ(answer.header("Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(answer.header("Access-Control-Allow-Methods"), "POST, OPTIONS");
    EXPECT_NE(answer.header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
}

TEST(HttpAnswers, HeadIsAnsweredLikeGetWithoutTheBody) {
    TestServer server;
    auto head = raw_http(server.http_port(), request("HEAD", "/healthz"));
    auto get = raw_http(server.http_port(), request("GET", "/healthz"));
    EXPECT_EQ(head.status, 200U);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
}

TEST(HttpAnswers, OverlongRequestLineIs414AndOverlargeHeadersAre431) {
    TestServer server;
    auto long_line = raw_http(server.http_port(), request("GET", "/healthz?pad=" + std::string(10 * 1024, 'a')));
    EXPECT_EQ(long_line.status, 414U);
    EXPECT_EQ(code_of(long_line), static_cast<int>(Errc::uri_too_long));
    std::string headers;
    for (int i = 0; i < 40; ++i) {
        headers += fmt::format("X-Filler-{}: {}\r\n", i, std::string(500, 'h'));
    }
    auto big_headers = raw_http(server.http_port(), request("GET", "/healthz", headers));
    EXPECT_EQ(big_headers.status, 431U);
    EXPECT_EQ(code_of(big_headers), static_cast<int>(Errc::headers_too_large));
}

TEST(HttpAnswers, AnOversizedBodyIs413WithItsDocumentedCode) {
    TestServer server;
    auto answer =
        raw_http(server.http_port(), request("POST", "/api/v1/rooms/1/danmaku", {}, std::string(65 * 1024, 'x')));
    EXPECT_EQ(answer.status, 413U);
    EXPECT_EQ(code_of(answer), static_cast<int>(Errc::body_too_large));
}

TEST(HttpAnswers, AGarbledRequestIs400) {
    TestServer server;
    auto answer = raw_http(server.http_port(), "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n");
    EXPECT_EQ(answer.status, 400U);
}

TEST(HttpAnswers, AnUpgradeWithAnInvalidKeyIs400) {
    TestServer server;
    for (std::string_view key : {"short", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZ*==", ""}) {
        auto answer =
            raw_http(server.http_port(),
                     fmt::format("GET /sub HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {}\r\n\r\n",
                                 key));
        EXPECT_EQ(answer.status, 400U) << "key \"" << key << "\"";
        EXPECT_EQ(code_of(answer), static_cast<int>(Errc::bad_websocket_handshake));
    }
}

TEST(HttpAnswers, TheBearerSchemeIsCaseInsensitive) {
    TestServer server;
    const auto token = server.viewer_token();
    for (std::string_view scheme : {"Bearer", "bearer", "BEARER"}) {
        auto answer = raw_http(server.http_port(), request("POST", "/api/v1/rooms/1/danmaku",
                                                           fmt::format("Authorization: {} {}\r\n", scheme, token),
                                                           fmt::format(R"({{"msg":"as {}"}})", scheme)));
        EXPECT_EQ(answer.status, 200U) << scheme << ": " << answer.body;
    }
}

TEST(ConnectionCap, AnAddressPastItsCapIsClosedAtOnceOthersAreServed) {
    TestServer server([](app::Config& config) { config.caps.per_address_max = 3; });
    // Three long connections from 127.0.0.1 hold its share...
    std::vector<std::unique_ptr<PacketClient>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(server.join(Transport::tcp, AuthBody().str()));
    }
    // ... so a fourth (HTTP or long) is closed at once, while another address is served.
    EXPECT_THROW(raw_http(server.http_port(), request("GET", "/healthz")), std::runtime_error);
    EXPECT_TRUE(server.connect(Transport::tcp)->wait_closed());
    EXPECT_EQ(raw_http(server.http_port(), request("GET", "/healthz"), "127.0.0.2").status, 200U);
    held.pop_back();
    // A place was given back: 127.0.0.1 may connect again (the close reaches the server's
    // loop a moment later, hence the retry on a refused attempt).
    std::optional<RawHttpAnswer> answer;
    for (int attempt = 0; attempt < 50 && !answer; ++attempt) {
        try {
            answer = raw_http(server.http_port(), request("GET", "/healthz"));
        } catch (const std::runtime_error&) {
        }
    }
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200U);
    EXPECT_GE(server.metric("barrage_connections_refused_per_address_total"), 2U);
}

TEST(ConnectionCap, BehindATrustedProxyTheForwardedAddressCounts) {
    TestServer server([](app::Config& config) {
        config.caps.per_address_max = 1;
        config.caps.trusted_proxies = {"127.0.0.1"};
    });
    // A forwarded client keeps one connection open (keep-alive) through the proxy...
    boost::asio::io_context context;
    boost::asio::ip::tcp::socket held(context);
    held.connect({boost::asio::ip::address_v4::loopback(), server.http_port()});
    const std::string keep_alive = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n";
    boost::asio::write(held, boost::asio::buffer(keep_alive));
    std::string first(512, '\0');
    first.resize(held.read_some(boost::asio::buffer(first)));
    EXPECT_TRUE(first.starts_with("HTTP/1.1 200")) << first;
    // ... so a second one for the same client is refused, while the proxy's connections for
    // other clients are not capped (the last X-Forwarded-For entry is the one the proxy added).
    auto second = raw_http(server.http_port(), request("GET", "/healthz", "X-Forwarded-For: 198.51.100.7\r\n"));
    EXPECT_EQ(second.status, 429U);
    EXPECT_EQ(code_of(second), static_cast<int>(Errc::too_many_connections));
    auto other =
        raw_http(server.http_port(), request("GET", "/healthz", "X-Forwarded-For: 198.51.100.7, 198.51.100.8\r\n"));
    EXPECT_EQ(other.status, 200U);
}

}  // namespace
}  // namespace barrage::test
