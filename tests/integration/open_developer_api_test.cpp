// The open platform's developer API (/api/v1/open) against a running server with real tokens:
// who may do what (403 for a user who is not a developer, 404 for another developer's app), an
// app's way from draft through review, secret rotation and test rooms as the signed
// /v2/app/start sees them, and the audit rows each step leaves.

#include <atomic>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "crypto/digest.h"
#include "open/signature.h"
#include "store/database.h"
#include "store/open_apps.h"
#include "support/http_client.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::developer_token;
using test::kDeveloper;
using test::kOtherDeveloper;
using test::TestServer;

test::HttpReply call(const TestServer& server, std::string_view method, std::string_view target, std::string_view token,
                     std::string_view body = {}) {
    return test::http_request(server.http_port(), method, target, body, token);
}

// The data of a successful answer (fails the test otherwise).
json::object data_of(const test::HttpReply& reply) {
    EXPECT_EQ(reply.status, 200U) << reply.body;
    EXPECT_EQ(reply.code(), 0) << reply.body;
    auto object = reply.json();
    return object.contains("data") && object.at("data").is_object() ? object.at("data").as_object() : json::object{};
}

using App = test::OpenAppKeys;

App create_app(const TestServer& server, const std::string& token, std::string_view name) {
    auto made =
        data_of(call(server, "POST", "/api/v1/open/apps", token, json::serialize(json::object{{"name", name}})));
    return {made.at("app_id").as_int64(), std::string(made.at("access_key_id").as_string()),
            std::string(made.at("access_key_secret").as_string())};
}

std::string app_path(const App& app, std::string_view rest = {}) {
    return "/api/v1/open/apps/" + std::to_string(app.app_id) + std::string(rest);
}

// The demo room's (room 1, hosted by uid 1) identity code, from the data directory.
std::string room_code(const TestServer& server) {
    store::Database database({(server.data_dir() / "barrage.db").string(), true});
    SystemClock clock;
    auto code = store::OpenApps(database, clock).identity_code(RoomId{1}, false, UserId{1});
    EXPECT_TRUE(code);
    return code ? code->code : std::string();
}

// POST /v2/app/start for room 1's code, signed as blivedm signs it with `secret`; the answer's
// code (always HTTP 200).
std::int64_t start(const TestServer& server, const App& app, const std::string& code, const std::string& secret) {
    const std::string body = json::serialize(json::object{{"code", code}, {"app_id", app.app_id}});
    auto reply = test::signed_post(server, App{app.app_id, app.key_id, secret}, "/v2/app/start", body);
    EXPECT_EQ(reply.status, 200U) << reply.body;
    return reply.code();
}

// The actions of an app's audit rows, oldest first.
std::vector<std::string> audit_actions(const TestServer& server, const App& app, const std::string& token) {
    auto page = data_of(call(server, "GET", app_path(app, "/audit"), token));
    std::vector<std::string> actions;
    const auto& entries = page.at("entries").as_array();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        actions.emplace_back(it->at("action").as_string());
    }
    return actions;
}

