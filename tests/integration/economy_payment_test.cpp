// Top-ups and grants over HTTP: payment orders, the provider's signed callback (credited once,
// redeliveries answered as duplicates, bad signatures, stale timestamps and foreign orders
// refused), and audited admin grants.

#include <cctype>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kSecret = "provider-secret";

void with_secret(app::Config& config) {
    config.payments.secret = std::string(kSecret);
}

std::string now_s() {
    return std::to_string(SystemClock().wall_ms() / 1000);
}

std::string order(const TestServer& server, std::string_view token, std::int64_t coins) {
    auto data = data_of(server.post("/api/v1/payments/orders", json::serialize(json::object{{"coins", coins}}), token));
    return std::string(data.at("order_id").as_string());
}

std::string paid(std::string_view order_id, UserId uid, std::int64_t coins, std::string_view status = "paid") {
    return json::serialize(
        json::object{{"order_id", order_id}, {"uid", uid.value}, {"coins", coins}, {"status", status}});
}

void expect_refused(const HttpReply& reply, unsigned status, Errc code, std::string_view what) {
    EXPECT_EQ(reply.status, status) << what << ": " << reply.body;
    EXPECT_EQ(reply.code(), static_cast<int>(code)) << what << ": " << reply.body;
}

TEST(PaymentCallback, PaidOrderCreditsOnceAndRedeliveryIsADuplicate) {
    TestServer server(with_secret);
    auto alice = server.viewer_token();
    auto id = order(server, alice, 5'000);

    auto first = data_of(payment_callback(server, kSecret, now_s(), paid(id, kAlice, 5'000)));
    EXPECT_FALSE(first.at("duplicate").as_bool());
    EXPECT_EQ(int_field(first, "balance"), 5'000);
    EXPECT_EQ(first.at("order_id").as_string(), id);
    for (int i = 0; i < 3; ++i) {
        auto again = data_of(payment_callback(server, kSecret, now_s(), paid(id, kAlice, 5'000)));
        EXPECT_TRUE(again.at("duplicate").as_bool());
        EXPECT_EQ(int_field(again, "ledger_order_id"), int_field(first, "ledger_order_id"));
    }
    auto view = wallet(server, alice);
    EXPECT_EQ(int_field(view, "balance"), 5'000);
    const auto& entries = view.at("entries").as_array();
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(int_field(entries[0].as_object(), "amount"), 5'000);

    // A second order of the same amount is another payment.
    auto second = order(server, alice, 5'000);
    EXPECT_NE(second, id);
    EXPECT_EQ(int_field(data_of(payment_callback(server, kSecret, now_s(), paid(second, kAlice, 5'000))), "balance"),
              10'000);
    // The coins are spendable.
    auto gift = server.post("/api/v1/rooms/1/gifts", R"({"gift_id":3,"count":10,"request_id":"spend"})", alice);
    EXPECT_EQ(int_field(data_of(gift), "balance"), 0);

    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(accounts[std::pair(kExternalAccount, std::uint64_t{0})], -10'000);
    EXPECT_EQ(balance_sum(accounts), 0);
}

TEST(PaymentCallback, BadSignaturesAreRefusedAndCreditNothing) {
    TestServer server(with_secret);
    auto alice = server.viewer_token();
    auto id = order(server, alice, 5'000);
    auto body = paid(id, kAlice, 5'000);
    auto timestamp = now_s();
    auto port = server.http_port();
    auto post = [&](const HttpHeaders& headers, std::string_view sent) {
        return http_request(port, "POST", "/api/v1/payments/callback", sent, {}, headers);
    };
    auto good = hmac_sha256_hex(kSecret, timestamp + "." + body);
    auto upper = good;
    for (auto& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }

    expect_refused(payment_callback(server, "not-the-secret", timestamp, body), 401, Errc::bad_payment_signature,
                   "other secret");
    expect_refused(post({{"X-Payment-Timestamp", timestamp}, {"X-Payment-Signature", good}}, paid(id, kAlice, 50'000)),
                   401, Errc::bad_payment_signature, "body changed after signing");
    expect_refused(
        post({{"X-Payment-Timestamp", std::to_string(std::stoll(timestamp) + 1)}, {"X-Payment-Signature", good}}, body),
        401, Errc::bad_payment_signature, "timestamp changed after signing");
    expect_refused(post({{"X-Payment-Timestamp", timestamp}}, body), 401, Errc::bad_payment_signature, "no signature");
    expect_refused(post({}, body), 401, Errc::bad_payment_signature, "no headers");
    expect_refused(post({{"X-Payment-Timestamp", timestamp}, {"X-Payment-Signature", upper}}, body), 401,
                   Errc::bad_payment_signature, "uppercase hex");
    expect_refused(post({{"X-Payment-Timestamp", timestamp}, {"X-Payment-Signature", good.substr(0, 32)}}, body), 401,
                   Errc::bad_payment_signature, "truncated");
    EXPECT_EQ(wallet_balance(server, alice), 0);

    // The genuine callback still credits afterwards.
    EXPECT_EQ(
        int_field(data_of(post({{"X-Payment-Timestamp", timestamp}, {"X-Payment-Signature", good}}, body)), "balance"),
        5'000);
}

TEST(PaymentCallback, WithoutAConfiguredSecretEveryCallbackIsRefused) {
    TestServer server;  // payments.secret left empty
    auto alice = server.viewer_token();
    auto id = order(server, alice, 5'000);
    expect_refused(payment_callback(server, "", now_s(), paid(id, kAlice, 5'000)), 401, Errc::bad_payment_signature,
                   "empty secret");
    EXPECT_EQ(wallet_balance(server, alice), 0);
}

TEST(PaymentCallback, StaleOrFutureTimestampsAreReplays) {
    TestServer server(with_secret);
    auto alice = server.viewer_token();
    auto id = order(server, alice, 5'000);
    auto body = paid(id, kAlice, 5'000);
    auto now = SystemClock().wall_ms() / 1000;
    expect_refused(payment_callback(server, kSecret, std::to_string(now - 600), body), 409, Errc::payment_replayed,
                   "ten minutes old");
    expect_refused(payment_callback(server, kSecret, std::to_string(now + 600), body), 409, Errc::payment_replayed,
                   "ten minutes ahead");
    expect_refused(payment_callback(server, kSecret, "soon", body), 409, Errc::payment_replayed, "not a number");
    EXPECT_EQ(wallet_balance(server, alice), 0);
    // Within the window (300 s) either way is accepted.
    EXPECT_EQ(int_field(data_of(payment_callback(server, kSecret, std::to_string(now - 60), body)), "balance"), 5'000);
}

TEST(PaymentCallback, OrdersWeNeverIssuedOrForOtherUsersOrAmountsAreUnknown) {
    TestServer server(with_secret);
    auto alice = server.viewer_token();
    auto bob = server.viewer_token(kBob, "bob");
    auto id = order(server, alice, 5'000);
    auto timestamp = now_s();
    auto tampered = id;
    tampered.back() = tampered.back() == '0' ? '1' : '0';

    expect_refused(payment_callback(server, kSecret, timestamp, paid(id, kBob, 5'000)), 404, Errc::unknown_order,
                   "another user");
    expect_refused(payment_callback(server, kSecret, timestamp, paid(id, kAlice, 6'000)), 404, Errc::unknown_order,
                   "another amount");
    expect_refused(payment_callback(server, kSecret, timestamp, paid(tampered, kAlice, 5'000)), 404,
                   Errc::unknown_order, "forged mac");
    expect_refused(
        payment_callback(server, kSecret, timestamp, paid("3.5000.0011223344556677.0011223344556677", kAlice, 5'000)),
        404, Errc::unknown_order, "invented");
    expect_refused(payment_callback(server, kSecret, timestamp, paid("anything", kAlice, 5'000)), 404,
                   Errc::unknown_order, "not an order id");
    expect_refused(payment_callback(server, kSecret, timestamp, paid(id, kAlice, 5'000, "failed")), 400,
                   Errc::bad_request, "not paid");
    expect_refused(payment_callback(server, kSecret, timestamp, paid(id, kAlice, 0)), 400, Errc::bad_amount,
                   "zero coins");
    expect_refused(payment_callback(server, kSecret, timestamp, R"({"order_id":)"), 400, Errc::bad_request, "not JSON");
    EXPECT_EQ(wallet_balance(server, alice), 0);
    EXPECT_EQ(wallet_balance(server, bob), 0);
}

TEST(PaymentOrders, NeedAUserAndASensibleAmount) {
    TestServer server(with_secret);
    auto alice = server.viewer_token();
    expect_refused(server.post("/api/v1/payments/orders", R"({"coins":100})"), 401, Errc::unauthenticated, "no token");
    expect_refused(server.post("/api/v1/payments/orders", R"({"coins":0})", alice), 400, Errc::bad_amount, "zero");
    expect_refused(server.post("/api/v1/payments/orders", R"({"coins":100000001})", alice), 400, Errc::bad_amount,
                   "over the top-up maximum");
    expect_refused(server.post("/api/v1/payments/orders", R"({"coins":"100"})", alice), 400, Errc::bad_amount,
                   "a string");
    auto data = data_of(server.post("/api/v1/payments/orders", R"({"coins":100000000})", alice));
    EXPECT_EQ(int_field(data, "uid"), static_cast<std::int64_t>(kAlice.value));
    EXPECT_EQ(int_field(data, "coins"), 100'000'000);
}

TEST(AdminGrants, OnlyAdminsGrantOnceAndEveryGrantIsAudited) {
    TestServer server;
    auto alice = server.viewer_token();
    auto body = R"({"uid":3,"coins":700,"reason":"contest prize","request_id":"prize-1"})";
    expect_refused(server.post("/api/v1/admin/grants", body, alice), 403, Errc::forbidden, "viewer");
    expect_refused(server.post("/api/v1/admin/grants", body, server.bot_token()), 403, Errc::forbidden, "bot");
    expect_refused(server.post("/api/v1/admin/grants", body), 401, Errc::unauthenticated, "no token");
    expect_refused(server.post("/api/v1/admin/grants", body, server.forged_token()), 401, Errc::token_bad_signature,
                   "forged admin");
    auto admin = server.admin_token();
    expect_refused(server.post("/api/v1/admin/grants", R"({"uid":3,"coins":700,"reason":"","request_id":"p"})", admin),
                   400, Errc::bad_request, "no reason");
    expect_refused(server.post("/api/v1/admin/grants", R"({"uid":3,"coins":0,"reason":"r","request_id":"p"})", admin),
                   400, Errc::bad_amount, "zero coins");
    expect_refused(server.post("/api/v1/admin/grants", R"({"uid":0,"coins":7,"reason":"r","request_id":"p"})", admin),
                   400, Errc::bad_request, "uid 0");
    EXPECT_EQ(wallet_balance(server, alice), 0);

    auto granted = data_of(server.post("/api/v1/admin/grants", body, admin));
    EXPECT_FALSE(granted.at("replayed").as_bool());
    EXPECT_EQ(int_field(granted, "balance"), 700);
    auto again = data_of(server.post("/api/v1/admin/grants", body, admin));
    EXPECT_TRUE(again.at("replayed").as_bool());
    EXPECT_EQ(int_field(again, "order_id"), int_field(granted, "order_id"));
    expect_refused(server.post("/api/v1/admin/grants",
                               R"({"uid":3,"coins":701,"reason":"contest prize","request_id":"prize-1"})", admin),
                   409, Errc::request_conflict, "same id, other amount");
    EXPECT_EQ(wallet_balance(server, alice), 700);

    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    auto journal = read_journal(server.data_dir());
    ASSERT_EQ(journal.size(), 1U);
    EXPECT_EQ(journal[0].debit_kind, kExternalAccount);
    EXPECT_EQ(journal[0].credit_kind, kWalletAccount);
    EXPECT_EQ(journal[0].credit_owner, kAlice.value);
    EXPECT_EQ(journal[0].amount, 700);
    EXPECT_NE(journal[0].memo.find("uid 10"), std::string::npos) << journal[0].memo;
    EXPECT_NE(journal[0].memo.find("contest prize"), std::string::npos) << journal[0].memo;
}

}  // namespace
}  // namespace barrage::test
