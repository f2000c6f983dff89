// A streamer's earnings (GET /api/v1/earnings): per UTC day and room, for each kind of
// purchase, the orders, what viewers paid, what the earnings account was credited and what
// refunds took back — equal to the journal to the coin over a random stream of purchases and
// refunds in two rooms with different shares, and to the earnings account's balance.

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

constexpr std::uint64_t kHalfRoom = 1;   // the demo room: the streamer's share 500 ‰
constexpr std::uint64_t kThirdRoom = 7;  // 333 ‰, and danmaku cost 50 coins
constexpr std::uint64_t kBobsRoom = 8;   // hosted by bob: never in the streamer's earnings
constexpr std::int64_t kHourMs = 3'600'000;

void rooms(app::Config& config) {
    config.hub.room.batch_interval_ms = 0;  // the clock stands still between steps
    config.rooms.push_back({RoomId{kHalfRoom}, "half", kStreamer, {kManager}, 0, 500});
    config.rooms.push_back({RoomId{kThirdRoom}, "third", kStreamer, {}, 50, 333});
    config.rooms.push_back({RoomId{kBobsRoom}, "bob's", kBob, {}, 0, 700});
}

std::int64_t yyyymmdd(std::int64_t created_ms) {
    using namespace std::chrono;
    const year_month_day date{floor<days>(sys_time<milliseconds>{milliseconds{created_ms}})};
    return static_cast<int>(date.year()) * 10000 + static_cast<int>(static_cast<unsigned>(date.month())) * 100 +
           static_cast<int>(static_cast<unsigned>(date.day()));
}

const char* kind_name(int host_code) {
    switch (host_code) {
        case 3: return "gifts";
        case 5: return "super_chats";
        case 7: return "guards";
        case 9: return "paid_danmaku";
        default: return "?";
    }
}

// The report's figures for one day (0: all days), room (0: all rooms) and kind, as sums.
struct Tally {
    std::int64_t orders = 0, gross = 0, earned = 0, refunds = 0, refunded_gross = 0, refunded_earned = 0;
    bool operator==(const Tally&) const = default;
};
using Key = std::tuple<std::int64_t, std::uint64_t, std::string>;

std::ostream& operator<<(std::ostream& out, const Tally& t) {
    return out << fmt::format("{{orders {} gross {} earned {} refunds {} refunded_gross {} refunded_earned {}}}",
                              t.orders, t.gross, t.earned, t.refunds, t.refunded_gross, t.refunded_earned);
}

// Straight from the journal's rows, with none of the server's code: for every row crediting the
// streamer's earnings (a purchase) and every row debiting them (a refund of one).
std::map<Key, Tally> from_journal(const std::vector<JournalRow>& rows) {
    std::map<std::int64_t, std::int64_t> order_gross;
    std::map<std::int64_t, const JournalRow*> host_leg;  // a purchase's earnings row
    for (const auto& row : rows) {
        order_gross[row.order_id] += row.amount;
        if (row.credit_kind == kEarningsAccount && row.credit_owner == kStreamer.value) {
            host_leg[row.order_id] = &row;
        }
    }
    std::map<Key, Tally> out;
    auto add = [&](std::int64_t day, std::uint64_t room, const std::string& kind, auto&& change) {
        for (auto d : {day, std::int64_t{0}}) {
            for (auto r : {room, std::uint64_t{0}}) {
                change(out[{d, r, kind}]);
            }
        }
    };
    for (const auto& row : rows) {
        const auto day = yyyymmdd(row.created_ms);
        if (row.credit_kind == kEarningsAccount && row.credit_owner == kStreamer.value) {
            add(day, row.room, kind_name(row.code), [&](Tally& t) {
                t.orders += 1;
                t.gross += order_gross[row.order_id];
                t.earned += row.amount;
            });
        } else if (row.debit_kind == kEarningsAccount && row.debit_owner == kStreamer.value && row.code == 11) {
            const auto* purchase = host_leg.at(row.reverses);
            add(day, purchase->room, kind_name(purchase->code), [&](Tally& t) {
                t.refunds += 1;
                t.refunded_gross += order_gross[row.order_id];
                t.refunded_earned += row.amount;
            });
        }
    }
    return out;
}

Tally tally_of(const json::object& sheet, const std::string& kind) {
    const auto& k = sheet.at(kind).as_object();
    Tally t{int_field(k, "orders"),  int_field(k, "gross"),          int_field(k, "earned"),
            int_field(k, "refunds"), int_field(k, "refunded_gross"), int_field(k, "refunded_earned")};
    EXPECT_EQ(int_field(k, "net"), t.earned - t.refunded_earned);
    return t;
}

