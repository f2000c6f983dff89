// Super chats over HTTP: price tiers and their pinned time, text and price refusals that move
// nothing, idempotent retries, and removal by the room's staff (which never moves money).

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

constexpr std::int64_t kCoinsPerYuan = 1000;
constexpr std::int64_t kMinuteMs = 60'000;

HttpReply buy(const TestServer& server, std::string_view token, std::int64_t yuan, std::string_view text,
              std::string_view request_id, std::uint64_t room = 1) {
    auto body = json::serialize(json::object{{"price_yuan", yuan}, {"message", text}, {"request_id", request_id}});
    return server.post(fmt::format("/api/v1/rooms/{}/super-chats", room), body, token);
}

HttpReply unpin(const TestServer& server, std::string_view token, std::int64_t id, std::uint64_t room = 1) {
    return http_delete(server.http_port(), fmt::format("/api/v1/rooms/{}/super-chats/{}", room, id), token);
}

std::uint64_t marker(const TestServer& server) {
    return server.send_danmaku("marker", server.bot_token());
}

const json::object& data_object(const json::object& push) {
    return push.at("data").as_object();
}

TEST(SuperChatTiers, PriceSetsPinnedTimeAndEveryYuanIsCharged) {
    TestServer server;
    auto native = server.join(Transport::tcp, AuthBody().dialect("native").str());
    auto web = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 4'000'000, "grant");

    struct Tier {
        std::int64_t yuan;
        std::int64_t pinned_ms;
    };
    const Tier tiers[] = {{30, 1 * kMinuteMs},   {49, 1 * kMinuteMs},    {50, 2 * kMinuteMs},    {100, 5 * kMinuteMs},
                          {500, 30 * kMinuteMs}, {1000, 60 * kMinuteMs}, {2000, 120 * kMinuteMs}};
    std::vector<json::object> answers;
    std::int64_t spent = 0;
    for (const auto& tier : tiers) {
        auto data = data_of(
            buy(server, alice, tier.yuan, fmt::format("¥{} says hi", tier.yuan), fmt::format("sc-{}", tier.yuan)));
        spent += tier.yuan * kCoinsPerYuan;
        EXPECT_EQ(int_field(data, "balance"), 4'000'000 - spent) << tier.yuan;
        EXPECT_GT(int_field(data, "super_chat_id"), 0);
        answers.push_back(std::move(data));
    }
    EXPECT_EQ(wallet_balance(server, alice), 4'000'000 - 3'729'000);
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, 3'729'000}}));

    auto last = marker(server);
    auto chats = with_cmd(pushes_until(*native, last), "super_chat");
    ASSERT_EQ(chats.size(), std::size(tiers));
    for (std::size_t i = 0; i < chats.size(); ++i) {
        const auto& data = data_object(chats[i]);
        EXPECT_EQ(int_field(data, "end_ms") - int_field(data, "start_ms"), tiers[i].pinned_ms) << tiers[i].yuan;
        EXPECT_EQ(int_field(data, "price_yuan"), tiers[i].yuan);
        EXPECT_EQ(int_field(data, "price"), tiers[i].yuan * kCoinsPerYuan);
        EXPECT_EQ(data.at("text").as_string(), fmt::format("¥{} says hi", tiers[i].yuan));
        EXPECT_EQ(int_field(data, "id"), int_field(answers[i], "super_chat_id"));
        EXPECT_EQ(int_field(data, "end_ms"), int_field(answers[i], "end_ms"));
    }
    auto cards = with_cmd(pushes_until(*web, last), "SUPER_CHAT_MESSAGE");
    ASSERT_EQ(cards.size(), std::size(tiers));
    const auto& first = data_object(cards.front());
    EXPECT_EQ(int_field(first, "price"), 30);
    EXPECT_EQ(int_field(first, "end_time") - int_field(first, "start_time"), 60);
    EXPECT_EQ(first.at("message").as_string(), "¥30 says hi");
    EXPECT_EQ(int_field(first.at("user_info").as_object(), "guard_level"), 0);
    EXPECT_EQ(int_field(data_object(cards.back()), "end_time") - int_field(data_object(cards.back()), "start_time"),
              7'200);

    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(accounts[std::pair(kEarningsAccount, kStreamer.value)], 3'729'000 / 2);
    EXPECT_EQ(accounts[std::pair(kPlatformAccount, std::uint64_t{0})], 3'729'000 / 2);
    EXPECT_EQ(balance_sum(accounts), 0);
}

