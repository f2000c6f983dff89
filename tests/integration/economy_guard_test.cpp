// Guard memberships over HTTP: the purchase and its room events, renewals that add 30 days a
// month, upgrades, the level shown on the buyer's later danmaku, refusals that move nothing,
// and memberships rebuilt from the journal after a restart.

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

constexpr std::int64_t kMonthMs = 30LL * 24 * 60 * 60 * 1000;
constexpr std::int64_t kCaptainMonthly = 198'000;      // level 3, ¥198
constexpr std::int64_t kAdmiralMonthly = 1'998'000;    // level 2, ¥1998
constexpr std::int64_t kGovernorMonthly = 19'998'000;  // level 1, ¥19998

HttpReply buy(const TestServer& server, std::string_view token, int level, std::int64_t months,
              std::string_view request_id, std::uint64_t room = 1) {
    auto body = json::serialize(json::object{{"level", level}, {"months", months}, {"request_id", request_id}});
    return server.post(fmt::format("/api/v1/rooms/{}/guards", room), body, token);
}

const json::object& data_object(const json::object& push) {
    return push.at("data").as_object();
}

// The guard level the web dialect shows on `token`'s next danmaku (DANMU_MSG info[7]), read
// from `watcher`, a web member of `room`.
std::int64_t shown_level(const TestServer& server, PacketClient& watcher, std::string_view token,
                         std::uint64_t room = 1) {
    auto sequence = server.send_danmaku("who am I", token, room);
    auto pushes = pushes_until(watcher, sequence);
    const auto& danmaku = pushes.back();
    EXPECT_EQ(danmaku.at("cmd").as_string(), "DANMU_MSG");
    return danmaku.at("info").as_array().at(7).to_number<std::int64_t>();
}

TEST(GuardPurchase, BuyingShowsEventsChargesAndMarksLaterDanmaku) {
    TestServer server([](app::Config& config) {
        config.rooms.push_back({RoomId{2}, "elsewhere", kStreamer, {}, 0, 500});
    });
    auto web = server.join(Transport::ws, AuthBody().str());
    auto native = server.join(Transport::tcp, AuthBody().dialect("native").str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000'000, "grant");

    auto bought = data_of(buy(server, alice, 3, 1, "captain"));
    EXPECT_EQ(int_field(bought, "balance"), 1'000'000 - kCaptainMonthly);
    auto sequence = int_field(bought, "seq");

    auto pushes = pushes_until(*web, static_cast<std::uint64_t>(server.send_danmaku("after", alice)));
    auto guard_buys = with_cmd(pushes, "GUARD_BUY");
    auto toasts = with_cmd(pushes, "USER_TOAST_MSG");
    ASSERT_EQ(guard_buys.size(), 1U);
    ASSERT_EQ(toasts.size(), 1U);
    EXPECT_EQ(int_field(guard_buys[0], "seq"), sequence);
    const auto& data = data_object(guard_buys[0]);
    EXPECT_EQ(int_field(data, "uid"), static_cast<std::int64_t>(kAlice.value));
    EXPECT_EQ(data.at("username").as_string(), "alice");
    EXPECT_EQ(int_field(data, "guard_level"), 3);
    EXPECT_EQ(int_field(data, "num"), 1);
    EXPECT_EQ(int_field(data, "price"), kCaptainMonthly);
    EXPECT_EQ(int_field(data, "gift_id"), 10003);
    EXPECT_EQ(data.at("gift_name").as_string(), "舰长");
    EXPECT_EQ(int_field(data, "end_time") * 1000, int_field(bought, "end_ms") / 1000 * 1000);
    EXPECT_EQ(int_field(data_object(toasts[0]), "guard_level"), 3);
    EXPECT_EQ(int_field(toasts[0], "seq"), sequence);
    // The danmaku that closed the read already carries the level.
    EXPECT_EQ(pushes.back().at("info").as_array().at(7).to_number<std::int64_t>(), 3);

    auto native_pushes = pushes_until(*native, static_cast<std::uint64_t>(server.send_danmaku("native", alice)));
    auto native_buys = with_cmd(native_pushes, "guard_buy");
    ASSERT_EQ(native_buys.size(), 1U);
    const auto& native_data = data_object(native_buys[0]);
    EXPECT_EQ(int_field(native_data, "level"), 3);
    EXPECT_EQ(int_field(native_data, "months"), 1);
    EXPECT_EQ(int_field(native_data, "end_ms") - int_field(native_data, "start_ms"), kMonthMs);
    EXPECT_EQ(int_field(native_data, "end_ms"), int_field(bought, "end_ms"));
    EXPECT_EQ(int_field(native_pushes.back().at("user").as_object(), "guard_level"), 3);

    // Only the buyer, and only in this room.
    EXPECT_EQ(shown_level(server, *web, server.viewer_token(kBob, "bob")), 0);
    auto elsewhere = server.join(Transport::ws, AuthBody(2).str());
    EXPECT_EQ(shown_level(server, *elsewhere, alice, 2), 0);

    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, kCaptainMonthly}}));
    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(accounts[std::pair(kEarningsAccount, kStreamer.value)], kCaptainMonthly / 2);
    EXPECT_EQ(balance_sum(accounts), 0);
}

