// Joins cost the server most per byte a client sends, so they are rate limited per address and
// per user, and a join's history replay comes from blocks encoded once for every joiner.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

boost::json::object join_reply(const TestServer& server, std::string_view auth_body) {
    auto client = server.connect(Transport::tcp);
    client->send_auth(auth_body);
    return client->auth_reply();
}

TEST(JoinLimits, AnAddressThatJoinsTooOftenIsRefusedWithTheRateLimitCode) {
    TestServer server([](app::Config& config) { config.joins.per_address = {.per_second = 0.01, .burst = 3}; });
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(int_field(join_reply(server, AuthBody().str()), "code"), 0) << i;
    }
    auto refused = join_reply(server, AuthBody().key(server.viewer_token()).str());
    EXPECT_EQ(int_field(refused, "code"), -101);
    EXPECT_EQ(int_field(refused, "error"), static_cast<int>(Errc::rate_limited));
    EXPECT_EQ(server.metric("barrage_joins_refused_total"), 1U);
}

TEST(JoinLimits, AUserThatJoinsTooOftenIsRefusedOthersAreNot) {
    TestServer server([](app::Config& config) { config.joins.per_user = {.per_second = 0.01, .burst = 2}; });
    const auto alice = AuthBody().key(server.viewer_token()).str();
    EXPECT_EQ(int_field(join_reply(server, alice), "code"), 0);
    EXPECT_EQ(int_field(join_reply(server, alice), "code"), 0);
    EXPECT_EQ(int_field(join_reply(server, alice), "error"), static_cast<int>(Errc::rate_limited));
    EXPECT_EQ(int_field(join_reply(server, AuthBody().key(server.viewer_token(kBob, "bob")).str()), "code"), 0);
    EXPECT_EQ(int_field(join_reply(server, AuthBody().str()), "code"), 0) << "anonymous joins count by address only";
}

TEST(JoinReplay, AJoinStormEncodesTheHistoryOnceNotOncePerJoiner) {
    TestServer server;
    const auto bot = server.bot_token();
    std::uint64_t last = 0;
    for (int i = 0; i < 300; ++i) {
        last = server.send_danmaku(fmt::format("history {}", i), bot);
    }
    const auto resume = AuthBody().last_seq(0).str();
    auto first = server.join(Transport::tcp, resume);
    EXPECT_EQ(sequences_until(*first, last).size(), last);
    const auto after_first = server.metric("barrage_replay_encodings_total");
    EXPECT_GT(after_first, 0U);
    for (int i = 0; i < 30; ++i) {
        auto joiner = server.join(i % 2 == 0 ? Transport::tcp : Transport::ws, resume);
        auto sequences = sequences_until(*joiner, last);
        ASSERT_EQ(sequences.size(), last) << "joiner " << i << " got the whole history once";
        EXPECT_EQ(sequences.front(), 1U);
    }
    EXPECT_EQ(server.metric("barrage_replay_encodings_total"), after_first)
        << "joiners with the same resume point and key share every encoded block";
}

}  // namespace
}  // namespace barrage::test
