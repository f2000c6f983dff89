// Refunds: an operator's decision, recorded as a new order that reverses every leg of a
// purchase. The original rows never change, and an order is refunded at most once. A refund
// also takes the purchase out of what it counted toward: leaderboards, gift numbers, guard
// memberships (live and after a restart) and pinned super chats.

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/http_client.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

HttpReply refund(const TestServer& server, std::string_view token, std::int64_t order_id) {
    auto body = json::serialize(json::object{{"order_id", order_id}, {"reason", "test refund"}});
    return server.post("/api/v1/admin/refunds", body, token);
}

HttpReply send_gift(const TestServer& server, std::string_view token, int count, std::string_view request_id) {
    auto body = json::serialize(json::object{{"gift_id", 3}, {"count", count}, {"request_id", request_id}});
    return server.post("/api/v1/rooms/1/gifts", body, token);
}

// Two flowers (gift 3, 1000 coins each); the order id.
std::int64_t send_flowers(const TestServer& server, std::string_view token, std::string_view request_id) {
    return data_of(send_gift(server, token, 2, request_id)).at("order_id").to_number<std::int64_t>();
}

HttpReply buy_guard(const TestServer& server, std::string_view token, int level, std::string_view request_id) {
    auto body = json::serialize(json::object{{"level", level}, {"months", 1}, {"request_id", request_id}});
    return server.post("/api/v1/rooms/1/guards", body, token);
}

HttpReply buy_super_chat(const TestServer& server, std::string_view token, std::string_view request_id) {
    auto body = json::serialize(json::object{{"price_yuan", 50}, {"message", "pin me"}, {"request_id", request_id}});
    return server.post("/api/v1/rooms/1/super-chats", body, token);
}

HttpReply unpin(const TestServer& server, std::string_view token, std::int64_t id) {
    return http_delete(server.http_port(), fmt::format("/api/v1/rooms/1/super-chats/{}", id), token);
}

std::int64_t shown_level(const TestServer& server, PacketClient& watcher, std::string_view token) {
    return shown_guard_level(server, watcher, token);
}

constexpr std::int64_t kMonthMs = 30LL * 24 * 60 * 60 * 1000;

