// Rooms that charge for danmaku: a send without a request id is refused with payment_required,
// a paid one is charged once and shown once (a retry answers the first sequence), over HTTP and
// over the long connection; free rooms never charge.

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

constexpr std::uint64_t kPaidRoom = 2;
constexpr std::int64_t kPrice = 500;

void paid_room(app::Config& config) {
    config.rooms.push_back({RoomId{kPaidRoom}, "paid", kStreamer, {kManager}, kPrice, 500});
}

HttpReply say(const TestServer& server, std::string_view token, std::string_view text, std::string_view request_id,
              std::uint64_t room = kPaidRoom) {
    json::object body{{"msg", text}};
    if (!request_id.empty()) {
        body["request_id"] = request_id;
    }
    return server.post(fmt::format("/api/v1/rooms/{}/danmaku", room), json::serialize(body), token);
}

// In a paid room even the bot pays: the marker is a paid danmaku with a fresh request id.
std::uint64_t marker(const TestServer& server) {
    static int next = 0;
    return static_cast<std::uint64_t>(
        int_field(data_of(say(server, server.bot_token(), "marker", fmt::format("marker-{}", next++))), "seq"));
}

std::vector<std::string> texts(const std::vector<json::object>& pushes) {
    std::vector<std::string> out;
    for (const auto& push : with_cmd(pushes, "DANMU_MSG")) {
        out.push_back(danmaku_text(json::value(push)));
    }
    return out;
}

TEST(PaidDanmaku, WithoutRequestIdIsPaymentRequired) {
    TestServer server(paid_room);
    auto watcher = server.join(Transport::ws, AuthBody(kPaidRoom).str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000, "grant-alice");
    grant(server, kBot, 10'000, "grant-bot");

    auto refused = say(server, alice, "free ride?", "");
    EXPECT_EQ(refused.status, 402U) << refused.body;
    EXPECT_EQ(refused.code(), static_cast<int>(Errc::payment_required));
    EXPECT_EQ(wallet_balance(server, alice), 1'000);
    EXPECT_EQ(texts(pushes_until(*watcher, marker(server))), (std::vector<std::string>{"marker"}));
}

TEST(PaidDanmaku, PaidOnceShownOnceAndRetryAnswersTheFirstSequence) {
    TestServer server(paid_room);
    auto watcher = server.join(Transport::ws, AuthBody(kPaidRoom).str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'200, "grant-alice");
    grant(server, kBot, 10'000, "grant-bot");

    auto first = data_of(say(server, alice, "worth it", "d-1"));
    EXPECT_GT(int_field(first, "seq"), 0);
    EXPECT_EQ(wallet_balance(server, alice), 700);
    auto retry = data_of(say(server, alice, "worth it", "d-1"));
    EXPECT_EQ(int_field(retry, "seq"), int_field(first, "seq")) << "a retry is not shown again";
    EXPECT_EQ(wallet_balance(server, alice), 700);

    auto conflict = say(server, alice, "something else", "d-1");
    EXPECT_EQ(conflict.status, 409U) << conflict.body;
    EXPECT_EQ(conflict.code(), static_cast<int>(Errc::request_conflict));
    auto second = data_of(say(server, alice, "again", "d-2"));
    EXPECT_GT(int_field(second, "seq"), int_field(first, "seq"));
    EXPECT_EQ(wallet_balance(server, alice), 200);
    auto broke = say(server, alice, "one more", "d-3");
    EXPECT_EQ(broke.status, 402U) << broke.body;
    EXPECT_EQ(broke.code(), static_cast<int>(Errc::insufficient_balance));
    EXPECT_EQ(wallet_balance(server, alice), 200);

    EXPECT_EQ(texts(pushes_until(*watcher, marker(server))), (std::vector<std::string>{"worth it", "again", "marker"}));

    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(accounts[std::pair(kEarningsAccount, kStreamer.value)], 3 * kPrice / 2);  // alice twice, the bot once
    EXPECT_EQ(accounts[std::pair(kPlatformAccount, std::uint64_t{0})], 3 * kPrice / 2);
    EXPECT_EQ(balance_sum(accounts), 0);
}

TEST(PaidDanmaku, LongConnectionSendsPayTheSameWay) {
    TestServer server(paid_room);
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000, "grant-alice");
    grant(server, kBot, 10'000, "grant-bot");
    auto client = server.join(Transport::tcp, AuthBody(kPaidRoom).key(alice).str());
    // Replies are taken, not waited for with the pushes skipped: the paid danmaku's own push
    // may come before the reply to its retry, and it is counted below.

    client->send_message(R"({"msg":"unpaid"})", 1);
    auto unpaid = parse_object(client->take_operation(wire::Operation::send_reply).packet.body);
    EXPECT_EQ(int_field(unpaid, "code"), static_cast<int>(Errc::payment_required));

    client->send_message(R"({"msg":"paid","request_id":"ws-1"})", 2);
    auto paid = parse_object(client->take_operation(wire::Operation::send_reply).packet.body);
    ASSERT_EQ(int_field(paid, "code"), 0) << json::serialize(paid);
    EXPECT_GT(int_field(paid.at("data").as_object(), "seq"), 0);
    client->send_message(R"({"msg":"paid","request_id":"ws-1"})", 3);
    auto retried = parse_object(client->take_operation(wire::Operation::send_reply).packet.body);
    EXPECT_EQ(int_field(retried, "code"), 0);
    EXPECT_EQ(int_field(retried.at("data").as_object(), "seq"), int_field(paid.at("data").as_object(), "seq"));

    EXPECT_EQ(wallet_balance(server, alice), 1'000 - kPrice);
    EXPECT_EQ(texts(pushes_until(*client, marker(server))), (std::vector<std::string>{"paid", "marker"}));
}

TEST(PaidDanmaku, FreeRoomsNeverCharge) {
    TestServer server(paid_room);
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000, "grant-alice");
    auto data = data_of(say(server, alice, "free here", "f-1", 1));
    EXPECT_GT(int_field(data, "seq"), 0);
    EXPECT_EQ(wallet_balance(server, alice), 1'000);
    EXPECT_TRUE(wallet(server, alice).at("entries").as_array().size() == 1) << "only the grant";
}

TEST(PaidDanmaku, AnonymousAndForgedSendersPayNothing) {
    TestServer server(paid_room);
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000, "grant-alice");
    // Its uid is not 0: tokens name users 1..identity::kUidMax.
    auto anonymous = say(server, server.token(UserId{77}, "", message::Role::anonymous), "hi", "an-1");
    EXPECT_EQ(anonymous.code(), static_cast<int>(Errc::anonymous_read_only)) << anonymous.body;
    auto forged = say(server, server.forged_token(), "hi", "fo-1");
    EXPECT_EQ(forged.status, 401U);
    auto none = say(server, "", "hi", "no-1");
    EXPECT_EQ(none.status, 401U);
    EXPECT_EQ(wallet_balance(server, alice), 1'000);
    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    auto accounts = read_accounts(server.data_dir());
    EXPECT_FALSE(accounts.contains(std::pair(kEarningsAccount, kStreamer.value)));
    EXPECT_FALSE(accounts.contains(std::pair(kPlatformAccount, std::uint64_t{0})));
}

}  // namespace
}  // namespace barrage::test