TEST(GuardPurchase, RenewalsAddThirtyDaysAMonthAndHigherTiersUpgrade) {
    TestServer server;
    auto web = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, 10'000'000, "grant");

    auto first = int_field(data_of(buy(server, alice, 3, 1, "g1")), "end_ms");
    auto renewed = data_of(buy(server, alice, 3, 2, "g2"));
    EXPECT_EQ(int_field(renewed, "end_ms"), first + 2 * kMonthMs) << "renewing early loses nothing";
    EXPECT_EQ(int_field(renewed, "balance"), 10'000'000 - 3 * kCaptainMonthly);
    EXPECT_EQ(shown_level(server, *web, alice), 3);

    auto upgraded = data_of(buy(server, alice, 2, 1, "g3"));
    EXPECT_EQ(int_field(upgraded, "end_ms"), first + 3 * kMonthMs) << "the time left counts at the new tier";
    EXPECT_EQ(int_field(upgraded, "balance"), 10'000'000 - 3 * kCaptainMonthly - kAdmiralMonthly);
    EXPECT_EQ(shown_level(server, *web, alice), 2);

    // A retry is answered from the ledger and extends nothing.
    auto retried = data_of(buy(server, alice, 2, 1, "g3"));
    EXPECT_TRUE(retried.at("replayed").as_bool());
    EXPECT_EQ(int_field(retried, "balance"), int_field(upgraded, "balance"));
    auto next = data_of(buy(server, alice, 3, 1, "g4"));
    EXPECT_EQ(int_field(next, "end_ms"), first + 4 * kMonthMs);
    EXPECT_EQ(shown_level(server, *web, alice), 2) << "a lower tier never lowers the rank";
}

TEST(GuardPurchase, LapsedMembershipShowsNoLevelAndRestartsFromNow) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    auto web = server.join(Transport::ws, AuthBody().str());
    grant(server, kAlice, 1'000'000, "grant");
    auto first = int_field(data_of(buy(server, server.viewer_token(), 3, 1, "g1")), "end_ms");

    clock.advance_ms(kMonthMs - 1);
    EXPECT_EQ(shown_level(server, *web, server.viewer_token()), 3) << "valid until its last millisecond";
    clock.advance_ms(1);
    EXPECT_EQ(shown_level(server, *web, server.viewer_token()), 0) << "expired";
    clock.advance_ms(kMonthMs);
    auto again = data_of(buy(server, server.viewer_token(), 3, 1, "g2"));
    EXPECT_EQ(int_field(again, "end_ms"), first + 2 * kMonthMs) << "a lapsed membership restarts from now";
    EXPECT_EQ(shown_level(server, *web, server.viewer_token()), 3);
}

