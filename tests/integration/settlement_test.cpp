// Settlement of interactive gifts: an app's cut of a gift is taken at the ratio in force when the
// gift commits, ratios change only in the future, refunds take the cut back, and each day's
// bill equals the journal to the coin, with no coin created or lost.

#include <map>
#include <random>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/config.h"
#include "economy/app_share_schedule.h"
#include "economy/app_split.h"
#include "http/app_share_api.h"
#include "ledger/day_bill.h"
#include "ledger/sqlite_ledger_backend.h"
#include "ledger/verifier.h"
#include "store/app_shares.h"
#include "support/economy_helpers.h"
#include "support/http_client.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

// 2026-12-03 23:00 UTC: a stream of gifts that crosses midnight.
constexpr Millis kStartMs = 1'796'338'800'000;
constexpr Millis kMinuteMs = 60'000;
constexpr std::uint32_t kDefaultShare = 200;

// Gifts 101 and 102 belong to apps 1 and 2 (set_up_open_platform makes them in that order);
// gift 3 is a plain one.
struct GiftKind {
    std::uint64_t gift_id;
    std::int64_t price;
    std::uint64_t app;
};
constexpr GiftKind kGifts[] = {{101, 997, 1}, {102, 1000, 2}, {3, 1000, 0}};

// Room, and its host's share: an ordinary room, one where the host takes everything (no
// platform part, so no app cut) and one where the platform does.
struct RoomShare {
    std::uint64_t room;
    std::uint32_t share;
};
constexpr RoomShare kRooms[] = {{1, 500}, {2, 1000}, {3, 0}};

void configure(app::Config& config) {
    config.hub.room.batch_interval_ms = 0;
    config.open_app_share_per_mille = kDefaultShare;
    config.rooms = {{RoomId{1}, "one", UserId{1}, {}, 0, 500},
                    {RoomId{2}, "two", UserId{2}, {}, 0, 1000},
                    {RoomId{3}, "three", UserId{9}, {}, 0, 0}};
    config.gifts = {{101, "duel sword", 997, false, "", "", true, 1},
                    {102, "duel shield", 1000, false, "", "", true, 2},
                    {3, "flower", 1000, false, "", "", true, 0}};
}

HttpReply set_share(const TestServer& server, std::int64_t app, std::int64_t per_mille, Millis effective_ms,
                    std::string_view token) {
    auto body = json::serialize(json::object{{"per_mille", per_mille}, {"effective_ms", effective_ms}});
    return http_request(server.http_port(), "PUT", fmt::format("/api/v1/admin/open/apps/{}/share", app), body, token);
}

HttpReply send_gift(const TestServer& server, std::string_view token, std::uint64_t room, std::uint64_t gift,
                    std::int64_t count, std::string_view request_id) {
    auto body = json::serialize(json::object{{"gift_id", gift}, {"count", count}, {"request_id", request_id}});
    return server.post(fmt::format("/api/v1/rooms/{}/gifts", room), body, token);
}

HttpReply refund(const TestServer& server, std::int64_t order_id) {
    auto body = json::serialize(json::object{{"order_id", order_id}, {"reason", "settlement test"}});
    return server.post("/api/v1/admin/refunds", body, server.admin_token());
}

struct Owed {
    std::int64_t orders = 0;
    std::int64_t gross = 0;
    std::int64_t app_coins = 0;
    std::int64_t refunded_app_coins = 0;
};

// What the test expects each app to be owed per UTC day, from its own model of the ratios.
using Model = std::map<std::pair<std::uint64_t, std::int32_t>, Owed>;

struct SentGift {
    std::int64_t order_id;
    std::uint64_t app;
    std::int64_t app_coins;
};

ledger::DayBill bill_of(const TestServer& server, std::int32_t day) {
    const auto path = (server.data_dir() / "barrage.db").string();
    auto backend = ledger::SqliteLedgerBackend::open({path, true, true});
    EXPECT_TRUE(backend);
    SystemClock clock;
    store::Database database({path, true, true});
    store::AppShares shares(database, clock);
    auto schedule = http::load_app_shares(shares);
    EXPECT_TRUE(schedule);
    auto bill = ledger::bill_day(**backend, **schedule, day);
    EXPECT_TRUE(bill);
    auto verified = ledger::verify_ledger(**backend, schedule->get());
    EXPECT_TRUE(verified && verified->ok()) << (verified ? verified->summary() : "verify failed");
    return *bill;
}

