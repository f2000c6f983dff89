// Sending: op 4 on the long connection (answered by op 1000) and POST .../danmaku over HTTP,
// with the refusals each may give (identity, room, validation, rate limit).

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

class LongConnectionSend : public ::testing::TestWithParam<Transport> {};

TEST_P(LongConnectionSend, TokenHolderSendIsAnsweredWithItsSequence) {
    TestServer server;
    auto client = server.join(GetParam(), AuthBody().key(server.viewer_token()).str());
    client->send_message(R"({"msg":"from the long connection"})", 77);

    // The push may come first: the room's batch can be due when the danmaku joins it.
    auto reply = client->take_operation(Operation::send_reply);
    EXPECT_EQ(reply.packet.sequence, 77U) << "op 1000 echoes the client's header sequence";
    auto body = parse_object(reply.packet.body);
    EXPECT_EQ(int_field(body, "code"), 0);
    auto sequence = int_field(body.at("data").as_object(), "seq");
    EXPECT_GT(sequence, 0);

    // The sender is a room member too and sees its own danmaku.
    auto push = client->next_cmd("DANMU_MSG");
    EXPECT_EQ(sequence_of(push.json()), static_cast<std::uint64_t>(sequence));
    EXPECT_EQ(danmaku_text(push.json()), "from the long connection");
}

TEST_P(LongConnectionSend, PipelinedSendsAreAnsweredInOrder) {
    TestServer server;
    auto client = server.join(GetParam(), AuthBody().key(server.bot_token()).str());
    for (std::uint32_t i = 1; i <= 10; ++i) {
        client->send_message(fmt::format(R"({{"msg":"pipelined {}"}})", i), 1000 + i);
    }
    std::int64_t previous = 0;
    for (std::uint32_t i = 1; i <= 10; ++i) {
        auto reply = client->next_operation(Operation::send_reply);
        EXPECT_EQ(reply.packet.sequence, 1000 + i);
        auto body = parse_object(reply.packet.body);
        ASSERT_EQ(int_field(body, "code"), 0) << reply.packet.body;
        auto sequence = int_field(body.at("data").as_object(), "seq");
        EXPECT_GT(sequence, previous);
        previous = sequence;
    }
}

TEST_P(LongConnectionSend, AConnectionThatAsksNotToReceiveGetsOnlyItsAnswers) {
    TestServer server;
    auto reader = server.join(GetParam(), AuthBody().str());
    auto body = boost::json::parse(AuthBody().key(server.bot_token()).str()).as_object();
    body["receive"] = false;
    auto publisher = server.join(GetParam(), boost::json::serialize(body));
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    for (std::uint32_t i = 1; i <= 10; ++i) {
        publisher->send_message(fmt::format(R"({{"msg":"only sent {}"}})", i), i);
    }
    // In order, nothing but answers, then the heartbeat's reply: no push of the room between.
    for (std::uint32_t i = 1; i <= 10; ++i) {
        auto reply = publisher->next();
        ASSERT_EQ(reply.packet.operation, static_cast<std::uint32_t>(Operation::send_reply)) << reply.packet.body;
        last = static_cast<std::uint64_t>(int_field(parse_object(reply.packet.body).at("data").as_object(), "seq"));
        first = first == 0 ? last : first;
    }
    // The reader got all ten, so their batches were flushed before the heartbeat.
    const auto seen = sequences_until(*reader, last);
    EXPECT_EQ(std::count_if(seen.begin(), seen.end(), [&](std::uint64_t seq) { return seq >= first; }), 10);
    publisher->send_heartbeat();
    EXPECT_EQ(publisher->next().packet.operation, static_cast<std::uint32_t>(Operation::heartbeat_reply));
    EXPECT_EQ(publisher->buffered(), 0U);
}

TEST_P(LongConnectionSend, AnonymousSendIsRefusedAsReadOnly) {
    TestServer server;
    auto client = server.join(GetParam(), AuthBody().str());
    client->send_message(R"({"msg":"who am I"})", 5);

    auto reply = client->next_operation(Operation::send_reply);
    EXPECT_EQ(reply.packet.sequence, 5U);
    EXPECT_EQ(int_field(parse_object(reply.packet.body), "code"), static_cast<int>(Errc::anonymous_read_only));
    // Refused, not closed: heartbeats still work.
    client->send_heartbeat();
    client->next_operation(Operation::heartbeat_reply);
}

TEST_P(LongConnectionSend, InvalidDanmakuIsRefusedWithItsCode) {
    TestServer server;
    auto client = server.join(GetParam(), AuthBody().key(server.viewer_token()).str());
    client->send_message(R"({"msg":"x","mode":3})", 9);
    auto reply = client->next_operation(Operation::send_reply);
    EXPECT_EQ(int_field(parse_object(reply.packet.body), "code"), static_cast<int>(Errc::unknown_mode));
}