TEST(OpenDeveloperApi, OnlyDevelopersUseItAndAnotherDevelopersAppIsUnknown) {
    TestServer server;
    const auto token = developer_token(server);
    auto refused = call(server, "POST", "/api/v1/open/apps", token, R"({"name":"Duel"})");
    EXPECT_EQ(refused.status, 403U);
    EXPECT_EQ(refused.code(), static_cast<int>(Errc::not_developer)) << refused.body;
    EXPECT_EQ(call(server, "GET", "/api/v1/open/apps", token).code(), static_cast<int>(Errc::not_developer));
    EXPECT_EQ(call(server, "GET", "/api/v1/open/apps", "").code(), static_cast<int>(Errc::unauthenticated));
    // Only an admin grants the role; a developer is no admin.
    auto self_grant = call(server, "PUT", "/api/v1/open/developers/7", token);
    EXPECT_EQ(self_grant.status, 403U);
    EXPECT_EQ(self_grant.code(), static_cast<int>(Errc::forbidden));

    test::grant_developer(server, kDeveloper);
    test::grant_developer(server, kOtherDeveloper);
    auto again = data_of(call(server, "PUT", "/api/v1/open/developers/7", server.admin_token()));
    EXPECT_FALSE(again.at("changed").as_bool());
    const auto app = create_app(server, token, "Duel");
    const auto other = developer_token(server, kOtherDeveloper);
    // Another developer's app and an app that does not exist are the same answer.
    auto missing = call(server, "GET", "/api/v1/open/apps/999999", other);
    for (const auto& [method, rest] : std::vector<std::pair<std::string, std::string>>{{"GET", ""},
                                                                                       {"PUT", ""},
                                                                                       {"POST", "/submit"},
                                                                                       {"POST", "/rotate"},
                                                                                       {"PUT", "/whitelist/1"},
                                                                                       {"DELETE", "/whitelist/1"},
                                                                                       {"GET", "/audit"}}) {
        auto hidden = call(server, method, app_path(app, rest), other, R"({"name":"Mine now"})");
        EXPECT_EQ(hidden.status, 404U) << method << rest << ": " << hidden.body;
        EXPECT_EQ(hidden.code(), static_cast<int>(Errc::unknown_app)) << method << rest;
        EXPECT_EQ(hidden.body, missing.body) << method << rest;
    }
    EXPECT_TRUE(call(server, "GET", "/api/v1/open/apps", other).json().at("data").as_array().empty());
    // An admin reads any app and its audit, and nobody else's secret is ever shown.
    auto seen = call(server, "GET", app_path(app), server.admin_token());
    EXPECT_EQ(seen.status, 200U);
    EXPECT_EQ(seen.body.find(app.secret), std::string::npos);
    EXPECT_EQ(audit_actions(server, app, server.admin_token()), std::vector<std::string>{"app_created"});

    // Revoked, the developer is refused even their own app; the app is kept.
    auto revoked = data_of(
        call(server, "DELETE", "/api/v1/open/developers/7", server.admin_token(), R"({"reason":"left the studio"})"));
    EXPECT_TRUE(revoked.at("changed").as_bool());
    EXPECT_EQ(call(server, "GET", app_path(app), token).code(), static_cast<int>(Errc::not_developer));
    EXPECT_EQ(call(server, "GET", app_path(app), server.admin_token()).status, 200U);

    // The operators' audit shows who granted and revoked whom, and why.
    auto all = data_of(call(server, "GET", "/api/v1/open/audit", server.admin_token()));
    const auto& newest = all.at("entries").as_array().at(0).as_object();
    EXPECT_EQ(newest.at("action").as_string(), "developer_revoked");
    EXPECT_EQ(newest.at("subject").as_int64(), 7);
    EXPECT_EQ(newest.at("actor").as_int64(), static_cast<std::int64_t>(test::kAdmin.value));
    EXPECT_EQ(newest.at("detail").as_string(), "left the studio");
    EXPECT_EQ(call(server, "GET", "/api/v1/open/audit", other).code(), static_cast<int>(Errc::forbidden));
    EXPECT_EQ(call(server, "GET", "/api/v1/open/review", other).code(), static_cast<int>(Errc::forbidden));
    EXPECT_EQ(call(server, "POST", app_path(app, "/review"), other, R"({"decision":"approve"})").code(),
              static_cast<int>(Errc::forbidden));
}

