// Every money route refuses callers without a valid identity (no token, garbage, forged,
// expired) and anonymous ones, and nothing moves: no coin, no counter, no room event.

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

struct Route {
    std::string_view method;
    std::string target;
    std::string body;
    bool wallet;  // uses the caller's wallet: anonymous callers are refused as read-only
};

std::vector<Route> money_routes(std::int64_t super_chat_id) {
    return {
        {"POST", "/api/v1/rooms/1/gifts", R"({"gift_id":3,"count":1,"request_id":"r1"})", true},
        {"POST", "/api/v1/rooms/1/super-chats", R"({"price_yuan":30,"message":"hi","request_id":"r2"})", true},
        {"POST", "/api/v1/rooms/1/guards", R"({"level":3,"months":1,"request_id":"r3"})", true},
        {"POST", "/api/v1/rooms/2/danmaku", R"({"msg":"paid","request_id":"r4"})", true},
        {"DELETE", fmt::format("/api/v1/rooms/1/super-chats/{}", super_chat_id), "", false},
        {"GET", "/api/v1/wallet", "", true},
        {"GET", "/api/v1/earnings", "", true},
        {"POST", "/api/v1/payments/orders", R"({"coins":1000})", true},
        {"POST", "/api/v1/admin/grants", R"({"uid":3,"coins":1000,"reason":"r","request_id":"r5"})", false},
        {"POST", "/api/v1/gifts", R"({"id":50,"name":"free money","price":1})", false},
    };
}

TEST(EconomyAuth, EveryMoneyRouteRefusesBadIdentitiesAndNothingMoves) {
    TestServer server([](app::Config& config) {
        config.rooms.push_back({RoomId{2}, "paid", kStreamer, {}, 500, 500});
        config.payments.secret = "provider-secret";
    });
    auto alice = server.viewer_token();
    grant(server, kAlice, 1'000'000, "grant");
    auto chat = data_of(server.post("/api/v1/rooms/1/super-chats",
                                    R"({"price_yuan":30,"message":"pinned","request_id":"pinned"})", alice));
    auto chat_id = int_field(chat, "super_chat_id");
    auto watcher = server.join(Transport::ws, AuthBody().str());
    const auto before = wallet(server, alice);

    struct Caller {
        std::string_view name;
        std::string token;
        Errc code;
    };
    const Caller callers[] = {
        {"no token", "", Errc::unauthenticated},
        {"garbage", "not-a-jwt", Errc::token_malformed},
        {"forged admin", server.forged_token(), Errc::token_bad_signature},
        {"expired", server.expired_token(), Errc::token_expired},
    };
    for (const auto& route : money_routes(chat_id)) {
        for (const auto& caller : callers) {
            auto reply = http_request(server.http_port(), route.method, route.target, route.body, caller.token);
            EXPECT_EQ(reply.status, 401U)
                << route.method << " " << route.target << " " << caller.name << ": " << reply.body;
            EXPECT_EQ(reply.code(), static_cast<int>(caller.code))
                << route.method << " " << route.target << " " << caller.name << ": " << reply.body;
        }
    }
    // A signed token of an anonymous viewer has no wallet: it may not buy, pay in, see a
    // wallet, grant, unpin or change the catalogue. (Its uid is not 0: tokens name users
    // 1..identity::kUidMax.)
    auto anonymous = server.token(UserId{77}, "", message::Role::anonymous);
    for (const auto& route : money_routes(chat_id)) {
        auto reply = http_request(server.http_port(), route.method, route.target, route.body, anonymous);
        EXPECT_EQ(reply.status, 403U) << route.method << " " << route.target << ": " << reply.body;
        if (route.wallet) {
            EXPECT_EQ(reply.code(), static_cast<int>(Errc::anonymous_read_only)) << route.target << ": " << reply.body;
        }
    }

    const auto after = wallet(server, alice);
    EXPECT_EQ(boost::json::serialize(after), boost::json::serialize(before)) << "alice's wallet moved";
    auto pushes = pushes_until(*watcher, server.send_danmaku("marker", server.bot_token()));
    EXPECT_EQ(pushes.back().at("cmd").as_string(), "DANMU_MSG");
    for (const auto& cmd : {"SEND_GIFT", "SUPER_CHAT_MESSAGE", "SUPER_CHAT_MESSAGE_DELETE", "GUARD_BUY"}) {
        EXPECT_TRUE(with_cmd(pushes, cmd).empty()) << cmd;
    }
    EXPECT_EQ(server.get("/api/v1/gifts").json().at("data").as_array().size(), 6U) << "catalogue unchanged";
    EXPECT_EQ(leaderboard(server, 1, "all"), (std::vector<BoardEntry>{{kAlice.value, 30'000}}));

    server.stop(0);  // no grace for the watchers; the ledger is drained all the same
    Accounts expected{{{kExternalAccount, 0}, -1'000'000},
                      {{kWalletAccount, kAlice.value}, 970'000},
                      {{kEarningsAccount, kStreamer.value}, 15'000},
                      {{kPlatformAccount, 0}, 15'000}};
    EXPECT_EQ(read_accounts(server.data_dir()), expected);
}

}  // namespace
}  // namespace barrage::test