TEST(Settlement, RandomGiftStreamsBillEveryDayToTheCoin) {
    FakeClock clock(kStartMs);
    TestServer server(clock, configure);
    set_up_open_platform(server);
    // Tokens last an hour and the stream lasts longer: each send gets a fresh one.
    const auto token = [&](std::size_t viewer) {
        return viewer == 0 ? server.viewer_token(kAlice, "alice") : server.viewer_token(kBob, "bob");
    };
    grant(server, kAlice, 10'000'000, "grant-alice");
    grant(server, kBob, 10'000'000, "grant-bob");

    // The ratios the test expects, per app: (effective_ms, per_mille), plus the default.
    std::map<std::uint64_t, std::map<Millis, std::uint32_t>> ratios{{1, {}}, {2, {}}};
    const auto ratio_at = [&](std::uint64_t app, Millis at_ms) {
        const auto& own = ratios[app];
        auto after = own.upper_bound(at_ms);
        return after == own.begin() ? kDefaultShare : std::prev(after)->second;
    };
    const auto schedule = [&](std::uint64_t app, std::uint32_t per_mille, Millis effective_ms) {
        auto reply = set_share(server, static_cast<std::int64_t>(app), per_mille, effective_ms, server.admin_token());
        ASSERT_EQ(reply.code(), 0) << reply.body;
        ratios[app][effective_ms] = per_mille;
    };
    schedule(1, 300, kStartMs + 10 * kMinuteMs);
    schedule(2, 1000, kStartMs + 30 * kMinuteMs);
    schedule(1, 55, kStartMs + 75 * kMinuteMs);

    std::mt19937_64 random(20261203);
    Model model;
    std::vector<SentGift> sent;
    for (int i = 0; i < 300; ++i) {
        clock.advance_ms(static_cast<Millis>(random() % 40'000));
        if (i == 150) {
            schedule(2, 7, clock.wall_ms() + kMinuteMs);  // changed while gifts flow
        }
        if (i % 25 == 24 && !sent.empty()) {
            const auto& gift = sent[random() % sent.size()];
            auto reply = refund(server, gift.order_id);
            ASSERT_EQ(reply.code(), 0) << reply.body;
            if (!data_of(reply).at("replayed").as_bool() && gift.app != 0) {
                model[{gift.app, utc_yyyymmdd(clock.wall_ms())}].refunded_app_coins += gift.app_coins;
            }
            continue;
        }
        const auto& kind = kGifts[random() % std::size(kGifts)];
        const auto& room = kRooms[random() % std::size(kRooms)];
        const auto count = static_cast<std::int64_t>(1 + random() % 3);
        const auto now_ms = clock.wall_ms();
        const auto viewer = static_cast<std::size_t>(random() % 2);
        auto reply = send_gift(server, token(viewer), room.room, kind.gift_id, count, fmt::format("g{}", i));
        ASSERT_EQ(reply.code(), 0) << reply.body;
        const auto total = kind.price * count;
        std::int64_t app_coins = 0;
        if (kind.app != 0) {
            app_coins = economy::split_app_gift(total, room.share, ratio_at(kind.app, now_ms)).app;
            auto& owed = model[{kind.app, utc_yyyymmdd(now_ms)}];
            ++owed.orders;
            owed.gross += total;
            owed.app_coins += app_coins;
        }
        sent.push_back({data_of(reply).at("order_id").to_number<std::int64_t>(), kind.app, app_coins});
        // A retry after a ratio change still gets the first answer and moves nothing.
        if (i % 40 == 0) {
            clock.advance_ms(kMinuteMs);
            auto again = send_gift(server, token(viewer), room.room, kind.gift_id, count, fmt::format("g{}", i));
            EXPECT_TRUE(data_of(again).at("replayed").as_bool()) << again.body;
        }
    }
    // /metrics reconciles off the I/O threads, one bounded pass per scrape: scrape until a pass
    // has caught up (each scrape asks for the next pass).
    std::uint64_t caught_up = 0;
    for (int scrape = 0; scrape < 500 && caught_up == 0; ++scrape) {
        caught_up = server.metric("barrage_app_revenue_caught_up");
    }
    EXPECT_EQ(caught_up, 1u);
    EXPECT_EQ(server.metric("barrage_app_revenue_mismatched_apps"), 0u);
    server.stop();

    std::map<std::uint64_t, std::int64_t> net_by_app;
    for (const auto day : {20261203, 20261204}) {
        const auto bill = bill_of(server, day);
        EXPECT_TRUE(bill.ok()) << bill.discrepancies.size() << " discrepancies on " << day;
        for (const auto& app : bill.apps) {
            const auto& owed = model[{app.app, day}];
            EXPECT_EQ(app.orders, owed.orders) << app.app << " " << day;
            EXPECT_EQ(app.gross, owed.gross) << app.app << " " << day;
            EXPECT_EQ(app.app_coins, owed.app_coins) << app.app << " " << day;
            EXPECT_EQ(app.refunded_app_coins, owed.refunded_app_coins) << app.app << " " << day;
            EXPECT_EQ(app.net_app_coins, app.revenue_counter);
            net_by_app[app.app] += app.net_app_coins;
        }
    }
    EXPECT_GT(net_by_app[1], 0);
    EXPECT_GT(net_by_app[2], 0);
    // No coin created or lost: balances sum to zero and each app holds exactly its bills.
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ(balance_sum(accounts), 0);
    EXPECT_EQ((accounts[{kAppAccount, 1}]), net_by_app[1]);
    EXPECT_EQ((accounts[{kAppAccount, 2}]), net_by_app[2]);
}

TEST(Settlement, AShareCannotBeSetInThePastAndEveryChangeIsAudited) {
    FakeClock clock(kStartMs);
    TestServer server(clock, configure);
    set_up_open_platform(server);
    const auto admin = server.admin_token();
    EXPECT_EQ(set_share(server, 1, 300, kStartMs, admin).code(), static_cast<int>(Errc::bad_request));
    EXPECT_EQ(set_share(server, 1, 300, kStartMs - 1, admin).code(), static_cast<int>(Errc::bad_request));
    EXPECT_EQ(set_share(server, 1, 300, kStartMs + kMinuteMs - 1, admin).code(), static_cast<int>(Errc::bad_request));
    EXPECT_EQ(set_share(server, 1, 1001, kStartMs + kMinuteMs, admin).code(), static_cast<int>(Errc::bad_request));
    EXPECT_EQ(set_share(server, 99, 300, kStartMs + kMinuteMs, admin).code(), static_cast<int>(Errc::unknown_app));
    EXPECT_EQ(set_share(server, 1, 300, kStartMs + kMinuteMs, server.viewer_token()).status, 403u);
    auto set = set_share(server, 1, 300, kStartMs + kMinuteMs, admin);
    ASSERT_EQ(set.code(), 0) << set.body;
    auto listed = data_of(http_get(server.http_port(), "/api/v1/admin/open/apps/1/share", admin));
    EXPECT_EQ(listed.at("in_force").at("per_mille").as_int64(), kDefaultShare);
    EXPECT_TRUE(listed.at("in_force").at("from_default").as_bool());
    ASSERT_EQ(listed.at("changes").as_array().size(), 1u);
    EXPECT_EQ(listed.at("changes").as_array()[0].at("effective_ms").as_int64(), kStartMs + kMinuteMs);
    EXPECT_EQ(listed.at("default_changes").as_array()[0].at("per_mille").as_int64(), kDefaultShare);
    // Once its time has come the change is in force, and it can no longer be replaced.
    clock.advance_ms(kMinuteMs);
    listed = data_of(http_get(server.http_port(), "/api/v1/admin/open/apps/1/share", admin));
    EXPECT_EQ(listed.at("in_force").at("per_mille").as_int64(), 300);
    EXPECT_EQ(set_share(server, 1, 900, kStartMs + kMinuteMs, admin).code(), static_cast<int>(Errc::bad_request));
    auto audit = data_of(http_get(server.http_port(), "/api/v1/open/apps/1/audit", admin));
    int scheduled = 0;
    for (const auto& entry : audit.at("entries").as_array()) {
        scheduled += entry.at("action").as_string() == "app_share_scheduled" ? 1 : 0;
    }
    EXPECT_EQ(scheduled, 1);
    // The app's developer reads the same schedule; another developer does not (as if it were
    // missing), nor does a viewer who is no developer.
    const UserId developer{
        data_of(http_get(server.http_port(), "/api/v1/open/apps/1", admin)).at("developer").to_number<std::uint64_t>()};
    const UserId stranger{developer.value + 100};
    test::grant_developer(server, developer);
    test::grant_developer(server, stranger);
    auto own =
        data_of(http_get(server.http_port(), "/api/v1/open/apps/1/share", test::developer_token(server, developer)));
    EXPECT_EQ(own.at("in_force").at("per_mille").as_int64(), 300);
    EXPECT_EQ(http_get(server.http_port(), "/api/v1/open/apps/1/share", test::developer_token(server, stranger)).status,
              404U);
    EXPECT_EQ(http_get(server.http_port(), "/api/v1/open/apps/1/share", server.viewer_token()).status, 403U);
    // An app that does not exist has no schedule to show.
    auto unknown = http_get(server.http_port(), "/api/v1/admin/open/apps/999/share", admin);
    EXPECT_EQ(unknown.status, 404U) << unknown.body;
    EXPECT_EQ(unknown.code(), static_cast<int>(Errc::unknown_app)) << unknown.body;
}

TEST(Settlement, AnAppsDailyBillsAreReadFromTheLedgersDayCounters) {
    FakeClock clock(kStartMs);
    TestServer server(clock, configure);
    set_up_open_platform(server);
    grant_developer(server, kDeveloper);
    grant(server, kAlice, 10'000, "grant-alice");
    ASSERT_EQ(send_gift(server, server.viewer_token(), 1, 101, 2, "g1").code(), 0);
    // Gift 101 is app 1's (configure); an admin reads any app's bills, a developer their own.
    const std::string path = "/api/v1/open/apps/1/bills";
    const auto bills = server.get(path, server.admin_token());
    ASSERT_EQ(bills.status, 200u) << bills.body;
    const auto bills_json = bills.json();
    const auto& days = bills_json.at("data").at("days").as_array();
    ASSERT_EQ(days.size(), 1u) << bills.body;
    EXPECT_EQ(days.at(0).at("day").as_int64(), 20261203);
    EXPECT_EQ(days.at(0).at("gross").as_int64(), 1994);
    EXPECT_EQ(days.at(0).at("app_coins").as_int64(), 199) << "20 % of the platform's 997";
    // Another user sees nothing of it.
    EXPECT_NE(server.get(path, server.viewer_token()).status, 200u);
}

TEST(Settlement, RefundOfAnInteractiveGiftTakesTheAppsCutBack) {
    FakeClock clock(kStartMs);
    TestServer server(clock, configure);
    set_up_open_platform(server);
    grant(server, kAlice, 10'000, "grant-alice");
    auto sent = send_gift(server, server.viewer_token(), 1, 101, 2, "g1");
    ASSERT_EQ(sent.code(), 0) << sent.body;
    // 1994 coins: 997 to the host, 20 % of 997 (199) to app 1, 798 to the platform.
    const auto order = data_of(sent).at("order_id").to_number<std::int64_t>();
    auto refunded = refund(server, order);
    ASSERT_EQ(refunded.code(), 0) << refunded.body;
    server.stop();
    auto accounts = read_accounts(server.data_dir());
    EXPECT_EQ((accounts[{kAppAccount, 1}]), 0);
    EXPECT_EQ((accounts[{kWalletAccount, kAlice.value}]), 10'000);
    EXPECT_EQ(balance_sum(accounts), 0);
    int app_legs = 0;
    int app_refunds = 0;
    for (const auto& row : read_journal(server.data_dir())) {
        app_legs += row.code == 13 && row.credit_kind == kAppAccount && row.amount == 199 ? 1 : 0;
        app_refunds += row.code == 11 && row.debit_kind == kAppAccount && row.amount == 199 ? 1 : 0;
    }
    EXPECT_EQ(app_legs, 1);
    EXPECT_EQ(app_refunds, 1);
    const auto bill = bill_of(server, 20261203);
    ASSERT_TRUE(bill.ok());
    for (const auto& app : bill.apps) {
        if (app.app == 1) {
            EXPECT_EQ(app.app_coins, 199);
            EXPECT_EQ(app.refunded_app_coins, 199);
            EXPECT_EQ(app.net_app_coins, 0);
            EXPECT_EQ(app.revenue_counter, 0);
        }
    }
}

}  // namespace
}  // namespace barrage::test
