// The operator's HTTP webhook on the sender's path, against a real server and a hook server in
// the test: it rejects with a reason the sender gets, rewrites, and when it hangs, fails or is
// down the room goes on within the deadline with the configured fallback, other rooms' messages
// flowing meanwhile.

#include <future>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "hook/webhook.h"
#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"
#include "unit/hook/test_hook_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using hook::testing::Reply;
using hook::testing::SeenRequest;
using hook::testing::TestHookServer;
using test::AuthBody;
using test::TestServer;
using test::Transport;

test::HttpReply send(const TestServer& server, std::string_view text, std::string_view token, std::uint64_t room = 1) {
    return server.post("/api/v1/rooms/" + std::to_string(room) + "/danmaku",
                       json::serialize(json::object{{"msg", text}}), token);
}

bool has(const SeenRequest& seen, std::string_view word) {
    return seen.body.find(word) != std::string::npos;
}

TEST(Webhook, TheHookRejectsWithItsReasonAndRewritesSignedRequests) {
    TestHookServer hook_server([](const SeenRequest& seen) {
        if (has(seen, "spam")) {
            return Reply{.body = R"({"action":"reject","reason":"the hook says no"})"};
        }
        return Reply{.body = R"({"action":"rewrite","text":"rewritten by the hook"})"};
    });
    TestServer server([&](app::Config& config) {
        config.webhook.url = hook_server.url();
        config.webhook.secret = "hook-secret";
        config.webhook.deadline_ms = 2000;
    });
    auto watcher = server.join(Transport::ws, AuthBody().str());
    const auto alice = server.viewer_token();
    auto rejected = send(server, "buy spam", alice);
    EXPECT_EQ(rejected.code(), 3110);
    EXPECT_EQ(rejected.json().at("data").at("reason").as_string(), "the hook says no");
    const auto seq = server.send_danmaku("anything", alice);
    auto shown = watcher->next_where([&](const test::Received& push) { return test::sequence_of(push.json()) == seq; },
                                     "the rewritten danmaku");
    EXPECT_EQ(test::danmaku_text(shown.json()), "rewritten by the hook");
    const auto requests = hook_server.requests();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_TRUE(
        hook::verify_webhook_signature("hook-secret", requests[1].timestamp, requests[1].body, requests[1].signature));
    const auto asked = json::parse(requests[1].body).as_object();
    EXPECT_EQ(asked.at("uid").as_int64(), 3);
    EXPECT_EQ(asked.at("room").as_int64(), 1);
    EXPECT_EQ(asked.at("role").as_string(), "viewer");
    EXPECT_EQ(asked.at("text").as_string(), "anything");
}

TEST(Webhook, AHangingHookCostsItsDeadlineOnlyAndOtherRoomsGoOn) {
    TestHookServer hook_server([](const SeenRequest& seen) { return Reply{.hang = has(seen, "hang")}; });
    TestServer server([&](app::Config& config) {
        config.webhook.url = hook_server.url();
        config.webhook.deadline_ms = 3000;
    });
    ASSERT_EQ(server.post("/api/v1/rooms", R"({"id":2,"title":"two"})", server.admin_token()).status, 200);
    auto polite = server.join(Transport::tcp, AuthBody(2).str());
    const auto alice = server.viewer_token();
    auto hanging = std::async(std::launch::async, [&] { return send(server, "please hang", alice); });
    // The hook holds that request; meanwhile another room's messages are asked about and go out.
    for (int i = 0; i < 100 && hook_server.hanging() == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // waits for a fact, bounded
    }
    ASSERT_EQ(hook_server.hanging(), 1);
    const auto bob = server.viewer_token(test::kBob, "bob");
    for (int i = 0; i < 5; ++i) {
        const auto seq = server.send_danmaku("room two " + std::to_string(i), bob, 2);
        auto seen = polite->next_where(
            [&](const test::Received& push) { return test::sequence_of(push.json()) == seq; }, "room 2's danmaku");
        EXPECT_EQ(test::danmaku_text(seen.json()), "room two " + std::to_string(i));
    }
    EXPECT_EQ(hanging.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
        << "room 2 went on while the hanging call still waited";
    // The deadline passes: the fallback (allow) lets the message through.
    auto answer = hanging.get();
    EXPECT_EQ(answer.code(), 0) << answer.body;
}

TEST(Webhook, AFailingOrMissingHookGetsTheFallback) {
    TestHookServer failing([](const SeenRequest&) { return Reply{.status = 500, .body = "oops"}; });
    TestServer server([&](app::Config& config) {
        config.webhook.url = failing.url();
        config.webhook.fallback = hook::HookFallback::reject;
    });
    auto refused = send(server, "hello", server.viewer_token());
    EXPECT_EQ(refused.code(), 3110);
    EXPECT_EQ(refused.json().at("data").at("reason").as_string(), std::string(hook::kFallbackReason));
    // The operator sees why in the webhook's counters.
    auto counted = server.get("/api/v1/admin/hooks/webhook", server.admin_token());
    ASSERT_EQ(counted.status, 200) << counted.body;
    EXPECT_EQ(counted.json().at("data").at("calls").as_int64(), 1) << counted.body;
    EXPECT_EQ(counted.json().at("data").at("fault_http_status").as_int64(), 1) << counted.body;
    EXPECT_EQ(counted.json().at("data").at("fell_back").as_int64(), 1) << counted.body;

    // Nothing listens there any more: unreachable, the fallback (allow) applies.
    std::string gone;
    {
        TestHookServer brief([](const SeenRequest&) { return Reply{}; });
        gone = brief.url();
    }
    TestServer down([&](app::Config& config) { config.webhook.url = gone; });
    EXPECT_GT(down.send_danmaku("the room goes on", down.viewer_token()), 0U);
}

}  // namespace
}  // namespace barrage