TEST(Refund, ReversesEveryLegOnceAndKeepsTheOriginalRows) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant-r1");
    auto order = send_flowers(server, alice, "gift-r1");
    ASSERT_EQ(wallet_balance(server, alice), 8'000);

    auto first = refund(server, server.admin_token(), order);
    ASSERT_EQ(first.code(), 0) << first.body;
    EXPECT_FALSE(data_of(first).at("replayed").as_bool());
    EXPECT_EQ(wallet_balance(server, alice), 10'000);

    // Asking again refunds nothing more.
    auto again = refund(server, server.admin_token(), order);
    ASSERT_EQ(again.code(), 0) << again.body;
    EXPECT_TRUE(data_of(again).at("replayed").as_bool());
    EXPECT_EQ(wallet_balance(server, alice), 10'000);

    server.stop();
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(balance_sum(accounts), 0);
    EXPECT_EQ((accounts[{kEarningsAccount, kStreamer.value}]), 0);
    EXPECT_EQ((accounts[{kPlatformAccount, 0}]), 0);
    // The purchase's two legs are still there, and two refund legs (code 11) mirror them.
    int purchase_legs = 0;
    int refund_legs = 0;
    for (const auto& row : read_journal(server.data_dir())) {
        purchase_legs += row.order_id == order ? 1 : 0;
        refund_legs += row.code == 11 ? 1 : 0;
    }
    EXPECT_EQ(purchase_legs, 2);
    EXPECT_EQ(refund_legs, 2);
}

TEST(Refund, OnlyAdminsOnlyExistingOrders) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant-r2");
    auto order = send_flowers(server, alice, "gift-r2");

    auto viewer = refund(server, alice, order);
    EXPECT_EQ(viewer.status, 403U);
    EXPECT_EQ(viewer.code(), static_cast<int>(Errc::forbidden));
    EXPECT_EQ(refund(server, "", order).status, 401U);

    auto unknown = refund(server, server.admin_token(), 999'999);
    EXPECT_EQ(unknown.status, 404U);
    EXPECT_EQ(wallet_balance(server, alice), 8'000);
}

TEST(Refund, AnOrderWhoseRowsCannotAllBeReadIsNotRefunded) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant-r3");
    auto order = send_flowers(server, alice, "gift-r3");
    server.stop();
    // The platform's leg no longer reads back as a leg: refunding only the host's share would
    // take the order out of reach for good (a refund is once per order).
    execute_sql(server.data_dir(),
                fmt::format("UPDATE journal SET credit_kind = 99 WHERE order_id = {} AND leg = 1", order));
    server.restart();

    auto refused = refund(server, server.admin_token(), order);
    EXPECT_EQ(refused.status, 503U) << refused.body;
    EXPECT_EQ(refused.code(), static_cast<int>(Errc::ledger_unavailable));
    server.stop();
    // (The wallet's journal page would not read either: the balances tell.)
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ((accounts[{kWalletAccount, kAlice.value}]), 8'000);
    EXPECT_EQ((accounts[{kEarningsAccount, kStreamer.value}]), 1'000);
}

TEST(Refund, KeepsTheOrdersRoomItemAndCountOnItsRows) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant-r4");
    auto order = send_flowers(server, alice, "gift-r4");
    auto refunded = data_of(refund(server, server.admin_token(), order));
    server.stop();
    int refund_rows = 0;
    for (const auto& row : read_journal(server.data_dir())) {
        if (row.order_id == refunded.at("order_id").to_number<std::int64_t>()) {
            ++refund_rows;
            EXPECT_EQ(row.code, 11);
            EXPECT_EQ(row.reverses, order);
            EXPECT_EQ(row.room, 1U);
            EXPECT_EQ(row.item, 3U) << "the gift id";
            EXPECT_EQ(row.count, 2);
        }
    }
    EXPECT_EQ(refund_rows, 2);
}

TEST(Refund, TakesAGiftOutOfTheBoardsAndTheGiftNumber) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant-r5");
    auto refunded = send_flowers(server, alice, "gift-r5");  // 2 flowers
    send_flowers(server, alice, "gift-r6");                  // 2 more: gift number 4
    ASSERT_EQ(leaderboard(server, 1, "day"), (std::vector<BoardEntry>{{kAlice.value, 4'000}}));
    ASSERT_EQ(refund(server, server.admin_token(), refunded).code(), 0);

    EXPECT_EQ(leaderboard(server, 1, "day"), (std::vector<BoardEntry>{{kAlice.value, 2'000}}));
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, 2'000}}));
    auto next = send_gift(server, alice, 1, "gift-r7");
    EXPECT_EQ(int_field(data_of(next), "gift_number"), 3) << "two counted, one more";
    // A board entry refunded to nothing is no entry.
    auto bob = server.viewer_token(kBob, "bob");
    grant(server, kBob, 1'000, "grant-bob");
    auto bobs = send_gift(server, bob, 1, "bob-1");
    ASSERT_EQ(refund(server, server.admin_token(), int_field(data_of(bobs), "order_id")).code(), 0);
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, 3'000}}));
}

TEST(Refund, OfAGuardPurchaseTakesItsMonthsAndRankAwayLiveAndAfterARestart) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000'000, "grant-g");
    auto captain = data_of(buy_guard(server, alice, 3, "captain"));
    auto admiral = data_of(buy_guard(server, alice, 2, "admiral"));
    EXPECT_EQ(int_field(admiral, "end_ms"), int_field(captain, "end_ms") + kMonthMs);
    auto web = server.join(Transport::ws, AuthBody().str());
    EXPECT_EQ(shown_level(server, *web, alice), 2);

    ASSERT_EQ(refund(server, server.admin_token(), int_field(admiral, "order_id")).code(), 0);
    EXPECT_EQ(shown_level(server, *web, alice), 3) << "the admiral month is gone";
    // The next month starts where the captain month ends, not the refunded one.
    auto renewed = data_of(buy_guard(server, alice, 3, "renewal"));
    EXPECT_EQ(int_field(renewed, "end_ms"), int_field(captain, "end_ms") + kMonthMs);

    server.restart();
    web = server.join(Transport::ws, AuthBody().str());
    EXPECT_EQ(shown_level(server, *web, alice), 3);
    ASSERT_EQ(refund(server, server.admin_token(), int_field(captain, "order_id")).code(), 0);
    ASSERT_EQ(refund(server, server.admin_token(), int_field(renewed, "order_id")).code(), 0);
    EXPECT_EQ(shown_level(server, *web, alice), 0) << "nothing left bought";
    server.restart();
    web = server.join(Transport::ws, AuthBody().str());
    EXPECT_EQ(shown_level(server, *web, alice), 0);
}

TEST(Refund, UnpinsASuperChatWithTheRoomsDeleteEvent) {
    TestServer server;
    auto web = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 100'000, "grant-sc");
    auto bought = data_of(buy_super_chat(server, alice, "sc-1"));
    auto id = int_field(bought, "super_chat_id");
    ASSERT_EQ(refund(server, server.admin_token(), int_field(bought, "order_id")).code(), 0);

    auto deletes =
        with_cmd(pushes_until(*web, server.send_danmaku("marker", server.bot_token())), "SUPER_CHAT_MESSAGE_DELETE");
    ASSERT_EQ(deletes.size(), 1U);
    auto ids = deletes[0].at("data").as_object().at("ids").as_array();
    ASSERT_EQ(ids.size(), 1U);
    EXPECT_EQ(ids[0].to_number<std::int64_t>(), id);
    // No longer pinned, now or after a restart: a manager has nothing left to remove.
    auto manager = server.token(kManager, "manager", message::Role::manager);
    EXPECT_EQ(unpin(server, manager, id).code(), static_cast<int>(Errc::unknown_super_chat));
    server.restart();
    EXPECT_EQ(unpin(server, manager, id).code(), static_cast<int>(Errc::unknown_super_chat));
}

TEST(Refund, OnlyPurchasesAreRefundable) {
    TestServer server;
    auto alice = server.viewer_token();
    auto granted = grant(server, kAlice, 10'000, "grant-r8");
    auto order = send_flowers(server, alice, "gift-r8");
    auto refunded = data_of(refund(server, server.admin_token(), order));

    for (auto target :
         {granted.at("order_id").to_number<std::int64_t>(), refunded.at("order_id").to_number<std::int64_t>()}) {
        auto refused = refund(server, server.admin_token(), target);
        EXPECT_EQ(refused.status, 409U) << refused.body;
        EXPECT_EQ(refused.code(), static_cast<int>(Errc::not_refundable)) << refused.body;
    }
    EXPECT_EQ(wallet_balance(server, alice), 10'000);
}

}  // namespace
}  // namespace barrage::test