TEST(SuperChatRefusals, CheapEmptyLongAndUnaffordableChatsMoveNothing) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 40'000, "grant");

    std::string longest;
    for (int i = 0; i < 100; ++i) {
        longest += "醒";
    }
    struct Case {
        std::int64_t yuan;
        std::string text;
        std::uint64_t room;
        unsigned status;
        Errc code;
    };
    const Case cases[] = {
        {29, "almost", 1, 400, Errc::below_minimum_price},
        {0, "free", 1, 400, Errc::below_minimum_price},
        {-30, "negative", 1, 400, Errc::bad_request},
        {30, "", 1, 400, Errc::message_empty},
        {30, "   ", 1, 400, Errc::message_empty},
        {30, "tab\there", 1, 400, Errc::bad_request},
        {30, longest + "!", 1, 400, Errc::message_too_long},
        {30, "nowhere", 999, 404, Errc::unknown_room},
        {50, "too dear", 1, 402, Errc::insufficient_balance},
    };
    int n = 0;
    for (const auto& c : cases) {
        auto reply = buy(server, alice, c.yuan, c.text, fmt::format("bad-{}", n++), c.room);
        EXPECT_EQ(reply.status, c.status) << c.yuan << " " << c.text << " → " << reply.body;
        EXPECT_EQ(reply.code(), static_cast<int>(c.code)) << c.yuan << " " << c.text << " → " << reply.body;
    }
    auto missing = server.post("/api/v1/rooms/1/super-chats", R"({"price_yuan":30,"message":"no id"})", alice);
    EXPECT_EQ(missing.status, 400U);
    EXPECT_EQ(missing.code(), static_cast<int>(Errc::bad_request));
    EXPECT_EQ(wallet_balance(server, alice), 40'000);
    EXPECT_TRUE(with_cmd(pushes_until(*watcher, marker(server)), "SUPER_CHAT_MESSAGE").empty());

    // The longest text is accepted.
    auto accepted = data_of(buy(server, alice, 30, longest, "longest"));
    EXPECT_EQ(int_field(accepted, "balance"), 10'000);
}

TEST(SuperChatIdempotency, RetryChargesOncePinsOnceAndOtherContentConflicts) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 100'000, "grant");

    auto first = data_of(buy(server, alice, 30, "once", "sc-1"));
    auto again = data_of(buy(server, alice, 30, "once", "sc-1"));
    EXPECT_EQ(int_field(again, "order_id"), int_field(first, "order_id"));
    EXPECT_TRUE(again.at("replayed").as_bool());
    EXPECT_EQ(int_field(again, "balance"), 70'000);
    auto other_text = buy(server, alice, 30, "twice", "sc-1");
    EXPECT_EQ(other_text.status, 409U);
    EXPECT_EQ(other_text.code(), static_cast<int>(Errc::request_conflict));
    auto other_price = buy(server, alice, 31, "once", "sc-1");
    EXPECT_EQ(other_price.code(), static_cast<int>(Errc::request_conflict));
    EXPECT_EQ(wallet_balance(server, alice), 70'000);
    EXPECT_EQ(with_cmd(pushes_until(*watcher, marker(server)), "SUPER_CHAT_MESSAGE").size(), 1U);
}

TEST(SuperChatRemoval, StaffUnpinViewersCannotAndNoCoinMoves) {
    TestServer server;
    auto web = server.join(Transport::ws, AuthBody().str());
    auto native = server.join(Transport::tcp, AuthBody().dialect("native").str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 200'000, "grant");
    auto first = int_field(data_of(buy(server, alice, 30, "first", "sc-1")), "super_chat_id");
    auto second = int_field(data_of(buy(server, alice, 50, "second", "sc-2")), "super_chat_id");
    auto third = int_field(data_of(buy(server, alice, 100, "third", "sc-3")), "super_chat_id");
    const std::int64_t balance = 200'000 - 180'000;
    ASSERT_EQ(wallet_balance(server, alice), balance);

    // Viewers, the buyer included, may not unpin; nor may anyone without a valid token.
    for (const auto& token : {server.viewer_token(kBob, "bob"), alice}) {
        auto refused = unpin(server, token, first);
        EXPECT_EQ(refused.status, 403U) << refused.body;
        EXPECT_EQ(refused.code(), static_cast<int>(Errc::forbidden));
    }
    EXPECT_EQ(unpin(server, "", first).status, 401U);
    EXPECT_EQ(unpin(server, server.forged_token(), first).status, 401U);

    // The room's manager and host (by the room's configuration, whatever the token's role) and
    // an admin may.
    auto manager = server.viewer_token(kManager, "demo-manager");
    auto host = server.viewer_token(kStreamer, "demo-streamer");
    EXPECT_EQ(data_of(unpin(server, manager, first)).size(), 1U);
    EXPECT_EQ(unpin(server, host, second).code(), 0);
    EXPECT_EQ(unpin(server, server.admin_token(), third).code(), 0);

    auto gone = unpin(server, manager, first);
    EXPECT_EQ(gone.status, 404U);
    EXPECT_EQ(gone.code(), static_cast<int>(Errc::unknown_super_chat));
    EXPECT_EQ(unpin(server, manager, 123'456'789).code(), static_cast<int>(Errc::unknown_super_chat));
    EXPECT_EQ(unpin(server, manager, first, 999).code(), static_cast<int>(Errc::unknown_room));

    auto last = marker(server);
    auto deletions = with_cmd(pushes_until(*web, last), "SUPER_CHAT_MESSAGE_DELETE");
    ASSERT_EQ(deletions.size(), 3U);
    const auto& ids = data_object(deletions[0]).at("ids").as_array();
    ASSERT_EQ(ids.size(), 1U);
    EXPECT_EQ(ids[0].to_number<std::int64_t>(), first);
    EXPECT_EQ(data_object(deletions[2]).at("ids").as_array()[0].to_number<std::int64_t>(), third);
    auto native_deletions = with_cmd(pushes_until(*native, last), "super_chat_delete");
    ASSERT_EQ(native_deletions.size(), 3U);
    EXPECT_EQ(data_object(native_deletions[1]).at("ids").as_array()[0].to_number<std::int64_t>(), second);

    // Removal is display only: every coin stays where the orders put it.
    EXPECT_EQ(wallet_balance(server, alice), balance);
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, 180'000}}));
    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    Accounts expected{{{kExternalAccount, 0}, -200'000},
                      {{kWalletAccount, kAlice.value}, balance},
                      {{kEarningsAccount, kStreamer.value}, 90'000},
                      {{kPlatformAccount, 0}, 90'000}};
    EXPECT_EQ(read_accounts(server.data_dir()), expected);
}

}  // namespace
}  // namespace barrage::test

namespace barrage::test {
namespace {

TEST(SuperChatRestart, PinnedChatsCanStillBeRemovedAfterARestart) {
    TestServer server;
    auto alice = server.viewer_token();
    grant(server, kAlice, 100'000, "grant");
    auto pinned = int_field(data_of(buy(server, alice, 30, "still pinned", "sc-r1")), "super_chat_id");

    server.restart();  // the pin lives in memory; it is rebuilt from the journal

    auto manager = server.viewer_token(kManager, "demo-manager");
    auto removed = unpin(server, manager, pinned);
    EXPECT_EQ(removed.code(), 0) << removed.body;
    EXPECT_EQ(unpin(server, manager, pinned).code(), static_cast<int>(Errc::unknown_super_chat));
}

}  // namespace
}  // namespace barrage::test