// Every figure of the report, keyed like from_journal's.
std::map<Key, Tally> from_report(const json::object& report) {
    std::map<Key, Tally> out;
    auto read = [&](std::int64_t day, const json::object& group) {
        for (const auto* kind : {"gifts", "super_chats", "guards", "paid_danmaku"}) {
            auto t = tally_of(group, kind);
            if (t != Tally{}) {
                out[{day, 0, kind}] = t;
            }
            for (const auto& room : group.at("rooms").as_array()) {
                auto rt = tally_of(room.as_object(), kind);
                if (rt != Tally{}) {
                    out[{day, static_cast<std::uint64_t>(int_field(room.as_object(), "room")), kind}] = rt;
                }
            }
        }
    };
    for (const auto& day : report.at("days").as_array()) {
        read(int_field(day.as_object(), "day"), day.as_object());
    }
    read(0, report.at("total").as_object());
    return out;
}

// A seeded random stream of purchases and refunds, spread over a few UTC days.
class Stream {
public:
    Stream(const TestServer& server, FakeClock& clock) : server_(server), clock_(clock) {}

    void run(int steps) {
        for (int step = 0; step < steps; ++step) {
            clock_.advance_ms(std::uniform_int_distribution<std::int64_t>(0, kHourMs)(random_));
            auto pick = std::uniform_int_distribution<int>(0, 99)(random_);
            if (pick < 12 && !refundable_.empty()) {
                refund_one();
            } else {
                buy_one(pick, step);
            }
        }
    }

private:
    std::uint64_t any_room() {
        const std::uint64_t all[] = {kHalfRoom, kThirdRoom, kBobsRoom};
        return all[std::uniform_int_distribution<int>(0, 2)(random_)];
    }

    void buy_one(int pick, int step) {
        const auto buyer = pick % 2 == 0 ? kAlice : kBob;
        const auto token = server_.viewer_token(buyer, buyer == kAlice ? "alice" : "bob");
        const auto id = fmt::format("s-{}", step);
        const auto room = any_room();
        HttpReply reply;
        if (pick < 55) {
            auto gift = std::uniform_int_distribution<int>(1, 4)(random_);
            auto count = std::uniform_int_distribution<int>(1, 5)(random_);
            reply = post(fmt::format("/api/v1/rooms/{}/gifts", room),
                         json::object{{"gift_id", gift}, {"count", count}, {"request_id", id}}, token);
        } else if (pick < 75) {
            const int tiers[] = {30, 50, 100};
            reply = post(fmt::format("/api/v1/rooms/{}/super-chats", room),
                         json::object{{"price_yuan", tiers[step % 3]}, {"message", "hi"}, {"request_id", id}}, token);
        } else if (pick < 88) {
            reply = post(fmt::format("/api/v1/rooms/{}/guards", room),
                         json::object{{"level", step % 5 == 0 ? 2 : 3}, {"months", 1}, {"request_id", id}}, token);
        } else {
            reply = post(fmt::format("/api/v1/rooms/{}/danmaku", kThirdRoom),
                         json::object{{"msg", fmt::format("paid {}", step)}, {"request_id", id}}, token);
            if (reply.code() == 0) {
                paid_danmaku_ += 1;
            }
            return;  // a danmaku's answer names no order: never refunded here
        }
        ASSERT_EQ(reply.code(), 0) << reply.body;
        refundable_.push_back(int_field(data_of(reply), "order_id"));
    }

    void refund_one() {
        auto at = std::uniform_int_distribution<std::size_t>(0, refundable_.size() - 1)(random_);
        auto order = refundable_[at];
        refundable_.erase(refundable_.begin() + static_cast<std::ptrdiff_t>(at));
        auto reply = post("/api/v1/admin/refunds", json::object{{"order_id", order}, {"reason", "stream"}},
                          server_.admin_token());
        ASSERT_EQ(reply.code(), 0) << reply.body;
    }

    HttpReply post(const std::string& target, const json::object& body, const std::string& token) {
        return server_.post(target, json::serialize(body), token);
    }

    const TestServer& server_;
    FakeClock& clock_;
    std::mt19937_64 random_{20261203};
    std::vector<std::int64_t> refundable_;
    int paid_danmaku_ = 0;
};

