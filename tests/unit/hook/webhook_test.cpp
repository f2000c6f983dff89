#include "hook/webhook.h"

#include <atomic>
#include <optional>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "unit/hook/test_hook_server.h"

namespace barrage::hook {
namespace {

namespace asio = boost::asio;
using testing::Reply;
using testing::SeenRequest;
using testing::TestHookServer;

HookMessage message(std::string text = "hello") {
    return HookMessage{
        .room = 7, .uid = 42, .uname = "ann", .role = "viewer", .kind = "danmaku", .text = std::move(text)};
}

// A client on its own loop in the test's thread.
class Rig {
public:
    explicit Rig(WebhookOptions options) : guard_(options, clock_), client_(options, guard_, clock_) {}

    HookVerdict call(const HookMessage& m) { return call_all({m}).front(); }

    // Starts every call at once and runs them all to the end.
    std::vector<HookVerdict> call_all(const std::vector<HookMessage>& messages) {
        std::vector<std::optional<HookVerdict>> answers(messages.size());
        for (std::size_t i = 0; i < messages.size(); ++i) {
            asio::co_spawn(io_, client_.call(messages[i]),
                           [&answers, i](std::exception_ptr error, HookVerdict verdict) {
                               EXPECT_FALSE(error);
                               answers[i] = std::move(verdict);
                           });
        }
        io_.restart();
        io_.run();
        std::vector<HookVerdict> verdicts;
        for (auto& answer : answers) {
            EXPECT_TRUE(answer.has_value());
            verdicts.push_back(answer.value_or(HookVerdict{}));
        }
        return verdicts;
    }

