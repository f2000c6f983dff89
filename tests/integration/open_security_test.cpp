// The open platform's security centre against a running server on a FakeClock: signed calls
// past a limit get 4009 with the ban's end, repeats are banned longer, bans end on their time,
// and operators list and lift them (docs/open-platform.md, "Security centre").

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "support/http_client.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::TestServer;

constexpr Millis kMinute = 60'000;

json::object answer_of(const test::HttpReply& reply) {
    return test::open_answer(reply);
}

std::int64_t code_of(const test::HttpReply& reply) {
    return answer_of(reply).at("code").as_int64();
}

std::int64_t heartbeat(const TestServer& server, const test::OpenAppKeys& app, const Clock& clock) {
    return test::game_heartbeat(server, app, "no-such-game", clock);
}

json::array bans_of(const TestServer& server) {
    auto reply = server.get("/api/v1/admin/open/bans", server.admin_token());
    EXPECT_EQ(reply.status, 200U) << reply.body;
    return reply.json().at("data").at("bans").as_array();
}

std::string metrics_of(const TestServer& server) {
    return server.get("/metrics").body;
}

// An app's calls: three at once, then one a second. Past it, every call of the app is 4009
// saying until when; the first ban lasts a minute, the repeat ten.
TEST(OpenSecurity, AnAppPastItsLimitIsBannedAndARepeatIsBannedLonger) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.open_limits.app = {.per_second = 1, .burst = 3};
    });
    const auto platform = test::set_up_open_platform(server);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(heartbeat(server, platform.approved, clock), 7003) << i;
    }
    const auto body = json::serialize(json::object{{"game_id", "no-such-game"}});
    auto refused = answer_of(test::signed_post(server, platform.approved, "/v2/app/heartbeat", body, clock));
    EXPECT_EQ(refused.at("code").as_int64(), 4009);
    EXPECT_NE(std::string(refused.at("message").as_string()).find("banned until"), std::string::npos)
        << json::serialize(refused);
    EXPECT_EQ(heartbeat(server, platform.draft, clock), 7003) << "another app is not held back";

    clock.advance_ms(kMinute - 1000);
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 4009) << "its bucket is full again, the ban runs on";
    clock.advance_ms(1000);
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 7003) << "the first ban lasts a minute";

    EXPECT_EQ(heartbeat(server, platform.approved, clock), 7003);
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 7003);
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 4009);
    auto bans = bans_of(server);
    ASSERT_EQ(bans.size(), 1U);
    const auto& ban = bans[0].as_object();
    EXPECT_EQ(ban.at("kind").as_string(), "app");
    EXPECT_EQ(ban.at("key").as_string(), platform.approved.key_id);
    EXPECT_EQ(ban.at("level").as_int64(), 2);
    EXPECT_EQ(ban.at("until_ms").as_int64(), clock.wall_ms() + 10 * kMinute);

    clock.advance_ms(10 * kMinute - 1);
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 4009);
    clock.advance_ms(1);
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 7003) << "the second ban lasts ten minutes";
    EXPECT_TRUE(bans_of(server).empty());

    const auto metrics = metrics_of(server);
    EXPECT_NE(metrics.find("barrage_open_bans_issued_total{kind=\"app\"} 2"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("barrage_open_refused_total{kind=\"app\",cause=\"limit\"} 2"), std::string::npos);
    EXPECT_NE(metrics.find("barrage_open_refused_total{kind=\"app\",cause=\"ban\"} 2"), std::string::npos);
    EXPECT_NE(metrics.find("barrage_open_bans_active{kind=\"app\"} 0"), std::string::npos);
}

// Unsigned and forged calls count against their address before any key is looked up: past the
// address's burst even a correctly signed call from there is 4009.
TEST(OpenSecurity, AnAddressFloodingForgedCallsIsCutOffBeforeTheSignatureIsChecked) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.open_limits.address = {.per_second = 1, .burst = 5};
    });
    const auto platform = test::set_up_open_platform(server);
    const test::OpenAppKeys forged{platform.approved.app_id, platform.approved.key_id, "not-the-secret"};
    const auto body = json::serialize(json::object{{"game_id", "x"}});
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(code_of(test::signed_post(server, forged, "/v2/app/heartbeat", body, clock)), 4002) << i;
    }
    EXPECT_EQ(code_of(test::signed_post(server, forged, "/v2/app/heartbeat", body, clock)), 4009);
    EXPECT_EQ(code_of(test::http_request(server.http_port(), "POST", "/v2/app/heartbeat", body)), 4009)
        << "an unsigned call too";
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 4009) << "every call from the address";

    auto bans = bans_of(server);
    ASSERT_EQ(bans.size(), 1U);
    EXPECT_EQ(bans[0].at("kind").as_string(), "address");
    EXPECT_EQ(bans[0].at("key").as_string(), "127.0.0.1");
    const auto metrics = metrics_of(server);
    EXPECT_NE(metrics.find("barrage_open_refused_total{kind=\"address\",cause=\"limit\"} 1"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("barrage_open_bans_active{kind=\"address\"} 1"), std::string::npos);

    clock.advance_ms(kMinute);
    EXPECT_EQ(heartbeat(server, platform.approved, clock), 7003) << "the ban is over";
}