TEST(OpenDeveloperApi, AnAppGoesFromDraftThroughReviewToApproved) {
    TestServer server;
    test::grant_developer(server, kDeveloper);
    const auto token = developer_token(server);
    const auto admin = server.admin_token();
    auto made = data_of(call(server, "POST", "/api/v1/open/apps", token, R"({"name":"Duel","description":"fight"})"));
    EXPECT_EQ(made.at("status").as_string(), "draft");
    EXPECT_EQ(made.at("access_key_secret").as_string().size(), 30U);  // shown this once
    const App app{made.at("app_id").as_int64(), std::string(made.at("access_key_id").as_string()),
                  std::string(made.at("access_key_secret").as_string())};

    auto listed = call(server, "GET", "/api/v1/open/apps", token);
    ASSERT_EQ(listed.json().at("data").as_array().size(), 1U) << listed.body;
    EXPECT_EQ(listed.body.find(app.secret), std::string::npos);
    EXPECT_EQ(listed.body.find("access_key_secret"), std::string::npos);
    auto read = data_of(call(server, "GET", app_path(app), token));
    EXPECT_EQ(read.at("name").as_string(), "Duel");
    EXPECT_EQ(read.at("description").as_string(), "fight");
    EXPECT_FALSE(read.contains("access_key_secret"));

    auto edited = data_of(call(server, "PUT", app_path(app), token, R"({"name":"Danmaku duel"})"));
    EXPECT_EQ(edited.at("name").as_string(), "Danmaku duel");
    EXPECT_EQ(edited.at("description").as_string(), "");  // PUT replaces the whole text
    auto submitted = data_of(call(server, "POST", app_path(app, "/submit"), token));
    EXPECT_EQ(submitted.at("status").as_string(), "in_review");
    EXPECT_GT(submitted.at("submitted_ms").as_int64(), 0);

    auto frozen = call(server, "PUT", app_path(app), token, R"({"name":"Sneaky"})");
    EXPECT_EQ(frozen.status, 409U);
    EXPECT_EQ(frozen.code(), static_cast<int>(Errc::wrong_app_status));
    EXPECT_NE(frozen.json().at("message").as_string().find("in_review"), json::string::npos) << frozen.body;
    EXPECT_EQ(call(server, "POST", app_path(app, "/submit"), token).code(), static_cast<int>(Errc::wrong_app_status));

    auto queue = data_of(call(server, "GET", "/api/v1/open/review", admin));
    ASSERT_EQ(queue.at("apps").as_array().size(), 1U);
    EXPECT_EQ(queue.at("apps").as_array()[0].at("app_id").as_int64(), app.app_id);
    EXPECT_FALSE(queue.at("more").as_bool());
    EXPECT_EQ(json::serialize(queue).find(app.secret), std::string::npos);

    auto no_reason = call(server, "POST", app_path(app, "/review"), admin, R"({"decision":"reject"})");
    EXPECT_EQ(no_reason.status, 400U);
    EXPECT_EQ(no_reason.code(), static_cast<int>(Errc::bad_request));
    auto rejected = data_of(
        call(server, "POST", app_path(app, "/review"), admin, R"({"decision":"reject","reason":"no rules page"})"));
    EXPECT_EQ(rejected.at("status").as_string(), "rejected");
    EXPECT_EQ(rejected.at("reject_reason").as_string(), "no rules page");
    EXPECT_TRUE(data_of(call(server, "GET", "/api/v1/open/review", admin)).at("apps").as_array().empty());
    EXPECT_EQ(data_of(call(server, "GET", app_path(app), token)).at("reject_reason").as_string(), "no rules page");

    // Rejected: edited (still rejected), resubmitted, approved.
    auto fixed = data_of(call(server, "PUT", app_path(app), token, R"({"name":"Danmaku duel","description":"rules"})"));
    EXPECT_EQ(fixed.at("status").as_string(), "rejected");
    EXPECT_EQ(data_of(call(server, "POST", app_path(app, "/submit"), token)).at("reject_reason").as_string(), "");
    auto approved =
        data_of(call(server, "POST", app_path(app, "/review"), admin, R"({"decision":"approve","reason":"fun"})"));
    EXPECT_EQ(approved.at("status").as_string(), "approved");
    auto twice = call(server, "POST", app_path(app, "/review"), admin, R"({"decision":"approve"})");
    EXPECT_EQ(twice.code(), static_cast<int>(Errc::wrong_app_status));
    EXPECT_EQ(call(server, "POST", "/api/v1/open/apps/999999/review", admin, R"({"decision":"approve"})").code(),
              static_cast<int>(Errc::unknown_app));
    // An approved app that changes goes back to draft: only what was reviewed runs in public.
    auto changed = data_of(call(server, "PUT", app_path(app), token, R"({"name":"Danmaku duel 2"})"));
    EXPECT_EQ(changed.at("status").as_string(), "draft");

    EXPECT_EQ(audit_actions(server, app, token),
              (std::vector<std::string>{"app_created", "app_edited", "app_submitted", "app_rejected", "app_edited",
                                        "app_submitted", "app_approved", "app_edited"}));
    auto page = data_of(call(server, "GET", app_path(app, "/audit?limit=5"), token));
    const auto& entries = page.at("entries").as_array();
    ASSERT_EQ(entries.size(), 5U);
    EXPECT_EQ(entries[1].at("action").as_string(), "app_approved");
    EXPECT_EQ(entries[1].at("actor").as_int64(), static_cast<std::int64_t>(test::kAdmin.value));
    EXPECT_EQ(entries[1].at("detail").as_string(), "fun");
    EXPECT_EQ(entries[4].at("detail").as_string(), "no rules page");
    auto older = data_of(call(
        server, "GET", app_path(app, "/audit?before=" + std::to_string(page.at("next_before").as_int64())), token));
    EXPECT_EQ(older.at("entries").as_array().size(), 3U);
    EXPECT_FALSE(older.contains("next_before"));
}

