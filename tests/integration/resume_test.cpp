// Resuming after a disconnect: "last_seq" in the auth body replays exactly what was missed,
// in order and without duplicates, then live messages follow; a resume point older than the
// history ring gets a gap notice first. GET .../history answers the same question over HTTP.

#include <atomic>
#include <numeric>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
    std::vector<std::uint64_t> out(last - first + 1);
    std::iota(out.begin(), out.end(), first);
    return out;
}

class Resume : public ::testing::TestWithParam<Transport> {};

TEST_P(Resume, ReconnectReplaysExactlyTheMissedMessagesThenLiveOnes) {
    TestServer server;
    auto bot = server.bot_token();
    std::uint64_t last_seen = 0;
    {
        auto client = server.join(GetParam(), AuthBody().protover(2).str());
        std::uint64_t first = server.send_danmaku("before 1", bot);
        server.send_danmaku("before 2", bot);
        last_seen = server.send_danmaku("before 3", bot);
        EXPECT_EQ(sequences_until(*client, last_seen), range(first, last_seen));
    }
    // Sent while nobody is connected.
    std::uint64_t missed_last = 0;
    for (int i = 0; i < 4; ++i) {
        missed_last = server.send_danmaku(fmt::format("missed {}", i), bot);
    }
    auto client = server.join(GetParam(), AuthBody().protover(2).last_seq(last_seen).str());
    EXPECT_EQ(sequences_until(*client, missed_last), range(last_seen + 1, missed_last));

    server.send_danmaku("live 1", bot);
    auto live_last = server.send_danmaku("live 2", bot);
    EXPECT_EQ(sequences_until(*client, live_last), range(missed_last + 1, live_last))
        << "live messages follow the replay once, in order";
}

TEST_P(Resume, ReplayCarriesTheTextOfEachMissedMessage) {
    TestServer server;
    auto bot = server.bot_token();
    auto first = server.send_danmaku("one", bot);
    server.send_danmaku("two", bot);
    auto client = server.join(GetParam(), AuthBody().dialect("native").last_seq(first - 1).str());
    EXPECT_EQ(danmaku_text(client->next_cmd("danmaku").json()), "one");
    EXPECT_EQ(danmaku_text(client->next_cmd("danmaku").json()), "two");
}

TEST_P(Resume, ResumePointOlderThanHistoryGetsGapNoticeThenWhatIsKept) {
    TestServer server([](app::Config& config) { config.hub.room.history_length = 5; });
    auto bot = server.bot_token();
    std::uint64_t last = 0;
    for (int i = 0; i < 12; ++i) {
        last = server.send_danmaku(fmt::format("m{}", i), bot);
    }
    auto client = server.join(GetParam(), AuthBody().last_seq(2).str());

    auto gap = client->next(kWaitMax);
    while (gap.packet.operation != static_cast<std::uint32_t>(Operation::message)) {
        gap = client->next(kWaitMax);
    }
    ASSERT_EQ(gap.cmd(), "BARRAGE_HISTORY_GAP") << "the gap notice comes before the replay: " << gap.packet.body;
    auto data = gap.json().at("data").as_object();
    EXPECT_EQ(int_field(data, "requested_after"), 2);
    EXPECT_EQ(int_field(data, "first_available"), static_cast<std::int64_t>(last - 4));
    EXPECT_EQ(sequences_until(*client, last), range(last - 4, last));
}

TEST_P(Resume, CriticalMessagesOlderThanTheHistoryComeBackAfterTheGapNotice) {
    TestServer server([](app::Config& config) {
        config.hub.room.history_length = 5;
        config.hub.room.critical_history_length = 2;
    });
    auto bot = server.bot_token();
    std::vector<std::uint64_t> notices;
    std::uint64_t last = 0;
    for (int i = 0; i < 12; ++i) {
        if (i % 4 == 1) {
            auto sent = server.post("/api/v1/rooms/1/messages",
                                    fmt::format(R"({{"type":"system","msg":"notice {}"}})", i), bot);
            ASSERT_EQ(sent.status, 200) << sent.body;
            notices.push_back(static_cast<std::uint64_t>(int_field(sent.json().at("data").as_object(), "seq")));
        } else {
            last = server.send_danmaku(fmt::format("m{}", i), bot);
        }
    }
    // Notices at i = 1, 5, 9; the history keeps the last 5 messages (i = 7..11), the critical
    // ring the last 2 notices (i = 5 and 9): the client resuming after m0 gets the gap
    // notice, the notice of i = 5 (which only the critical ring still holds), then the history.
    auto client = server.join(GetParam(), AuthBody().dialect("native").last_seq(1).str());
    auto gap = client->next_operation(Operation::message);
    ASSERT_EQ(gap.cmd(), "history_gap") << gap.packet.body;
    auto replayed = sequences_until(*client, last);
    std::vector<std::uint64_t> expected{notices[1]};
    auto kept = range(last - 4, last);
    expected.insert(expected.end(), kept.begin(), kept.end());
    EXPECT_EQ(replayed, expected);
}

TEST_P(Resume, NativeDialectGapNoticeIsHistoryGap) {
    TestServer server([](app::Config& config) { config.hub.room.history_length = 5; });
    auto bot = server.bot_token();
    std::uint64_t last = 0;
    for (int i = 0; i < 8; ++i) {
        last = server.send_danmaku(fmt::format("m{}", i), bot);
    }
    auto client = server.join(GetParam(), AuthBody().dialect("native").protover(3).last_seq(1).str());
    auto gap = client->next_operation(Operation::message);
    ASSERT_EQ(gap.cmd(), "history_gap") << gap.packet.body;
    EXPECT_EQ(int_field(gap.json().at("data").as_object(), "first_available"), static_cast<std::int64_t>(last - 4));
    EXPECT_EQ(sequences_until(*client, last), range(last - 4, last));
}

