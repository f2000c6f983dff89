// Priority shedding (docs/architecture.md, "Shedding") against a real server: a reader that
// stops reading among readers that keep up. The readers get every message; the slow one is not
// closed, gets every gift and notice sent meanwhile, and a sample of the danmaku. And a
// connection too slow even for the critical messages is still closed at the hard bound
// (tests/integration/backpressure_test.cpp).

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

constexpr std::uint64_t kHeart = 1;  // the demo catalogue's 10-coin gift
// Danmaku to publish: ~7 KB each on the plain web dialect, ~10 MB in all, past what the
// server's kernel send buffer (up to 4 MiB) absorbs for a reader that has stopped.
constexpr int kDanmaku = 1500;
constexpr int kGiftEvery = 50;  // 30 gifts among them
constexpr int kWindow = 3;

void configure(app::Config& config) {
    config.session.outbound_bytes_max = 512 * 1024;
    config.hub.shedding.soft_bytes = 64 * 1024;
    config.danmaku.code_points_max = 4000;
    config.hub.room.batch_interval_ms = 0;
}

TEST(Shedding, ASlowReaderStaysConnectedAndGetsEveryGiftAndASampleWhileOthersGetEverything) {
    TestServer server(configure);
    const auto alice = server.viewer_token();
    grant(server, kAlice, 1'000, "grant-alice");
    auto bot = server.join(Transport::tcp, AuthBody().protover(2).key(server.bot_token()).str());
    ClientOptions tiny;
    tiny.receive_buffer_bytes = 4096;
    auto slow = server.join(Transport::tcp, AuthBody().protover(0).str(), tiny);
    auto reader = server.join(Transport::ws, AuthBody().protover(0).str());

    const std::string body = fmt::format(R"({{"msg":"{}"}})", std::string(3400, 'x'));
    std::vector<std::uint64_t> accepted;
    std::vector<std::uint64_t> received;
    std::uint32_t request = 0;
    int gifts = 0;
    for (int sent = 0; sent < kDanmaku; sent += kWindow) {
        for (int i = 0; i < kWindow; ++i) {
            bot->send_message(body, ++request);
        }
        for (int i = 0; i < kWindow; ++i) {
            auto reply = parse_object(bot->next_operation(Operation::send_reply).packet.body);
            ASSERT_EQ(int_field(reply, "code"), 0);
            accepted.push_back(static_cast<std::uint64_t>(int_field(reply.at("data").as_object(), "seq")));
        }
        if (sent % kGiftEvery == 0) {
            auto gift =
                server.post("/api/v1/rooms/1/gifts",
                            fmt::format(R"({{"gift_id":{},"count":1,"request_id":"g-{}"}})", kHeart, sent), alice);
            ASSERT_EQ(gift.status, 200) << gift.body;
            accepted.push_back(static_cast<std::uint64_t>(int_field(data_of(gift), "seq")));
            ++gifts;
        }
        auto window = sequences_until(*reader, accepted.back());
        received.insert(received.end(), window.begin(), window.end());
    }
    // The end: a notice, critical like the gifts, so every reader gets it.
    auto notice = server.post("/api/v1/rooms/1/messages", R"({"type":"system","msg":"end"})", server.bot_token());
    ASSERT_EQ(notice.status, 200) << notice.body;
    const auto last = static_cast<std::uint64_t>(int_field(data_of(notice), "seq"));

    // The reader that kept up got every danmaku and every gift.
    auto rest = sequences_until(*reader, last);
    received.insert(received.end(), rest.begin(), rest.end());
    for (auto seq : accepted) {
        EXPECT_TRUE(std::find(received.begin(), received.end(), seq) != received.end()) << seq;
    }
    EXPECT_GT(server.metric("barrage_shed_sampled_total"), 0U) << "the slow reader was sampled";
    EXPECT_EQ(server.metric("barrage_outbound_overflow_total"), 0U) << "and nobody was closed";

    // The slow one reads now: still connected, every gift, a sample of the danmaku.
    const auto backlog = pushes_until(*slow, last);
    EXPECT_FALSE(slow->closed());
    EXPECT_EQ(with_cmd(backlog, "SEND_GIFT").size(), static_cast<std::size_t>(gifts));
    const auto sampled = with_cmd(backlog, "DANMU_MSG").size();
    EXPECT_GT(sampled, 0U);
    EXPECT_LT(sampled, static_cast<std::size_t>(kDanmaku) / 2) << "most danmaku were left out for it";
}

}  // namespace
}  // namespace barrage::test