TEST(Earnings, EqualTheJournalToTheCoinOverARandomStream) {
    FakeClock clock(1'764'700'000'000);  // 2025-12-02T18:26:40Z
    TestServer server(clock, rooms);
    for (int i = 0; i < 5; ++i) {  // guards are dear: 500 million coins each
        grant(server, kAlice, 100'000'000, fmt::format("grant-alice-{}", i));
        grant(server, kBob, 100'000'000, fmt::format("grant-bob-{}", i));
    }
    Stream(server, clock).run(320);

    auto report = data_of(server.get("/api/v1/earnings", server.viewer_token(kStreamer, "demo-streamer")));
    server.stop();
    auto journal = read_journal(server.data_dir());
    auto expected = from_journal(journal);
    std::erase_if(expected, [](const auto& entry) { return entry.second == Tally{}; });
    auto reported = from_report(report);
    EXPECT_EQ(reported.size(), expected.size());
    for (const auto& [key, tally] : expected) {
        auto found = reported.find(key);
        ASSERT_NE(found, reported.end()) << std::get<0>(key) << " room " << std::get<1>(key) << " " << std::get<2>(key);
        EXPECT_EQ(found->second, tally) << std::get<0>(key) << " room " << std::get<1>(key) << " " << std::get<2>(key);
    }
    // The stream covers what it should: several days, both rooms, every kind, refunds of each
    // refundable kind.
    EXPECT_GE(report.at("days").as_array().size(), 3U);
    auto seen = [&](std::uint64_t room, const std::string& kind) { return expected[Key{0, room, kind}]; };
    for (const auto* kind : {"gifts", "super_chats", "guards"}) {
        EXPECT_GT(seen(kHalfRoom, kind).orders, 0) << kind;
        EXPECT_GT(seen(kThirdRoom, kind).orders, 0) << kind;
        EXPECT_GT(seen(0, kind).refunds, 0) << kind;
    }
    EXPECT_GT(seen(kThirdRoom, "paid_danmaku").orders, 0);

    // Everything earned, less every refund, is what the earnings account holds.
    auto accounts = read_accounts(server.data_dir());
    const auto& total = report.at("total").as_object();
    EXPECT_EQ(int_field(total, "net"), (accounts[{kEarningsAccount, kStreamer.value}]));
    EXPECT_EQ(int_field(report, "balance"), (accounts[{kEarningsAccount, kStreamer.value}]));
    EXPECT_EQ(int_field(total, "paid_out"), 0);
    for (const auto& room : total.at("rooms").as_array()) {
        auto id = int_field(room.as_object(), "room");
        EXPECT_EQ(int_field(room.as_object(), "share_per_mille"), id == 1 ? 500 : 333);
    }
}

TEST(Earnings, ADayRangeAndWhoMayAsk) {
    FakeClock clock(1'764'633'600'000);  // 2025-12-02T00:00:00Z
    TestServer server(clock, rooms);
    grant(server, kAlice, 1'000'000, "grant");
    auto gift = [&](std::string_view id) {
        auto body = json::serialize(json::object{{"gift_id", 3}, {"count", 1}, {"request_id", id}});
        ASSERT_EQ(server.post("/api/v1/rooms/1/gifts", body, server.viewer_token()).code(), 0);
    };
    gift("day-1");
    clock.advance_ms(24 * kHourMs);
    gift("day-2");
    gift("day-2b");
    auto host = server.viewer_token(kStreamer, "demo-streamer");

    auto second = data_of(server.get("/api/v1/earnings?from=20251203&to=20251203", host));
    EXPECT_EQ(int_field(second, "from"), 20251203);
    ASSERT_EQ(second.at("days").as_array().size(), 1U);
    EXPECT_EQ(int_field(second.at("days").as_array()[0].as_object(), "day"), 20251203);
    EXPECT_EQ(int_field(second.at("total").as_object().at("gifts").as_object(), "orders"), 2);
    EXPECT_EQ(int_field(second.at("total").as_object(), "net"), 1'000);
    auto first = data_of(server.get("/api/v1/earnings?to=20251202", host));
    EXPECT_EQ(int_field(first.at("total").as_object(), "net"), 500);
    EXPECT_TRUE(first.at("from").is_null());

    // Only your own, unless you are an admin.
    EXPECT_EQ(int_field(data_of(server.get("/api/v1/earnings?uid=1", host)), "uid"), 1);
    auto other = server.get("/api/v1/earnings?uid=1", server.viewer_token());
    EXPECT_EQ(other.status, 403U);
    EXPECT_EQ(other.code(), static_cast<int>(Errc::forbidden));
    auto admin = data_of(server.get("/api/v1/earnings?uid=1", server.admin_token()));
    EXPECT_EQ(int_field(admin.at("total").as_object(), "net"), 1'500);
    auto nobody = data_of(server.get("/api/v1/earnings", server.viewer_token()));
    EXPECT_TRUE(nobody.at("days").as_array().empty());
    EXPECT_EQ(int_field(nobody, "balance"), 0);

    for (const auto* query : {"from=20251302", "from=2025120", "to=x", "from=20251203&to=20251202", "uid=0"}) {
        auto refused = server.get(fmt::format("/api/v1/earnings?{}", query), host);
        EXPECT_EQ(refused.status, 400U) << query << " → " << refused.body;
    }
    EXPECT_EQ(server.get("/api/v1/earnings").status, 401U);
}

}  // namespace
}  // namespace barrage::test
