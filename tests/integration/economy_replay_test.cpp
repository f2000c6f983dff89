// Retries of purchases are answered with the first answer in full: the order and balance from
// the ledger's receipt, and the room event's fields (sequence, combo, gift number, super chat
// id, expiry) from what the first answer recorded. Byte for byte apart from "replayed", after
// the answer, concurrently, after a restart — and when the process died between the commit and
// the event, the first retry shows the event once and every later one answers the same.

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

constexpr std::uint64_t kFlower = 3;  // 1000 coins, comboable (app::add_demo_defaults)

HttpReply gift(const TestServer& server, std::string_view token, std::string_view request_id, int count = 2) {
    auto body = json::serialize(json::object{{"gift_id", kFlower}, {"count", count}, {"request_id", request_id}});
    return server.post("/api/v1/rooms/1/gifts", body, token);
}

HttpReply super_chat(const TestServer& server, std::string_view token, std::string_view request_id) {
    auto body = json::serialize(json::object{{"price_yuan", 30}, {"message", "hello"}, {"request_id", request_id}});
    return server.post("/api/v1/rooms/1/super-chats", body, token);
}

HttpReply guard(const TestServer& server, std::string_view token, std::string_view request_id) {
    auto body = json::serialize(json::object{{"level", 3}, {"months", 1}, {"request_id", request_id}});
    return server.post("/api/v1/rooms/1/guards", body, token);
}

// The first answer's body as its replay must read.
std::string as_replayed(const HttpReply& first) {
    auto body = first.body;
    const std::string fresh = R"("replayed":false)";
    auto at = body.find(fresh);
    EXPECT_NE(at, std::string::npos) << body;
    return at == std::string::npos ? body : body.replace(at, fresh.size(), R"("replayed":true)");
}

std::uint64_t marker(const TestServer& server) {
    return server.send_danmaku("marker", server.bot_token());
}

std::size_t count_cmd(PacketClient& watcher, const TestServer& server, std::string_view cmd) {
    return with_cmd(pushes_until(watcher, marker(server)), cmd).size();
}

TEST(ReplayAnswer, ARetryOfEachPurchaseGetsTheFirstAnswerByteForByte) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000'000, "grant");

    auto first_gift = gift(server, alice, "g-1");
    auto first_chat = super_chat(server, alice, "sc-1");
    auto first_guard = guard(server, alice, "guard-1");
    for (const auto* first : {&first_gift, &first_chat, &first_guard}) {
        ASSERT_EQ(first->code(), 0) << first->body;
        EXPECT_GT(int_field(data_of(*first), "seq"), 0) << first->body;
    }
    EXPECT_EQ(int_field(data_of(first_gift), "gift_number"), 2);
    EXPECT_EQ(int_field(data_of(first_gift), "combo_count"), 1);

    EXPECT_EQ(gift(server, alice, "g-1").body, as_replayed(first_gift));
    EXPECT_EQ(super_chat(server, alice, "sc-1").body, as_replayed(first_chat));
    EXPECT_EQ(guard(server, alice, "guard-1").body, as_replayed(first_guard));
    // Again, once the first answers are surely durable in the ledger.
    EXPECT_EQ(gift(server, alice, "g-1").body, as_replayed(first_gift));

    auto pushes = pushes_until(*watcher, marker(server));
    EXPECT_EQ(with_cmd(pushes, "SEND_GIFT").size(), 1U);
    EXPECT_EQ(with_cmd(pushes, "SUPER_CHAT_MESSAGE").size(), 1U);
    EXPECT_EQ(with_cmd(pushes, "GUARD_BUY").size(), 1U);
}

TEST(ReplayAnswer, ConcurrentCopiesShowOneEventAndAllAnswerWithIt) {
    TestServer server;
    auto watcher = server.join(Transport::tcp, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 100'000, "grant");

    constexpr int kThreads = 8;
    std::vector<HttpReply> replies(kThreads);
    std::vector<std::jthread> threads;
    std::atomic<int> ready{0};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            ready.fetch_add(1);
            while (ready.load() < kThreads) {
                std::this_thread::yield();
            }
            replies[i] = gift(server, alice, "burst", 3);
        });
    }
    threads.clear();  // joins
    const HttpReply* first = nullptr;
    for (const auto& reply : replies) {
        ASSERT_EQ(reply.code(), 0) << reply.body;
        if (!data_of(reply).at("replayed").as_bool()) {
            EXPECT_EQ(first, nullptr) << "two copies did the work";
            first = &reply;
        }
    }
    ASSERT_NE(first, nullptr);
    EXPECT_GT(int_field(data_of(*first), "seq"), 0);
    for (const auto& reply : replies) {
        if (&reply != first) {
            EXPECT_EQ(reply.body, as_replayed(*first));
        }
    }
    EXPECT_EQ(count_cmd(*watcher, server, "SEND_GIFT"), 1U);
    EXPECT_EQ(wallet_balance(server, alice), 97'000);
}