TEST(OpenDeveloperApi, BadInputIsRefusedWithTheCodeForWhatIsWrongAndChangesNothing) {
    TestServer server;
    test::grant_developer(server, kDeveloper);
    const auto token = developer_token(server);
    const auto refused = [&](std::string_view method, std::string_view target, std::string_view body) {
        auto reply = call(server, method, target, token, body);
        EXPECT_EQ(reply.status, reply.code() == static_cast<int>(Errc::apps_limit) ? 409U : 400U) << reply.body;
        EXPECT_FALSE(reply.json().at("message").as_string().empty());
        return reply.code();
    };
    EXPECT_EQ(refused("POST", "/api/v1/open/apps", "{"), static_cast<int>(Errc::bad_request));
    EXPECT_EQ(refused("POST", "/api/v1/open/apps", R"({"name":""})"), static_cast<int>(Errc::bad_app_name));
    EXPECT_EQ(refused("POST", "/api/v1/open/apps", R"({"name":")" + std::string(65, 'n') + "\"}"),
              static_cast<int>(Errc::bad_app_name));
    EXPECT_EQ(refused("POST", "/api/v1/open/apps", R"({"name":"a\u0000b"})"), static_cast<int>(Errc::bad_app_name));
    EXPECT_EQ(refused("POST", "/api/v1/open/apps", R"({"name":"n","description":")" + std::string(1001, 'd') + "\"}"),
              static_cast<int>(Errc::bad_app_description));
    EXPECT_TRUE(call(server, "GET", "/api/v1/open/apps", token).json().at("data").as_array().empty());
    EXPECT_EQ(refused("GET", "/api/v1/open/apps/1/audit?limit=0", ""), static_cast<int>(Errc::bad_request));
    auto bad_reason = call(server, "PUT", "/api/v1/open/developers/3", server.admin_token(), R"({"reason":7})");
    EXPECT_EQ(bad_reason.status, 400U);
    EXPECT_EQ(bad_reason.code(), static_cast<int>(Errc::bad_request));
    auto huge_uid = call(server, "PUT", "/api/v1/open/developers/9223372036854775808", server.admin_token());
    EXPECT_EQ(huge_uid.code(), static_cast<int>(Errc::not_found));

    // Twenty apps, then no more for this developer; each refusal alone, the next request fine.
    std::string longest(64, 'n');
    for (int i = 0; i < 20; ++i) {
        create_app(server, token, i == 0 ? longest : "app " + std::to_string(i));
    }
    EXPECT_EQ(refused("POST", "/api/v1/open/apps", R"({"name":"one more"})"), static_cast<int>(Errc::apps_limit));
    EXPECT_EQ(call(server, "GET", "/api/v1/open/apps", token).json().at("data").as_array().size(), 20U);
}

TEST(OpenDeveloperApi, ARotatedSecretStopsTheOldOneAtOnce) {
    TestServer server;
    test::grant_developer(server, kDeveloper);
    const auto token = developer_token(server);
    auto app = create_app(server, token, "Duel");
    data_of(call(server, "POST", app_path(app, "/submit"), token));
    data_of(call(server, "POST", app_path(app, "/review"), server.admin_token(), R"({"decision":"approve"})"));
    const auto code = room_code(server);

    auto rotated = data_of(call(server, "POST", app_path(app, "/rotate"), token));
    EXPECT_EQ(rotated.at("access_key_id").as_string(), app.key_id);
    const std::string fresh(rotated.at("access_key_secret").as_string());
    EXPECT_NE(fresh, app.secret);
    EXPECT_EQ(fresh.size(), 30U);
    EXPECT_EQ(start(server, app, code, app.secret), 4002);  // the old secret: a bad signature
    EXPECT_EQ(start(server, app, code, fresh), 0);
    auto actions = audit_actions(server, app, token);
    EXPECT_EQ(actions.back(), "secret_rotated");
    auto audit = call(server, "GET", app_path(app, "/audit"), token);
    EXPECT_EQ(audit.body.find(fresh), std::string::npos);
    EXPECT_EQ(audit.body.find(app.secret), std::string::npos);
}

