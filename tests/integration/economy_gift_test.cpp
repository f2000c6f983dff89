// Gifts over HTTP: the coins each gift moves (wallet, host earnings, platform, leaderboards),
// idempotent retries (sequential and concurrent), refusals that move nothing, server-side
// combos and gift numbers, and room events that only ever follow a committed order.

#include <atomic>
#include <set>
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

// The demo catalogue (app::add_demo_defaults).
constexpr std::uint64_t kHeart = 1;   // 10 coins, comboable
constexpr std::uint64_t kLatiao = 2;  // 100 coins, comboable
constexpr std::uint64_t kFlower = 3;  // 1000 coins, comboable
constexpr std::uint64_t kTv = 5;      // 1,245,000 coins, not comboable
constexpr std::int64_t kTvPrice = 1'245'000;

HttpReply send_gift(const TestServer& server, std::string_view token, std::uint64_t gift, std::int64_t count,
                    std::string_view request_id, std::uint64_t room = 1) {
    auto body = json::serialize(json::object{{"gift_id", gift}, {"count", count}, {"request_id", request_id}});
    return server.post(fmt::format("/api/v1/rooms/{}/gifts", room), body, token);
}

// A danmaku from the bot (never rate limited) whose seq ends a pushes_until() read.
std::uint64_t marker(const TestServer& server, std::uint64_t room = 1) {
    return server.send_danmaku("marker", server.bot_token(), room);
}

std::string string_of(const json::object& object, std::string_view key) {
    return std::string(object.at(key).as_string());
}

const json::object& data_object(const json::object& push) {
    return push.at("data").as_object();
}