// Behind a trusted proxy the address counted (and banned, and listed) is the one it forwards.
TEST(OpenSecurity, BehindATrustedProxyTheForwardedAddressIsCounted) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.caps.trusted_proxies = {"127.0.0.1"};
        config.open_limits.address = {.per_second = 1, .burst = 2};
    });
    const auto body = json::serialize(json::object{{"game_id", "x"}});
    const auto from = [&](const std::string& address) {
        return code_of(test::http_request(server.http_port(), "POST", "/v2/app/heartbeat", body, {},
                                          {{"X-Forwarded-For", address}, {"Content-Type", "application/json"}}));
    };
    EXPECT_EQ(from("203.0.113.9"), 4001);
    EXPECT_EQ(from("203.0.113.9"), 4001);
    EXPECT_EQ(from("203.0.113.9"), 4009);
    EXPECT_EQ(from("203.0.113.10"), 4001) << "another client behind the same proxy";
    EXPECT_EQ(from("2001:db8:1:2::1"), 4001);
    EXPECT_EQ(from("2001:db8:1:2::2"), 4001);
    EXPECT_EQ(from("2001:db8:1:2::3"), 4009) << "an IPv6 client counts by its /64";
    auto bans = bans_of(server);
    ASSERT_EQ(bans.size(), 2U);
    EXPECT_EQ(bans[0].at("key").as_string(), "2001:db8:1:2::/64");  // same end: by key
    EXPECT_EQ(bans[1].at("key").as_string(), "203.0.113.9");
}

// Ten wrong identity codes, then every start of the app is 4009, the right code included, for a
// minute; its running game's heartbeat and end go on meanwhile.
TEST(OpenSecurity, WrongCodesHoldBackStartsButNotRunningGamesAndTheBanEnds) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    const auto platform = test::set_up_open_platform(server);
    const auto game = test::start_game(server, platform.approved, platform.code, clock);
    const auto start = [&](const std::string& code) {
        const auto body = json::serialize(json::object{{"code", code}, {"app_id", platform.approved.app_id}});
        return code_of(test::signed_post(server, platform.approved, "/v2/app/start", body, clock));
    };
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(start("WRONGCODE" + std::to_string(10000 + i)), 7007) << i;
    }
    EXPECT_EQ(start("WRONGCODE99999"), 4009);
    EXPECT_EQ(start(platform.code), 4009);
    EXPECT_EQ(test::game_heartbeat(server, platform.approved, game.game_id, clock), 0);
    EXPECT_EQ(test::end_game(server, platform.approved, game.game_id, clock), 0);
    auto bans = bans_of(server);
    ASSERT_EQ(bans.size(), 1U);
    EXPECT_EQ(bans[0].at("kind").as_string(), "wrong_code_app");

    clock.advance_ms(kMinute - 1);
    EXPECT_EQ(start(platform.code), 4009);
    clock.advance_ms(1);
    EXPECT_EQ(start(platform.code), 0) << "the ban is over";
}

// Operators see every running ban, an identity code only by its first four characters, and
// lift one; only admins may.
TEST(OpenSecurity, OperatorsListAndLiftBans) {
    FakeClock clock;
    TestServer server(clock, [](app::Config& config) {
        config.hub.room.batch_interval_ms = 0;
        config.open_limits.code = {.per_second = 0.01, .burst = 1};
    });
    const auto platform = test::set_up_open_platform(server);
    const auto game = test::start_game(server, platform.approved, platform.code, clock);
    EXPECT_EQ(test::end_game(server, platform.approved, game.game_id, clock), 0);
    const auto body = json::serialize(json::object{{"code", platform.code}, {"app_id", platform.approved.app_id}});
    EXPECT_EQ(code_of(test::signed_post(server, platform.approved, "/v2/app/start", body, clock)), 4009);

    EXPECT_EQ(server.get("/api/v1/admin/open/bans", server.viewer_token()).status, 403U);
    EXPECT_EQ(server.get("/api/v1/admin/open/bans").status, 401U);
    const auto listing = server.get("/api/v1/admin/open/bans", server.admin_token());
    EXPECT_EQ(listing.body.find(platform.code), std::string::npos) << "never a whole identity code";
    auto bans = bans_of(server);
    ASSERT_EQ(bans.size(), 1U);
    const auto& ban = bans[0].as_object();
    EXPECT_EQ(ban.at("kind").as_string(), "code");
    EXPECT_EQ(ban.at("key").as_string(), platform.code.substr(0, 4));
    EXPECT_EQ(ban.at("level").as_int64(), 1);
    EXPECT_FALSE(std::string(ban.at("reason").as_string()).empty());
    const auto target = "/api/v1/admin/open/bans/" + std::to_string(ban.at("id").to_number<std::uint64_t>());

    EXPECT_EQ(test::http_delete(server.http_port(), target, server.viewer_token()).status, 403U);
    auto lifted = test::http_delete(server.http_port(), target, server.admin_token());
    ASSERT_EQ(lifted.status, 200U) << lifted.body;
    EXPECT_EQ(lifted.json().at("data").at("kind").as_string(), "code");
    EXPECT_TRUE(bans_of(server).empty());
    EXPECT_EQ(test::http_delete(server.http_port(), target, server.admin_token()).status, 404U);

    clock.advance_ms(100'000);  // the code's bucket holds one start again
    EXPECT_EQ(code_of(test::signed_post(server, platform.approved, "/v2/app/start", body, clock)), 0);
}

}  // namespace
}  // namespace barrage