    FakeClock& clock() { return clock_; }
    WebhookGuard& guard() { return guard_; }
    WebhookClient& client() { return client_; }

private:
    asio::io_context io_;
    FakeClock clock_;
    WebhookGuard guard_;
    WebhookClient client_;
};

WebhookOptions options_for(const TestHookServer& server) {
    return WebhookOptions{.url = server.url(), .secret = "s3cret", .deadline_ms = 2000};
}

TEST(Webhook, SignsTheRequestAndAllows) {
    TestHookServer server([](const SeenRequest&) { return Reply{}; });
    Rig rig(options_for(server));
    auto verdict = rig.call(message());
    EXPECT_EQ(verdict.action, HookAction::allow);
    EXPECT_FALSE(verdict.fell_back);
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& seen = requests.front();
    EXPECT_EQ(seen.target, "/hook");
    EXPECT_EQ(seen.content_type, "application/json");
    EXPECT_EQ(seen.body, R"({"room":7,"uid":42,"uname":"ann","role":"viewer","kind":"danmaku","text":"hello"})");
    EXPECT_EQ(seen.timestamp, std::to_string(rig.clock().wall_ms()));
    EXPECT_TRUE(verify_webhook_signature("s3cret", seen.timestamp, seen.body, seen.signature)) << seen.signature;
    EXPECT_FALSE(verify_webhook_signature("other", seen.timestamp, seen.body, seen.signature));
    EXPECT_FALSE(verify_webhook_signature("s3cret", seen.timestamp, seen.body + " ", seen.signature));
    EXPECT_FALSE(verify_webhook_signature("s3cret", "1", seen.body, seen.signature));
    EXPECT_EQ(rig.client().counters().allowed, 1u);
}

TEST(Webhook, SignatureIsHmacSha256OfTimestampDotBody) {
    // Computed independently: hmac.new(b"key", b"1700000000000.{}", hashlib.sha256).hexdigest()
    EXPECT_EQ(webhook_signature("key", "1700000000000", "{}"),
              "sha256=" + std::string("36a72f4525d3323bd0f238fe82098164fb77b1e42288ff8e07b074c686178ad3"));
}

TEST(Webhook, RejectsAndRewritesAsAnswered) {
    TestHookServer server([](const SeenRequest& seen) {
        if (seen.body.find("\"text\":\"spam\"") != std::string::npos) {
            return Reply{.body = R"({"action":"reject","reason":"no spam"})"};
        }
        return Reply{.body = R"({"action":"rewrite","text":"HELLO"})"};
    });
    Rig rig(options_for(server));
    auto rejected = rig.call(message("spam"));
    EXPECT_EQ(rejected.action, HookAction::reject);
    EXPECT_EQ(rejected.reason, "no spam");
    auto rewritten = rig.call(message("hello"));
    EXPECT_EQ(rewritten.action, HookAction::rewrite);
    EXPECT_EQ(rewritten.text, "HELLO");
    EXPECT_EQ(server.connections(), 1);  // kept alive between calls
}

TEST(Webhook, AHangingHookFallsBackAtTheDeadline) {
    TestHookServer server([](const SeenRequest&) { return Reply{.hang = true}; });
    auto options = options_for(server);
    options.deadline_ms = 100;
    Rig rig(options);
    auto verdict = rig.call(message());
    EXPECT_TRUE(verdict.fell_back);
    EXPECT_EQ(verdict.fault, "deadline");
    EXPECT_EQ(verdict.action, HookAction::allow);
    // The call ended while the hook still holds the request.
    EXPECT_EQ(server.hanging(), 1);
    EXPECT_EQ(rig.client().counters().fault_deadline, 1u);
}

TEST(Webhook, TheRejectFallbackRejects) {
    TestHookServer server([](const SeenRequest&) { return Reply{.status = 500, .body = "oops"}; });
    auto options = options_for(server);
    options.fallback = HookFallback::reject;
    Rig rig(options);
    auto verdict = rig.call(message());
    EXPECT_EQ(verdict.fault, "http_status");
    EXPECT_EQ(verdict.action, HookAction::reject);
    EXPECT_EQ(verdict.reason, kFallbackReason);
}

TEST(Webhook, NothingListeningIsUnreachable) {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    const auto port = probe.local_endpoint().port();
    probe.close();
    WebhookOptions options;
    options.url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    Rig rig(options);
    auto verdict = rig.call(message());
    EXPECT_TRUE(verdict.fell_back);
    EXPECT_EQ(verdict.fault, "unreachable");
}

TEST(Webhook, AnswersOutsideTheContractAreBadAnswers) {
    for (const char* body :
         {"not json", "[]", R"({"action":"maybe"})", R"({"action":"rewrite"})", R"({"action":"rewrite","text":""})",
          R"({"action":"reject","reason":7})", R"({"action":"rewrite","text":"\udcff"})"}) {
        TestHookServer server([body](const SeenRequest&) { return Reply{.body = body}; });
        Rig rig(options_for(server));
        auto verdict = rig.call(message());
        EXPECT_EQ(verdict.fault, "bad_answer") << body;
    }
    TestHookServer huge([](const SeenRequest&) {
        return Reply{.body = R"({"action":"allow","pad":")" + std::string(20 * 1024, 'x') + "\"}"};
    });
    Rig rig(options_for(huge));
    EXPECT_EQ(rig.call(message()).fault, "bad_answer");
}

TEST(Webhook, OverTheConcurrencyLimitIsBusyAtOnce) {
    TestHookServer server([](const SeenRequest&) { return Reply{.hang = true}; });
    auto options = options_for(server);
    options.concurrency_max = 2;
    options.deadline_ms = 300;
    options.breaker_failures = 0;
    Rig rig(options);
    auto verdicts = rig.call_all({message(), message(), message()});
    int busy = 0;
    int deadline = 0;
    for (const auto& verdict : verdicts) {
        busy += verdict.fault == "busy" ? 1 : 0;
        deadline += verdict.fault == "deadline" ? 1 : 0;
    }
    EXPECT_EQ(busy, 1);
    EXPECT_EQ(deadline, 2);
    EXPECT_EQ(rig.guard().in_flight(), 0u);
}

TEST(Webhook, TheBreakerOpensAndAProbeClosesIt) {
    std::atomic<bool> healthy{false};
    TestHookServer server(
        [&healthy](const SeenRequest&) { return healthy.load() ? Reply{} : Reply{.status = 503, .body = "down"}; });
    auto options = options_for(server);
    options.breaker_failures = 2;
    options.breaker_open_ms = 5000;
    Rig rig(options);
    EXPECT_EQ(rig.call(message()).fault, "http_status");
    EXPECT_EQ(rig.call(message()).fault, "http_status");
    EXPECT_EQ(rig.call(message()).fault, "circuit_open");
    EXPECT_EQ(server.requests().size(), 2u);  // the open breaker did not ask
    healthy = true;
    rig.clock().advance_ms(5000);
    auto probe = rig.call(message());
    EXPECT_FALSE(probe.fell_back) << probe.fault;
    EXPECT_EQ(rig.guard().state(), BreakerState::closed);
    EXPECT_EQ(rig.client().counters().fault_circuit_open, 1u);
    EXPECT_EQ(rig.client().counters().fault_http_status, 2u);
}

TEST(Webhook, AKeepAliveConnectionTheHookClosedIsRetriedOnANewOne) {
    TestHookServer server([](const SeenRequest&) { return Reply{.close_after = true}; });
    Rig rig(options_for(server));
    EXPECT_FALSE(rig.call(message()).fell_back);
    EXPECT_EQ(rig.client().idle_connections(), 1u);
    auto second = rig.call(message());
    EXPECT_FALSE(second.fell_back) << second.fault;
    EXPECT_EQ(server.connections(), 2);
}

TEST(WebhookUrl, ParsesHttpUrls) {
    auto plain = parse_webhook_url("http://hooks.local:8080/check?x=1");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->host, "hooks.local");
    EXPECT_EQ(plain->port, "8080");
    EXPECT_EQ(plain->target, "/check?x=1");
    auto bare = parse_webhook_url("HTTP://10.0.0.1");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->port, "80");
    EXPECT_EQ(bare->target, "/");
    EXPECT_EQ(parse_webhook_url("http://a:000081/")->port, "81");
    auto v6 = parse_webhook_url("http://[::1]:81/h");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, "81");
    for (const char* bad : {"https://a/", "a/b", "http://", "http://:80/", "http://a:0/", "http://a:65536/",
                            "http://u@a/", "http://a/#f", "http://a:x/", "http://[::1/", "http://a b/", "http://a/b c",
                            "http://a/\r\nX: y", "http://h\x81/", "http://[a@b]/"}) {
        EXPECT_FALSE(parse_webhook_url(bad)) << bad;
    }
}

}  // namespace
}  // namespace barrage::hook