TEST_P(Resume, UpToDateResumeReplaysNothing) {
    TestServer server;
    auto bot = server.bot_token();
    auto last = server.send_danmaku("seen", bot);
    auto client = server.join(GetParam(), AuthBody().last_seq(last).str());
    auto next = server.send_danmaku("new", bot);
    EXPECT_EQ(sequences_until(*client, next), std::vector<std::uint64_t>{next});
}

// Reconnects while a publisher keeps sending: whatever the timing, the old and the new
// connection together see every sequence exactly once from the resume point on.
TEST_P(Resume, ResumeDuringContinuousPublishingHasNoGapOrDuplicate) {
    TestServer server;
    constexpr int kMessages = 300;
    auto bot = server.bot_token();
    auto first = server.send_danmaku("start", bot);
    auto client = server.join(GetParam(), AuthBody().protover(3).last_seq(first).str());

    std::atomic<std::uint64_t> published_last{0};
    std::thread publisher([&] {
        for (int i = 0; i < kMessages; ++i) {
            published_last = server.send_danmaku(fmt::format("flow {}", i), bot);
        }
    });
    std::vector<std::uint64_t> seen;
    // Read a few, drop the connection, resume from the last one seen; three times.
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 20; ++i) {
            auto push = client->next_cmd("DANMU_MSG");
            seen.push_back(*sequence_of(push.json()));
        }
        client.reset();
        client = server.join(GetParam(), AuthBody().protover(3).last_seq(seen.back()).str());
    }
    publisher.join();
    auto rest = sequences_until(*client, published_last);
    seen.insert(seen.end(), rest.begin(), rest.end());
    EXPECT_EQ(seen, range(first + 1, published_last));
}

INSTANTIATE_TEST_SUITE_P(Transports, Resume, ::testing::Values(Transport::tcp, Transport::ws), transport_test_name);

std::vector<std::uint64_t> history_sequences(const HttpReply& reply) {
    std::vector<std::uint64_t> out;
    auto json = reply.json();
    for (const auto& message : json.at("data").at("messages").as_array()) {
        out.push_back(*sequence_of(message));
    }
    return out;
}

TEST(History, AfterReturnsExactlyTheLaterMessages) {
    TestServer server;
    auto bot = server.bot_token();
    std::vector<std::uint64_t> sequences;
    for (int i = 0; i < 6; ++i) {
        sequences.push_back(server.send_danmaku(fmt::format("h{}", i), bot));
    }
    auto reply = server.get(fmt::format("/api/v1/rooms/1/history?after={}", sequences[2]));
    ASSERT_EQ(reply.status, 200U) << reply.body;
    EXPECT_EQ(history_sequences(reply), std::vector<std::uint64_t>(sequences.begin() + 3, sequences.end()));
    auto data = reply.json().at("data").as_object();
    EXPECT_FALSE(data.at("gap").as_bool());
    EXPECT_EQ(int_field(data, "last_seq"), static_cast<std::int64_t>(sequences.back()));
    auto first = data.at("messages").at(0).as_object();
    EXPECT_EQ(first.at("cmd").as_string(), "danmaku");
    EXPECT_EQ(first.at("data").at("text").as_string(), "h3");

    auto everything = server.get("/api/v1/rooms/1/history");
    EXPECT_EQ(history_sequences(everything), sequences);
    auto nothing = server.get(fmt::format("/api/v1/rooms/1/history?after={}", sequences.back()));
    EXPECT_TRUE(history_sequences(nothing).empty());
    // Cut by the limit: the newest are kept and the cut is reported as a gap (as on resume).
    auto limited = server.get("/api/v1/rooms/1/history?after=0&limit=2");
    EXPECT_EQ(history_sequences(limited), std::vector<std::uint64_t>(sequences.end() - 2, sequences.end()));
    EXPECT_TRUE(limited.json().at("data").at("gap").as_bool());
}

TEST(History, OlderThanTheRingReportsGap) {
    TestServer server([](app::Config& config) { config.hub.room.history_length = 5; });
    auto bot = server.bot_token();
    std::uint64_t last = 0;
    for (int i = 0; i < 9; ++i) {
        last = server.send_danmaku(fmt::format("h{}", i), bot);
    }
    auto reply = server.get("/api/v1/rooms/1/history?after=1");
    ASSERT_EQ(reply.status, 200U) << reply.body;
    auto data = reply.json().at("data").as_object();
    EXPECT_TRUE(data.at("gap").as_bool());
    EXPECT_EQ(int_field(data, "first_available"), static_cast<std::int64_t>(last - 4));
    EXPECT_EQ(history_sequences(reply), range(last - 4, last));
}

TEST(History, UnknownRoomAndBadQueryAreRefused) {
    TestServer server;
    auto unknown = server.get("/api/v1/rooms/999/history");
    EXPECT_EQ(unknown.status, 404U);
    EXPECT_EQ(unknown.code(), static_cast<int>(Errc::unknown_room));
    auto bad = server.get("/api/v1/rooms/1/history?after=abc");
    EXPECT_EQ(bad.status, 400U);
    EXPECT_EQ(bad.code(), static_cast<int>(Errc::bad_request));
}

}  // namespace
}  // namespace barrage::test