TEST(GuardPurchase, BadLevelsMonthsAndUnaffordableMembershipsMoveNothing) {
    TestServer server;
    auto web = server.join(Transport::ws, AuthBody().str());
    auto alice = server.viewer_token();
    grant(server, kAlice, kCaptainMonthly, "grant");

    struct Case {
        std::string_view body;
        std::uint64_t room;
        unsigned status;
        Errc code;
    };
    const Case cases[] = {
        {R"({"level":0,"months":1,"request_id":"x1"})", 1, 400, Errc::bad_request},
        {R"({"level":4,"months":1,"request_id":"x2"})", 1, 400, Errc::bad_request},
        {R"({"level":3,"months":0,"request_id":"x3"})", 1, 400, Errc::bad_count},
        {R"({"level":3,"months":121,"request_id":"x4"})", 1, 400, Errc::bad_count},
        {R"({"level":3,"months":-1,"request_id":"x5"})", 1, 400, Errc::bad_count},
        {R"({"level":3,"months":1})", 1, 400, Errc::bad_request},
        {R"({"level":3,"months":1,"request_id":"x6"})", 999, 404, Errc::unknown_room},
        {R"({"level":3,"months":2,"request_id":"x7"})", 1, 402, Errc::insufficient_balance},
        {R"({"level":2,"months":1,"request_id":"x8"})", 1, 402, Errc::insufficient_balance},
    };
    for (const auto& c : cases) {
        auto reply = server.post(fmt::format("/api/v1/rooms/{}/guards", c.room), c.body, alice);
        EXPECT_EQ(reply.status, c.status) << c.body << " → " << reply.body;
        EXPECT_EQ(reply.code(), static_cast<int>(c.code)) << c.body << " → " << reply.body;
    }
    EXPECT_EQ(wallet_balance(server, alice), kCaptainMonthly);
    auto pushes = pushes_until(*web, server.send_danmaku("still plain", alice));
    EXPECT_TRUE(with_cmd(pushes, "GUARD_BUY").empty());
    EXPECT_EQ(pushes.back().at("info").as_array().at(7).to_number<std::int64_t>(), 0);
    EXPECT_TRUE(leaderboard(server, 1, "all").empty());
}

TEST(GuardRestart, MembershipsAreRebuiltFromTheJournal) {
    TestServer server;
    auto alice = server.viewer_token();
    auto bob = server.viewer_token(kBob, "bob");
    grant(server, kAlice, 1'000'000, "grant-alice");
    grant(server, kBob, kGovernorMonthly, "grant-bob");
    auto first = int_field(data_of(buy(server, alice, 3, 1, "a1")), "end_ms");
    EXPECT_EQ(int_field(data_of(buy(server, alice, 3, 1, "a2")), "end_ms"), first + kMonthMs);
    data_of(buy(server, bob, 1, 1, "b1"));

    server.restart();

    auto web = server.join(Transport::ws, AuthBody().str());
    EXPECT_EQ(shown_level(server, *web, alice), 3);
    EXPECT_EQ(shown_level(server, *web, bob), 1);
    // The restored expiry is exactly the live one: the next month starts where it ends.
    auto renewed = data_of(buy(server, alice, 3, 1, "a3"));
    EXPECT_EQ(int_field(renewed, "end_ms"), first + 2 * kMonthMs);
    EXPECT_EQ(int_field(renewed, "balance"), 1'000'000 - 3 * kCaptainMonthly);
    // Request ids survive too.
    EXPECT_TRUE(data_of(buy(server, alice, 3, 1, "a1")).at("replayed").as_bool());
    EXPECT_EQ(wallet_balance(server, alice), 1'000'000 - 3 * kCaptainMonthly);
}

}  // namespace
}  // namespace barrage::test