TEST(ReplayAnswer, AfterARestartTheFirstAnswerStands) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000'000, "grant");
    auto first_gift = gift(server, alice, "g-1");
    auto first_chat = super_chat(server, alice, "sc-1");
    auto first_guard = guard(server, alice, "guard-1");

    server.restart();

    auto watcher = server.join(Transport::ws, AuthBody().str());
    EXPECT_EQ(gift(server, alice, "g-1").body, as_replayed(first_gift));
    EXPECT_EQ(super_chat(server, alice, "sc-1").body, as_replayed(first_chat));
    EXPECT_EQ(guard(server, alice, "guard-1").body, as_replayed(first_guard));
    auto pushes = pushes_until(*watcher, marker(server));
    EXPECT_TRUE(with_cmd(pushes, "SEND_GIFT").empty());
    EXPECT_TRUE(with_cmd(pushes, "SUPER_CHAT_MESSAGE").empty());
    EXPECT_TRUE(with_cmd(pushes, "GUARD_BUY").empty());
}

TEST(ReplayAnswer, AnEventNeverShownIsShownByTheFirstRetryAndOnlyByIt) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000'000, "grant");
    auto first_gift = data_of(gift(server, alice, "g-1"));
    auto first_guard = data_of(guard(server, alice, "guard-1"));
    server.stop();
    // As if the process had died after the commits, before the events were shown.
    execute_sql(server.data_dir(), "UPDATE requests SET annotation = NULL");
    server.restart();
    auto watcher = server.join(Transport::ws, AuthBody().str());

    auto shown = gift(server, alice, "g-1");
    auto shown_data = data_of(shown);
    EXPECT_TRUE(shown_data.at("replayed").as_bool());
    EXPECT_EQ(int_field(shown_data, "order_id"), int_field(first_gift, "order_id"));
    EXPECT_EQ(int_field(shown_data, "balance"), int_field(first_gift, "balance"));
    EXPECT_EQ(int_field(shown_data, "gift_number"), 2) << "from the order's own counters";
    EXPECT_GT(int_field(shown_data, "seq"), 0);
    // The membership was rebuilt from the journal: showing the purchase extends nothing.
    auto guard_data = data_of(guard(server, alice, "guard-1"));
    EXPECT_EQ(int_field(guard_data, "end_ms"), int_field(first_guard, "end_ms"));

    EXPECT_EQ(gift(server, alice, "g-1").body, shown.body);
    auto pushes = pushes_until(*watcher, marker(server));
    auto gifts = with_cmd(pushes, "SEND_GIFT");
    ASSERT_EQ(gifts.size(), 1U);
    EXPECT_EQ(int_field(gifts[0], "seq"), int_field(shown_data, "seq"));
    EXPECT_EQ(with_cmd(pushes, "GUARD_BUY").size(), 1U);

    // ... and a restart keeps what the retry answered.
    server.restart();
    EXPECT_EQ(gift(server, alice, "g-1").body, shown.body);
}

TEST(ReplayAnswer, ARefundedPurchaseWhoseEventWasNeverShownStaysUnshown) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000'000, "grant");
    auto bought = data_of(guard(server, alice, "guard-1"));
    server.stop();
    execute_sql(server.data_dir(), "UPDATE requests SET annotation = NULL");
    server.restart();
    auto refund = json::serialize(json::object{{"order_id", int_field(bought, "order_id")}, {"reason", "test"}});
    ASSERT_EQ(server.post("/api/v1/admin/refunds", refund, server.admin_token()).code(), 0);
    auto web = server.join(Transport::ws, AuthBody().str());

    auto retried = data_of(guard(server, alice, "guard-1"));
    EXPECT_TRUE(retried.at("replayed").as_bool());
    EXPECT_EQ(int_field(retried, "seq"), 0) << "the money went back: nothing to show";
    EXPECT_FALSE(retried.contains("end_ms"));
    EXPECT_EQ(shown_guard_level(server, *web, alice), 0) << "and no membership came back";
    EXPECT_TRUE(with_cmd(pushes_until(*web, marker(server)), "GUARD_BUY").empty());
}

}  // namespace
}  // namespace barrage::test