TEST_P(LongConnectionSend, FastViewerIsRateLimited) {
    TestServer server([](app::Config& config) {
        config.hub.room.rate_limit.per_second = 0.01;
        config.hub.room.rate_limit.burst = 2;
    });
    auto client = server.join(GetParam(), AuthBody().key(server.viewer_token()).str());
    for (std::uint32_t i = 1; i <= 3; ++i) {
        client->send_message(R"({"msg":"spam"})", i);
    }
    std::vector<std::int64_t> codes;
    for (int i = 0; i < 3; ++i) {
        codes.push_back(int_field(parse_object(client->next_operation(Operation::send_reply).packet.body), "code"));
    }
    EXPECT_EQ(codes, (std::vector<std::int64_t>{0, 0, static_cast<int>(Errc::rate_limited)}));
}

INSTANTIATE_TEST_SUITE_P(Transports, LongConnectionSend, ::testing::Values(Transport::tcp, Transport::ws),
                         transport_test_name);

TEST(HttpSend, AcceptedDanmakuAnswersWithSequence) {
    TestServer server;
    auto reply =
        server.post("/api/v1/rooms/1/danmaku", R"({"msg":"hi","color":16711680,"mode":5})", server.viewer_token());
    ASSERT_EQ(reply.status, 200U) << reply.body;
    auto body = reply.json();
    EXPECT_EQ(int_field(body, "code"), 0);
    EXPECT_EQ(int_field(body.at("data").as_object(), "seq"), 1);
}

TEST(HttpSend, MissingTokenIsUnauthenticated) {
    TestServer server;
    auto reply = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"hi"})");
    EXPECT_EQ(reply.status, 401U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::unauthenticated));
}

TEST(HttpSend, ForgedTokenIsRefusedWithBadSignature) {
    TestServer server;
    auto reply = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"hi"})", server.forged_token());
    EXPECT_EQ(reply.status, 401U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::token_bad_signature));
}

TEST(HttpSend, ExpiredTokenIsRefusedAsExpired) {
    TestServer server;
    auto reply = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"hi"})", server.expired_token());
    EXPECT_EQ(reply.status, 401U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::token_expired));
}

TEST(HttpSend, GarbageTokenIsMalformed) {
    TestServer server;
    auto reply = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"hi"})", "not-a-jwt");
    EXPECT_EQ(reply.status, 401U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::token_malformed));
}

TEST(HttpSend, UnknownRoomIsNotFound) {
    TestServer server;
    auto reply = server.post("/api/v1/rooms/999/danmaku", R"({"msg":"hi"})", server.viewer_token());
    EXPECT_EQ(reply.status, 404U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::unknown_room));
}

TEST(HttpSend, BadModeIsRefused) {
    TestServer server;
    auto reply = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"hi","mode":2})", server.viewer_token());
    EXPECT_EQ(reply.status, 400U);
    EXPECT_EQ(reply.code(), static_cast<int>(Errc::unknown_mode));
}

TEST(HttpSend, TextOneCodePointOverTheLimitIsTooLong) {
    TestServer server([](app::Config& config) { config.danmaku.code_points_max = 20; });
    std::string at_limit;
    for (int i = 0; i < 20; ++i) {
        at_limit += "弹";
    }
    auto accepted = server.post("/api/v1/rooms/1/danmaku",
                                boost::json::serialize(boost::json::object{{"msg", at_limit}}), server.viewer_token());
    EXPECT_EQ(accepted.status, 200U) << accepted.body;

    auto refused =
        server.post("/api/v1/rooms/1/danmaku", boost::json::serialize(boost::json::object{{"msg", at_limit + "!"}}),
                    server.viewer_token());
    EXPECT_EQ(refused.status, 400U);
    EXPECT_EQ(refused.code(), static_cast<int>(Errc::message_too_long));
}

TEST(HttpSend, EmptyTextAndBadJsonAreRefused) {
    TestServer server;
    auto empty = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"   "})", server.viewer_token());
    EXPECT_EQ(empty.status, 400U);
    EXPECT_EQ(empty.code(), static_cast<int>(Errc::message_empty));
    auto garbage = server.post("/api/v1/rooms/1/danmaku", R"({"msg":)", server.viewer_token());
    EXPECT_EQ(garbage.status, 400U);
    EXPECT_EQ(garbage.code(), static_cast<int>(Errc::bad_request));
}

TEST(HttpSend, FastViewerIsRateLimitedButABotHasItsOwnRate) {
    TestServer server([](app::Config& config) {
        config.hub.room.rate_limit.per_second = 0.01;
        config.hub.room.rate_limit.burst = 3;
    });
    auto viewer = server.viewer_token();
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(server.post("/api/v1/rooms/1/danmaku", R"({"msg":"ok"})", viewer).status, 200U);
    }
    auto limited = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"one too many"})", viewer);
    EXPECT_EQ(limited.status, 429U);
    EXPECT_EQ(limited.code(), static_cast<int>(Errc::rate_limited));

    // Another viewer has a bucket of their own.
    EXPECT_EQ(server.post("/api/v1/rooms/1/danmaku", R"({"msg":"bob"})", server.viewer_token(kBob, "bob")).status,
              200U);

    // The bot's bucket is its own (TestServer raises the bot rate: the tests' publisher).
    auto bot = server.bot_token();
    for (int i = 0; i < 20; ++i) {
        auto reply = server.post("/api/v1/rooms/1/danmaku", R"({"msg":"beep"})", bot);
        ASSERT_EQ(reply.status, 200U) << "bot send " << i << ": " << reply.body;
    }
}

}  // namespace
}  // namespace barrage::test