TEST(GiftMoney, GrantThenGiftsMoveExactCoinsToWalletsEarningsPlatformAndBoards) {
    TestServer server;
    auto alice = server.viewer_token();
    auto bob = server.viewer_token(kBob, "bob");
    EXPECT_EQ(int_field(grant(server, kAlice, 10'000, "grant-alice"), "balance"), 10'000);
    EXPECT_EQ(int_field(grant(server, kBob, 5'000, "grant-bob"), "balance"), 5'000);

    auto flowers = data_of(send_gift(server, alice, kFlower, 2, "a-1"));
    EXPECT_EQ(int_field(flowers, "balance"), 8'000);
    EXPECT_EQ(int_field(flowers, "total"), 2'000);
    EXPECT_EQ(int_field(flowers, "gift_number"), 2);
    EXPECT_FALSE(flowers.at("replayed").as_bool());
    EXPECT_GT(int_field(flowers, "order_id"), 0);
    EXPECT_GT(int_field(flowers, "seq"), 0);

    auto hearts = data_of(send_gift(server, bob, kHeart, 3, "b-1"));
    EXPECT_EQ(int_field(hearts, "balance"), 4'970);
    EXPECT_EQ(int_field(hearts, "total"), 30);
    auto latiao = data_of(send_gift(server, alice, kLatiao, 1, "a-2"));
    EXPECT_EQ(int_field(latiao, "balance"), 7'900);
    EXPECT_NE(int_field(latiao, "order_id"), int_field(flowers, "order_id"));

    EXPECT_EQ(wallet_balance(server, alice), 7'900);
    EXPECT_EQ(wallet_balance(server, bob), 4'970);
    std::vector<BoardEntry> board{{kAlice.value, 2'100}, {kBob.value, 30}};
    EXPECT_EQ(leaderboard(server, 1, "day"), board);
    EXPECT_EQ(leaderboard(server, 1, "all"), board);
    EXPECT_EQ(server.get("/api/v1/rooms/1/leaderboard?period=week").status, 400U);

    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    // Half of every gift to the host's earnings, the rest to the platform, nothing created.
    Accounts expected{{{kExternalAccount, 0}, -15'000},
                      {{kWalletAccount, kAlice.value}, 7'900},
                      {{kWalletAccount, kBob.value}, 4'970},
                      {{kEarningsAccount, kStreamer.value}, 1'065},
                      {{kPlatformAccount, 0}, 1'065}};
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(accounts, expected);
    EXPECT_EQ(balance_sum(accounts), 0);
}

TEST(GiftMoney, RoomShareRoundsDownForTheHostAndHostlessRoomsPayThePlatform) {
    TestServer server([](app::Config& config) {
        config.rooms.push_back({RoomId{7}, "a third", kBob, {}, 0, 333});
        config.rooms.push_back({RoomId{8}, "no host", UserId{0}, {}, 0, 500});
    });
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant");
    EXPECT_EQ(int_field(data_of(send_gift(server, alice, kFlower, 1, "r7", 7)), "balance"), 9'000);
    EXPECT_EQ(int_field(data_of(send_gift(server, alice, kHeart, 4, "r1", 1)), "balance"), 8'960);
    auto hostless = data_of(send_gift(server, alice, kHeart, 1, "r8", 8));
    EXPECT_EQ(int_field(hostless, "balance"), 8'950);
    EXPECT_EQ(int_field(hostless, "gift_number"), 1) << "gift numbers count per room";
    // Each room has its own board.
    EXPECT_EQ(leaderboard(server, 7, "all"), (std::vector<BoardEntry>{{kAlice.value, 1'000}}));
    EXPECT_EQ(leaderboard(server, 8, "all"), (std::vector<BoardEntry>{{kAlice.value, 10}}));
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, 40}}));

    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(accounts[std::pair(kEarningsAccount, kBob.value)], 333);
    EXPECT_EQ(accounts[std::pair(kEarningsAccount, kStreamer.value)], 20);
    EXPECT_EQ(accounts[std::pair(kPlatformAccount, std::uint64_t{0})], 667 + 20 + 10);
    EXPECT_FALSE(accounts.contains(std::pair(kEarningsAccount, std::uint64_t{0})));
    EXPECT_EQ(balance_sum(accounts), 0);
}

TEST(GiftIdempotency, SequentialRetryChargesOnceAndShowsOnce) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant");

    auto first = data_of(send_gift(server, alice, kFlower, 2, "retry-me"));
    auto second = data_of(send_gift(server, alice, kFlower, 2, "retry-me"));
    EXPECT_EQ(int_field(second, "order_id"), int_field(first, "order_id"));
    EXPECT_FALSE(first.at("replayed").as_bool());
    EXPECT_TRUE(second.at("replayed").as_bool());
    EXPECT_EQ(int_field(second, "balance"), 8'000);
    EXPECT_EQ(int_field(second, "seq"), int_field(first, "seq")) << "the first answer's event";
    EXPECT_EQ(wallet_balance(server, alice), 8'000);

    auto gifts = with_cmd(pushes_until(*watcher, marker(server)), "SEND_GIFT");
    ASSERT_EQ(gifts.size(), 1U);
    EXPECT_EQ(string_of(data_object(gifts[0]), "tid"), std::to_string(int_field(first, "order_id")));
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, 2'000}}));
}

TEST(GiftIdempotency, EightConcurrentCopiesChargeOnceWithOneOrderAndOneEvent) {
    TestServer server;
    auto watcher = server.join(Transport::tcp, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant");

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
            replies[i] = send_gift(server, alice, kFlower, 3, "burst-1");
        });
    }
    threads.clear();  // joins
    std::set<std::int64_t> order_ids;
    int fresh = 0;
    for (const auto& reply : replies) {
        auto data = data_of(reply);
        order_ids.insert(int_field(data, "order_id"));
        fresh += data.at("replayed").as_bool() ? 0 : 1;
        EXPECT_EQ(int_field(data, "balance"), 7'000) << reply.body;
    }
    EXPECT_EQ(order_ids.size(), 1U);
    EXPECT_EQ(fresh, 1) << "exactly one copy did the work";
    EXPECT_EQ(wallet_balance(server, alice), 7'000);
    EXPECT_EQ(with_cmd(pushes_until(*watcher, marker(server)), "SEND_GIFT").size(), 1U);
    EXPECT_EQ(leaderboard(server, 1, "day"), (std::vector<BoardEntry>{{kAlice.value, 3'000}}));
}

TEST(GiftIdempotency, SameRequestIdWithOtherContentConflictsAndMovesNothing) {
    TestServer server([](app::Config& config) {
        config.rooms.push_back({RoomId{2}, "second", kStreamer, {}, 0, 500});
    });
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant");
    ASSERT_EQ(send_gift(server, alice, kFlower, 1, "mine").status, 200U);

    for (const auto& reply :
         {send_gift(server, alice, kFlower, 2, "mine"), send_gift(server, alice, kLatiao, 1, "mine"),
          send_gift(server, alice, kFlower, 1, "mine", 2)}) {
        EXPECT_EQ(reply.status, 409U) << reply.body;
        EXPECT_EQ(reply.code(), static_cast<int>(Errc::request_conflict)) << reply.body;
    }
    EXPECT_EQ(wallet_balance(server, alice), 9'000);

    // Request ids belong to their user: bob's "mine" is his own order.
    auto bob = server.viewer_token(kBob, "bob");
    grant(server, kBob, 1'000, "grant-bob");
    auto bobs = data_of(send_gift(server, bob, kFlower, 1, "mine"));
    EXPECT_FALSE(bobs.at("replayed").as_bool());
    EXPECT_EQ(int_field(bobs, "balance"), 0);

    EXPECT_EQ(with_cmd(pushes_until(*watcher, marker(server)), "SEND_GIFT").size(), 2U);
}

TEST(GiftRefusals, InsufficientCoinsIsPaymentRequiredAndMovesNothing) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 999, "grant");

    auto refused = send_gift(server, alice, kFlower, 1, "too-dear");
    EXPECT_EQ(refused.status, 402U);
    EXPECT_EQ(refused.code(), static_cast<int>(Errc::insufficient_balance));
    EXPECT_EQ(wallet_balance(server, alice), 999);
    EXPECT_TRUE(with_cmd(pushes_until(*watcher, marker(server)), "SEND_GIFT").empty());
    EXPECT_TRUE(leaderboard(server, 1, "all").empty());

    // A refused order records nothing: the same request id goes through once the coins are there,
    // and an exact balance is enough.
    grant(server, kAlice, 1, "grant-2");
    auto accepted = data_of(send_gift(server, alice, kFlower, 1, "too-dear"));
    EXPECT_FALSE(accepted.at("replayed").as_bool());
    EXPECT_EQ(int_field(accepted, "balance"), 0);
}

TEST(GiftRefusals, BadGiftsRoomsCountsAndBodiesAreRefusedAndMoveNothing) {
    TestServer server;
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000'000, "grant");

    struct Case {
        std::string_view body;
        std::uint64_t room;
        unsigned status;
        Errc code;
    };
    const Case cases[] = {
        {R"({"gift_id":99,"count":1,"request_id":"x1"})", 1, 404, Errc::unknown_gift},
        {R"({"gift_id":1,"count":1,"request_id":"x2"})", 999, 404, Errc::unknown_room},
        {R"({"gift_id":1,"count":0,"request_id":"x3"})", 1, 400, Errc::bad_count},
        {R"({"gift_id":1,"count":10000,"request_id":"x4"})", 1, 400, Errc::bad_count},
        {R"({"gift_id":1,"count":-1,"request_id":"x5"})", 1, 400, Errc::bad_count},
        {R"({"gift_id":1,"count":"2","request_id":"x6"})", 1, 400, Errc::bad_count},
        {R"({"gift_id":1,"count":1.5,"request_id":"x7"})", 1, 400, Errc::bad_count},
        {R"({"gift_id":1,"count":1})", 1, 400, Errc::bad_request},
        {R"({"count":1,"request_id":"x8"})", 1, 400, Errc::bad_request},
        // A gift id that cannot exist is an unknown gift, not a malformed body.
        {R"({"gift_id":0,"count":1,"request_id":"x9"})", 1, 404, Errc::unknown_gift},
        {R"({"gift_id":-3,"count":1,"request_id":"x10"})", 1, 404, Errc::unknown_gift},
        {R"({"gift_id":1,"count":1,"request_id":"has space"})", 1, 400, Errc::bad_request},
        {R"({"gift_id":1,"count":1,"request_id":""})", 1, 400, Errc::bad_request},
        {R"({"gift_id":1,)", 1, 400, Errc::bad_request},
    };
    for (const auto& c : cases) {
        auto reply = server.post(fmt::format("/api/v1/rooms/{}/gifts", c.room), c.body, alice);
        EXPECT_EQ(reply.status, c.status) << c.body << " → " << reply.body;
        EXPECT_EQ(reply.code(), static_cast<int>(c.code)) << c.body << " → " << reply.body;
    }
    EXPECT_EQ(wallet_balance(server, alice), 1'000'000);
    EXPECT_TRUE(with_cmd(pushes_until(*watcher, marker(server)), "SEND_GIFT").empty());
    EXPECT_TRUE(leaderboard(server, 1, "all").empty());

    // The largest count is accepted.
    auto most = data_of(send_gift(server, alice, kHeart, 9'999, "most"));
    EXPECT_EQ(int_field(most, "total"), 99'990);
    EXPECT_EQ(int_field(most, "balance"), 1'000'000 - 99'990);
}

TEST(GiftEvents, NameTheirStreamerFromTheUsersTable) {
    TestServer server;
    auto web = server.join(Transport::ws, AuthBody().str());
    auto native = server.join(Transport::tcp, AuthBody().dialect("native").str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000, "grant");
    // A room created later, hosted by bob, names him too.
    auto created = server.post("/api/v1/rooms", R"({"id":7,"title":"bob's","host":4})", server.admin_token());
    ASSERT_EQ(created.code(), 0) << created.body;
    auto bobs_room = server.join(Transport::ws, AuthBody(7).str());
    ASSERT_EQ(send_gift(server, alice, kFlower, 1, "g-1").code(), 0);
    ASSERT_EQ(send_gift(server, alice, kFlower, 1, "g-7", 7).code(), 0);

    auto sent = with_cmd(pushes_until(*web, marker(server)), "SEND_GIFT");
    ASSERT_EQ(sent.size(), 1U);
    const auto& receiver = data_object(sent[0]).at("receive_user_info").as_object();
    EXPECT_EQ(int_field(receiver, "uid"), static_cast<std::int64_t>(kStreamer.value));
    EXPECT_EQ(string_of(receiver, "uname"), "demo-streamer");
    auto gifts = with_cmd(pushes_until(*native, marker(server)), "gift");
    ASSERT_EQ(gifts.size(), 1U);
    const auto& streamer = data_object(gifts[0]).at("streamer").as_object();
    EXPECT_EQ(int_field(streamer, "uid"), static_cast<std::int64_t>(kStreamer.value));
    EXPECT_EQ(string_of(streamer, "name"), "demo-streamer");
    auto bobs = with_cmd(pushes_until(*bobs_room, marker(server, 7)), "SEND_GIFT");
    ASSERT_EQ(bobs.size(), 1U);
    EXPECT_EQ(string_of(data_object(bobs[0]).at("receive_user_info").as_object(), "uname"), "bob");
}

TEST(GiftCombos, SameUserAndGiftContinueOneComboOthersStartTheirOwn) {
    TestServer server([](app::Config& config) { config.economy.combo_window_ms = 60'000; });
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    auto bob = server.viewer_token(kBob, "bob");
    grant(server, kAlice, 100'000, "grant-alice");
    grant(server, kBob, 100'000, "grant-bob");

    // Interleaved A1 B1 A2 B2: two combos of two hits each.
    auto a1 = data_of(send_gift(server, alice, kHeart, 1, "a1"));
    auto b1 = data_of(send_gift(server, bob, kHeart, 5, "b1"));
    auto a2 = data_of(send_gift(server, alice, kHeart, 2, "a2"));
    auto b2 = data_of(send_gift(server, bob, kHeart, 1, "b2"));
    auto other = data_of(send_gift(server, alice, kLatiao, 1, "a3"));

    auto alice_combo = int_field(a1, "combo_id");
    EXPECT_NE(alice_combo, 0);
    EXPECT_EQ(int_field(a2, "combo_id"), alice_combo);
    EXPECT_EQ(int_field(a1, "combo_count"), 1);
    EXPECT_EQ(int_field(a2, "combo_count"), 2);
    EXPECT_NE(int_field(b1, "combo_id"), alice_combo);
    EXPECT_EQ(int_field(b2, "combo_id"), int_field(b1, "combo_id"));
    EXPECT_EQ(int_field(b2, "combo_count"), 2);
    EXPECT_NE(int_field(other, "combo_id"), alice_combo) << "another gift is another combo";
    EXPECT_EQ(int_field(other, "combo_count"), 1);
    // Gift numbers count each (user, gift) on its own.
    EXPECT_EQ(int_field(a1, "gift_number"), 1);
    EXPECT_EQ(int_field(a2, "gift_number"), 3);
    EXPECT_EQ(int_field(b2, "gift_number"), 6);
    EXPECT_EQ(int_field(other, "gift_number"), 1);

    auto pushes = pushes_until(*watcher, marker(server));
    auto sends = with_cmd(pushes, "SEND_GIFT");
    auto combos = with_cmd(pushes, "COMBO_SEND");
    ASSERT_EQ(sends.size(), 5U);
    ASSERT_EQ(combos.size(), 2U) << "only the second hits of a combo carry COMBO_SEND";

    const auto& first = data_object(sends[0]);
    EXPECT_EQ(int_field(first, "giftId"), static_cast<std::int64_t>(kHeart));
    EXPECT_EQ(int_field(first, "num"), 1);
    EXPECT_EQ(string_of(first, "uname"), "alice");
    EXPECT_EQ(int_field(first, "total_coin"), 10);
    EXPECT_EQ(string_of(first.at("gift_info").as_object(), "img_basic"), "/gifts/heart.png");
    EXPECT_EQ(int_field(first, "giftNum"), 1);
    const auto alice_batch = string_of(first, "batch_combo_id");
    EXPECT_EQ(alice_batch, fmt::format("batch:gift:combo_id:3:1:1:{}", alice_combo));

    const auto& third = data_object(sends[2]);
    EXPECT_EQ(string_of(third, "batch_combo_id"), alice_batch);
    EXPECT_EQ(int_field(third, "giftNum"), 3);
    const auto& combo = data_object(combos[0]);
    EXPECT_EQ(int_field(combo, "uid"), static_cast<std::int64_t>(kAlice.value));
    EXPECT_EQ(int_field(combo, "combo_num"), 2);
    EXPECT_EQ(int_field(combo, "total_num"), 3);
    EXPECT_EQ(string_of(combo, "batch_combo_id"), alice_batch);
    EXPECT_EQ(int_field(data_object(combos[1]), "uid"), static_cast<std::int64_t>(kBob.value));
}

TEST(GiftCombos, GiftThatCannotComboHasNoComboButCountsItsNumber) {
    TestServer server([](app::Config& config) { config.economy.combo_window_ms = 60'000; });
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto native = server.join(Transport::tcp, AuthBody().dialect("native").str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 2 * kTvPrice, "grant");

    auto first = data_of(send_gift(server, alice, kTv, 1, "tv-1"));
    auto second = data_of(send_gift(server, alice, kTv, 1, "tv-2"));
    EXPECT_EQ(int_field(first, "combo_id"), 0);
    EXPECT_EQ(int_field(second, "combo_id"), 0);
    EXPECT_EQ(int_field(second, "combo_count"), 0);
    EXPECT_EQ(int_field(first, "gift_number"), 1);
    EXPECT_EQ(int_field(second, "gift_number"), 2);
    EXPECT_EQ(int_field(second, "balance"), 0);

    auto last = marker(server);
    auto pushes = pushes_until(*watcher, last);
    auto sends = with_cmd(pushes, "SEND_GIFT");
    ASSERT_EQ(sends.size(), 2U);
    EXPECT_TRUE(with_cmd(pushes, "COMBO_SEND").empty());
    EXPECT_EQ(string_of(data_object(sends[1]), "batch_combo_id"), "");
    EXPECT_EQ(int_field(data_object(sends[1]), "giftNum"), 2);

    auto gifts = with_cmd(pushes_until(*native, last), "gift");
    ASSERT_EQ(gifts.size(), 2U);
    const auto& data = data_object(gifts[1]);
    EXPECT_EQ(int_field(data, "gift_id"), static_cast<std::int64_t>(kTv));
    EXPECT_EQ(int_field(data, "combo_id"), 0);
    EXPECT_EQ(int_field(data, "gift_number"), 2);
    EXPECT_EQ(int_field(data, "total"), kTvPrice);
    EXPECT_EQ(int_field(data, "order_id"), int_field(second, "order_id"));
    EXPECT_EQ(int_field(gifts[1].at("user").as_object(), "uid"), static_cast<std::int64_t>(kAlice.value));
}

TEST(GiftCombos, ComboEndsAfterItsWindowButGiftNumbersGoOn) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) {
        config.economy.combo_window_ms = 3'000;
        config.hub.room.batch_interval_ms = 0;  // the fake clock stands still
    });
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000, "grant");

    auto first = data_of(send_gift(server, alice, kHeart, 1, "w1"));
    clock.advance_ms(2'999);  // still within the window
    auto second = data_of(send_gift(server, alice, kHeart, 1, "w2"));
    clock.advance_ms(3'001);
    auto third = data_of(send_gift(server, alice, kHeart, 1, "w3"));

    EXPECT_EQ(int_field(second, "combo_id"), int_field(first, "combo_id"));
    EXPECT_EQ(int_field(second, "combo_count"), 2);
    EXPECT_NE(int_field(third, "combo_id"), int_field(first, "combo_id"));
    EXPECT_NE(int_field(third, "combo_id"), 0);
    EXPECT_EQ(int_field(third, "combo_count"), 1);
    EXPECT_EQ(int_field(third, "gift_number"), 3) << "the running count outlives the combo";
}

TEST(GiftBoards, DayBoardStartsAfreshEachUtcDayWhileAllTimeKeepsCounting) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    grant(server, kAlice, 10'000, "grant-alice");
    grant(server, kBob, 10'000, "grant-bob");
    data_of(send_gift(server, server.viewer_token(), kFlower, 2, "today"));
    data_of(send_gift(server, server.viewer_token(kBob, "bob"), kFlower, 1, "today"));
    EXPECT_EQ(leaderboard(server, 1, "day"), (std::vector<BoardEntry>{{kAlice.value, 2'000}, {kBob.value, 1'000}}));

    clock.advance_ms(24LL * 60 * 60 * 1000);  // tokens minted from here on are valid again
    EXPECT_TRUE(leaderboard(server, 1, "day").empty());
    data_of(send_gift(server, server.viewer_token(kBob, "bob"), kFlower, 3, "tomorrow"));
    EXPECT_EQ(leaderboard(server, 1, "day"), (std::vector<BoardEntry>{{kBob.value, 3'000}}));
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kBob.value, 4'000}, {kAlice.value, 2'000}}));
}

TEST(GiftEvents, EveryGiftEventFollowsItsCommittedOrder) {
    TestServer server([](app::Config& config) { config.economy.combo_window_ms = 60'000; });
    auto watcher = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 5'000, "grant");

    // A sender thread mixes accepted and refused gifts; for every SEND_GIFT the watcher sees,
    // the order must already be in the ledger when it looks.
    constexpr int kGifts = 6;
    std::vector<std::int64_t> accepted;
    std::jthread sender([&] {
        for (int i = 0; i < kGifts; ++i) {
            auto reply = send_gift(server, alice, kFlower, 1, fmt::format("e{}", i));
            if (reply.status == 200) {
                accepted.push_back(int_field(reply.json().at("data").as_object(), "order_id"));
            }
            send_gift(server, alice, kFlower, 2, fmt::format("e{}", i));  // conflict: refused
        }
    });
    std::vector<std::int64_t> seen;
    for (int i = 0; i < 5; ++i) {  // 5000 coins: five flowers, then insufficient
        auto push = watcher->next_cmd("SEND_GIFT");
        auto order = std::stoll(string_of(data_object(push.json().as_object()), "tid"));
        std::set<std::int64_t> journal;
        auto now = wallet(server, alice);
        for (const auto& entry : now.at("entries").as_array()) {
            journal.insert(int_field(entry.as_object(), "order_id"));
        }
        EXPECT_TRUE(journal.contains(order)) << "SEND_GIFT of order " << order << " before its commit";
        seen.push_back(order);
    }
    sender.join();
    EXPECT_EQ(seen, accepted);
    EXPECT_TRUE(with_cmd(pushes_until(*watcher, marker(server)), "SEND_GIFT").empty());
    EXPECT_EQ(wallet_balance(server, alice), 0);
}

}  // namespace
}  // namespace barrage::test
