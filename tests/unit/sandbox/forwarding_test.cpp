#include "sandbox/forwarding.h"

#include <string>

#include <gtest/gtest.h>

namespace barrage::sandbox {
namespace {

// The value of the first header called `name` (as stored), or nullopt.
std::optional<std::string> header(const net::HttpRequest& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

net::HttpRequest signed_call() {
    net::HttpRequest request;
    request.method = "POST";
    request.target = "/v2/app/start?trace=1";
    // blivedm's body: json.dumps with spaces, and a non-ASCII byte run; the MD5 covers it all.
    request.body = "{\"code\": \"ABC\", \"app_id\": 1, \"note\": \"\xE5\xBC\xB9\xE5\xB9\x95\"}\n";
    request.headers = {{"host", "127.0.0.1:8081"},
                       {"content-type", "application/json"},
                       {"accept", "application/json"},
                       {"x-bili-accesskeyid", "key"},
                       {"x-bili-content-md5", "0123456789abcdef0123456789abcdef"},
                       {"x-bili-signature-method", "HMAC-SHA256"},
                       {"x-bili-signature-nonce", "n-1"},
                       {"x-bili-signature-version", "1.0"},
                       {"x-bili-timestamp", "1700000000"},
                       {"authorization", "deadbeef"},
                       {"content-length", "71"},
                       {"connection", "keep-alive, x-hop"},
                       {"x-hop", "only for this connection"},
                       {"keep-alive", "timeout=5"},
                       {"transfer-encoding", "chunked"},
                       {"proxy-authorization", "Basic abc"},
                       {"te", "trailers"},
                       {"upgrade", "h2c"},
                       {"expect", "100-continue"},
                       {"x-game", "duel"}};
    return request;
}

TEST(UpstreamRequest, KeepsMethodBodyAndSignedHeadersAndPrefixesTheBasePath) {
    const auto from_app = signed_call();
    const auto upstream = parse_upstream("http://10.0.0.5:8080/sandbox");
    const auto out = upstream_request(from_app, upstream);
    EXPECT_EQ(out.method, "POST");
    EXPECT_EQ(out.target, "/sandbox/v2/app/start?trace=1");
    EXPECT_EQ(out.body, from_app.body);  // byte for byte
    for (const char* name :
         {"content-type", "accept", "x-bili-accesskeyid", "x-bili-content-md5", "x-bili-signature-method",
          "x-bili-signature-nonce", "x-bili-signature-version", "x-bili-timestamp", "authorization", "x-game"}) {
        EXPECT_EQ(header(out, name), header(from_app, name)) << name;
    }
    EXPECT_EQ(header(out, "host"), "10.0.0.5:8080");
}

TEST(UpstreamRequest, DropsHopByHopHeadersThoseConnectionNamesLengthAndExpect) {
    const auto out = upstream_request(signed_call(), parse_upstream("http://127.0.0.1:8080"));
    for (const char* name : {"connection", "x-hop", "keep-alive", "transfer-encoding", "proxy-authorization", "te",
                             "upgrade", "expect", "content-length"}) {
        EXPECT_EQ(header(out, name), std::nullopt) << name;
    }
    std::size_t hosts = 0;
    for (const auto& [name, value] : out.headers) {
        hosts += name == "host" ? 1 : 0;
    }
    EXPECT_EQ(hosts, 1U);  // the app's Host is replaced, not joined
}

TEST(AppAnswer, RelaysStatusBodyAndHeadersButTheHopByHopOnes) {
    net::HttpResponse from_upstream{.status = 418,
                                    .content_type = "text/plain; charset=utf-8",
                                    .body = std::string("teapot\0\xff", 8),
                                    .headers = {{"Set-Cookie", "a=1"},
                                                {"Set-Cookie", "b=2"},
                                                {"Connection", "close"},
                                                {"Keep-Alive", "timeout=5"},
                                                {"X-Request-Id", "r-1"}}};
    const auto out = app_answer(from_upstream);
    EXPECT_TRUE(out.relayed);
    EXPECT_EQ(out.status, 418U);
    EXPECT_EQ(out.content_type, from_upstream.content_type);
    EXPECT_EQ(out.body, from_upstream.body);
    const decltype(out.headers) expected{{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"X-Request-Id", "r-1"}};
    EXPECT_EQ(out.headers, expected);
}

TEST(OpenCodeOf, ReadsTheIntegerCodeOfAJsonObjectOnly) {
    EXPECT_EQ(open_code_of(R"({"code":0,"message":"0","request_id":"r","data":{}})"), 0);
    EXPECT_EQ(open_code_of(R"({"code": 7003, "message": "heartbeat expired"})"), 7003);
    EXPECT_EQ(open_code_of(R"({"code":-400})"), -400);
    EXPECT_EQ(open_code_of(R"({"code":"0"})"), std::nullopt);
    EXPECT_EQ(open_code_of(R"({"code":1.5})"), std::nullopt);
    EXPECT_EQ(open_code_of(R"({"message":"no code"})"), std::nullopt);
    EXPECT_EQ(open_code_of(R"([{"code":0}])"), std::nullopt);
    EXPECT_EQ(open_code_of("<html>502 Bad Gateway</html>"), std::nullopt);
    EXPECT_EQ(open_code_of(""), std::nullopt);
    EXPECT_EQ(open_code_of(R"({"code":0)"), std::nullopt);
}

TEST(OpenCodeOf, LeavesAnswersPastItsBoundUnparsed) {
    const auto padded = [](std::size_t size) {
        std::string body = R"({"code":7003,"pad":")";
        body += std::string(size - body.size() - 2, 'p');
        return body + "\"}";
    };
    EXPECT_EQ(padded(kCodeBodyBytesMax).size(), kCodeBodyBytesMax);
    EXPECT_EQ(open_code_of(padded(kCodeBodyBytesMax)), 7003);
    EXPECT_EQ(open_code_of(padded(kCodeBodyBytesMax + 1)), std::nullopt);
}

TEST(IsHopByHop, IgnoresCase) {
    EXPECT_TRUE(is_hop_by_hop("Connection"));
    EXPECT_TRUE(is_hop_by_hop("TRANSFER-ENCODING"));
    EXPECT_FALSE(is_hop_by_hop("X-Bili-Timestamp"));
    EXPECT_FALSE(is_hop_by_hop("Authorization"));
}

}  // namespace
}  // namespace barrage::sandbox