TEST(OpenDeveloperApi, AWhitelistedTestRoomLetsAnUnapprovedAppStartThere) {
    TestServer server;
    test::grant_developer(server, kDeveloper);
    const auto token = developer_token(server);
    auto app = create_app(server, token, "Duel");  // a draft; uid 7 hosts no room
    const auto code = room_code(server);
    EXPECT_EQ(start(server, app, code, app.secret), 5004);

    auto listed = data_of(call(server, "PUT", app_path(app, "/whitelist/1"), token));
    EXPECT_EQ(json::serialize(listed.at("whitelist")), "[1]");
    EXPECT_EQ(data_of(call(server, "PUT", app_path(app, "/whitelist/1"), token)).at("whitelist").as_array().size(),
              1U);  // again: nothing changes
    EXPECT_EQ(start(server, app, code, app.secret), 0);

    data_of(call(server, "DELETE", app_path(app, "/whitelist/1"), token));
    EXPECT_EQ(start(server, app, code, app.secret), 5004);

    auto unknown = call(server, "PUT", app_path(app, "/whitelist/999"), token);
    EXPECT_EQ(unknown.status, 404U);
    EXPECT_EQ(unknown.code(), static_cast<int>(Errc::unknown_room));
    // Ten test rooms, not eleven.
    for (int room = 101; room <= 111; ++room) {
        auto made = call(server, "POST", "/api/v1/rooms", server.admin_token(),
                         json::serialize(json::object{{"id", room}, {"host", 50}}));
        ASSERT_EQ(made.status, 200U) << made.body;
        if (room <= 110) {
            data_of(call(server, "PUT", app_path(app, "/whitelist/" + std::to_string(room)), token));
        }
    }
    auto full = call(server, "PUT", app_path(app, "/whitelist/111"), token);
    EXPECT_EQ(full.status, 409U);
    EXPECT_EQ(full.code(), static_cast<int>(Errc::whitelist_full));
    EXPECT_EQ(data_of(call(server, "GET", app_path(app), token)).at("whitelist").as_array().size(), 10U);

    auto page = data_of(call(server, "GET", app_path(app, "/audit?limit=100"), token));
    int added = 0;
    int removed = 0;
    for (const auto& entry : page.at("entries").as_array()) {
        added += entry.at("action").as_string() == "test_room_added" ? 1 : 0;
        if (entry.at("action").as_string() == "test_room_removed") {
            ++removed;
            EXPECT_EQ(entry.at("room").as_int64(), 1);
            EXPECT_EQ(entry.at("actor").as_int64(), 7);
        }
    }
    EXPECT_EQ(added, 11);  // room 1, then 101..110
    EXPECT_EQ(removed, 1);
}

// Each change is an audit row, so a developer's changes are rate-limited: 30 at once, then one a
// second; reads are not, and other developers are not held back.
TEST(OpenDeveloperApi, ADevelopersChangesAreRateLimitedAndReadsAreNot) {
    FakeClock clock(SystemClock().wall_ms());
    TestServer server(clock, [](app::Config& config) { config.hub.room.batch_interval_ms = 0; });
    test::grant_developer(server, kDeveloper);
    test::grant_developer(server, kOtherDeveloper);
    const auto token = developer_token(server);
    auto app = create_app(server, token, "Duel");  // the first change
    for (int i = 1; i < 30; ++i) {
        data_of(call(server, "PUT", app_path(app), token, R"({"name":"Duel )" + std::to_string(i) + "\"}"));
    }
    auto limited = call(server, "PUT", app_path(app), token, R"({"name":"one too many"})");
    EXPECT_EQ(limited.status, 429U);
    EXPECT_EQ(limited.code(), static_cast<int>(Errc::rate_limited)) << limited.body;
    EXPECT_EQ(call(server, "POST", app_path(app, "/rotate"), token).code(), static_cast<int>(Errc::rate_limited));
    EXPECT_EQ(data_of(call(server, "GET", app_path(app), token)).at("name").as_string(), "Duel 29");
    create_app(server, developer_token(server, kOtherDeveloper), "Another");
    clock.advance_ms(1'000);
    EXPECT_EQ(data_of(call(server, "PUT", app_path(app), token, R"({"name":"later"})")).at("name").as_string(),
              "later");
    EXPECT_EQ(call(server, "PUT", app_path(app), token, R"({"name":"too soon"})").code(),
              static_cast<int>(Errc::rate_limited));
}

}  // namespace
}  // namespace barrage
