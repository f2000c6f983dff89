// Refunds: an operator's decision, recorded as a new order that reverses every leg of a
// purchase. The original rows never change, and an order is refunded at most once.

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

HttpReply refund(const TestServer& server, std::string_view token, std::int64_t order_id) {
    auto body = json::serialize(json::object{{"order_id", order_id}, {"reason", "test refund"}});
    return server.post("/api/v1/admin/refunds", body, token);
}

std::int64_t send_flowers(const TestServer& server, std::string_view token, std::string_view request_id) {
    auto body = json::serialize(json::object{{"gift_id", 3}, {"count", 2}, {"request_id", request_id}});
    auto reply = server.post("/api/v1/rooms/1/gifts", body, token);
    return data_of(reply).at("order_id").to_number<std::int64_t>();
}

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

TEST(Refund, OnlyAdminsOnlyPurchasesOnlyExistingOrders) {
    TestServer server;
    auto alice = server.viewer_token();
    auto granted = grant(server, kAlice, 10'000, "grant-r2");
    auto order = send_flowers(server, alice, "gift-r2");

    auto viewer = refund(server, alice, order);
    EXPECT_EQ(viewer.status, 403U);
    EXPECT_EQ(viewer.code(), static_cast<int>(Errc::forbidden));
    EXPECT_EQ(refund(server, "", order).status, 401U);

    auto unknown = refund(server, server.admin_token(), 999'999);
    EXPECT_EQ(unknown.status, 404U);
    // A grant is not a purchase: it is not refunded this way.
    auto grant_order = granted.at("order_id").to_number<std::int64_t>();
    auto not_purchase = refund(server, server.admin_token(), grant_order);
    EXPECT_EQ(not_purchase.status, 400U);
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

}  // namespace
}  // namespace barrage::test
