// The asset library and the open platform's interactive gifts against a running server with
// real tokens: uploads checked by magic bytes, size and dimensions; files served at
// /assets/<sha256>.<ext> and nothing else; a gift's way from draft through review into the
// catalogue (and out again), who may do what, coins that move only for an approved gift of an
// approved app, and all of it surviving a restart.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/errc.h"
#include "support/economy_helpers.h"
#include "support/http_client.h"
#include "support/json_helpers.h"
#include "support/open_platform.h"
#include "support/raw_http.h"
#include "support/test_server.h"

namespace barrage {
namespace {

namespace json = boost::json;
using test::developer_token;
using test::grant_developer;
using test::kDeveloper;
using test::kOtherDeveloper;
using test::TestServer;

test::HttpReply call(const TestServer& server, std::string_view method, std::string_view target, std::string_view token,
                     std::string_view body = {}) {
    return test::http_request(server.http_port(), method, target, body, token);
}

json::value data_value(const test::HttpReply& reply) {
    EXPECT_EQ(reply.status, 200U) << reply.body;
    EXPECT_EQ(reply.code(), 0) << reply.body;
    auto object = reply.json();
    return object.contains("data") ? object.at("data") : json::value();
}

json::object data_object(const test::HttpReply& reply) {
    auto data = data_value(reply);
    return data.is_object() ? data.as_object() : json::object{};
}

void expect_refused(const test::HttpReply& reply, unsigned status, Errc code) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.code(), static_cast<int>(code)) << reply.body;
}

std::string be32(std::uint32_t value) {
    return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
            static_cast<char>(value)};
}

// A PNG as far as its header goes, then `padding` bytes standing in for its data.
std::string png(std::uint32_t width, std::uint32_t height, std::size_t padding = 32, char fill = 'x') {
    return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(width) + be32(height) +
           std::string("\x08\x06\x00\x00\x00", 5) + be32(0) + std::string(padding, fill);
}

// A lossless WebP's header (VP8L) of 64 × 32.
std::string webp() {
    const std::uint32_t bits = (64 - 1) | ((32 - 1) << 14);
    return "RIFF" + std::string(4, '\0') + "WEBPVP8L" + std::string(4, '\0') + "\x2f" +
           std::string{static_cast<char>(bits), static_cast<char>(bits >> 8), static_cast<char>(bits >> 16),
                       static_cast<char>(bits >> 24)} +
           std::string(40, '\0');
}

test::HttpReply upload(const TestServer& server, std::string_view name, std::string_view bytes,
                       std::string_view token) {
    return call(server, "POST", fmt::format("/api/v1/admin/assets?name={}", name), token, bytes);
}

// Uploads as the admin; the asset's answer.
json::object add_asset(const TestServer& server, std::string_view name, std::string_view bytes) {
    return data_object(upload(server, name, bytes, server.admin_token()));
}

test::RawHttpAnswer raw_get(const TestServer& server, std::string_view target, std::string_view method = "GET") {
    return test::raw_http(
        server.http_port(),
        fmt::format("{} {} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", method, target));
}

// The catalogue as viewers see it: gift id → its entry.
std::map<std::uint64_t, json::object> catalogue(const TestServer& server) {
    std::map<std::uint64_t, json::object> out;
    const auto listed = data_value(server.get("/api/v1/gifts"));
    for (const auto& gift : listed.as_array()) {
        out.emplace(gift.at("id").to_number<std::uint64_t>(), gift.as_object());
    }
    return out;
}

test::HttpReply send_gift(const TestServer& server, std::string_view token, std::uint64_t gift,
                          std::string_view request_id) {
    auto body = json::serialize(json::object{{"gift_id", gift}, {"count", 1}, {"request_id", request_id}});
    return server.post("/api/v1/rooms/1/gifts", body, token);
}

std::int64_t create_approved_app(const TestServer& server, const std::string& token, std::string_view name) {
    auto made =
        data_object(call(server, "POST", "/api/v1/open/apps", token, json::serialize(json::object{{"name", name}})));
    const auto app_id = made.at("app_id").as_int64();
    data_object(call(server, "POST", fmt::format("/api/v1/open/apps/{}/submit", app_id), token));
    data_object(call(server, "POST", fmt::format("/api/v1/open/apps/{}/review", app_id), server.admin_token(),
                     R"({"decision":"approve"})"));
    return app_id;
}

std::string gift_body(std::string_view name, std::int64_t price, std::int64_t asset_id) {
    return json::serialize(json::object{{"name", name}, {"price", price}, {"asset_id", asset_id}});
}

TEST(AssetLibrary, UploadsAreCheckedByMagicBytesSizeAndDimensions) {
    TestServer server;
    const auto admin = server.admin_token();
    const auto heart = png(64, 64);
    auto added = add_asset(server, "heart", heart);
    EXPECT_TRUE(added.at("created").as_bool());
    EXPECT_EQ(added.at("media_type").as_string(), "image/png");
    EXPECT_EQ(added.at("width").as_int64(), 64);
    const std::string url(added.at("url").as_string());
    EXPECT_EQ(url, "/assets/" + std::string(added.at("sha256").as_string()) + ".png");
    // The same bytes again are the same asset.
    auto again = add_asset(server, "heart%20again", heart);
    EXPECT_FALSE(again.at("created").as_bool());
    EXPECT_EQ(again.at("asset_id"), added.at("asset_id"));
    auto animation = add_asset(server, "spark", webp());
    EXPECT_EQ(animation.at("media_type").as_string(), "image/webp");
    EXPECT_EQ(animation.at("height").as_int64(), 32);

    auto svg =
        upload(server, "logo.svg", R"(<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)", admin);
    expect_refused(svg, 415, Errc::bad_asset_type);
    EXPECT_NE(svg.body.find("SVG"), std::string::npos) << svg.body;
    expect_refused(upload(server, "page.png", "<!DOCTYPE html><html><script>alert(1)</script></html>", admin), 415,
                   Errc::bad_asset_type);
    expect_refused(upload(server, "bitmap", "BM this is no image of ours", admin), 415, Errc::bad_asset_type);
    expect_refused(upload(server, "cut", png(64, 64).substr(0, 20), admin), 422, Errc::bad_asset_header);
    expect_refused(upload(server, "wide", png(2000, 10), admin), 422, Errc::asset_too_wide);
    expect_refused(upload(server, "tall", png(10, 1025), admin), 422, Errc::asset_too_wide);
    // A compression bomb's header: 2^31 - 1 pixels a side, refused by its header alone.
    expect_refused(upload(server, "bomb", png(0x7FFF'FFFF, 0x7FFF'FFFF), admin), 422, Errc::asset_too_wide);
    // Exactly 512 KiB is taken; a byte more is refused by the listener before it is read.
    auto largest = upload(server, "largest", png(16, 16, 512 * 1024 - png(16, 16, 0).size()), admin);
    EXPECT_EQ(largest.status, 200U) << largest.body;
    // (Announced, not sent: the server answers at the header and closes, so a client still
    // writing half a megabyte would meet a closed socket rather than read the answer.)
    const auto too_big =
        test::raw_http(server.http_port(), fmt::format("POST /api/v1/admin/assets?name=too-big HTTP/1.1\r\nHost: x\r\n"
                                                       "Authorization: Bearer {}\r\nContent-Length: {}\r\n\r\n",
                                                       admin, 512 * 1024 + 1));
    EXPECT_EQ(too_big.status, 413U) << too_big.head;
    EXPECT_NE(too_big.body.find(std::to_string(static_cast<int>(Errc::body_too_large))), std::string::npos)
        << too_big.body;
    expect_refused(upload(server, "", png(8, 8), admin), 400, Errc::bad_request);

    // Only an admin uploads; anyone else keeps the listener's 64 KiB body limit.
    expect_refused(upload(server, "mine", png(8, 8), server.viewer_token()), 403, Errc::forbidden);
    expect_refused(upload(server, "mine", png(8, 8), ""), 401, Errc::unauthenticated);
    expect_refused(upload(server, "mine", png(8, 8, 100 * 1024), server.viewer_token()), 413, Errc::body_too_large);
    expect_refused(upload(server, "mine", png(8, 8, 100 * 1024), ""), 413, Errc::body_too_large);

    // Developers and admins list the library; other users may not.
    expect_refused(call(server, "GET", "/api/v1/open/assets", developer_token(server)), 403, Errc::not_developer);
    grant_developer(server, kDeveloper);
    // Three uploads and the demo's crystal (a TestServer runs the embedded demo).
    auto listed = data_object(call(server, "GET", "/api/v1/open/assets", developer_token(server)));
    ASSERT_EQ(listed.at("assets").as_array().size(), 4U);
    EXPECT_EQ(listed.at("assets").as_array()[1].at("name").as_string(), "heart");
    EXPECT_EQ(data_object(call(server, "GET", "/api/v1/open/assets", admin)).at("assets").as_array().size(), 4U);
}

TEST(AssetLibrary, ServesEachAssetImmutableWithNosniffAndNothingElse) {
    TestServer server;
    const auto heart = png(64, 64);
    const std::string url(add_asset(server, "heart", heart).at("url").as_string());
    auto served = raw_get(server, url);
    EXPECT_EQ(served.status, 200U) << served.head;
    EXPECT_EQ(served.header("Content-Type"), "image/png");
    EXPECT_EQ(served.header("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(served.header("Cache-Control").find("immutable"), std::string::npos) << served.head;
    EXPECT_NE(served.header("Cache-Control").find("max-age=31536000"), std::string::npos) << served.head;
    EXPECT_EQ(served.body, heart);
    EXPECT_EQ(raw_get(server, url, "HEAD").status, 200U);
    EXPECT_EQ(raw_get(server, url + "?v=2").status, 200U);
    EXPECT_EQ(raw_get(server, url, "POST").status, 405U);

    const auto name = url.substr(std::string("/assets/").size());
    const auto hash = name.substr(0, 64);
    for (const std::string& target : std::vector<std::string>{"/assets/",
                                                              "/assets",
                                                              "/assets/" + hash,
                                                              "/assets/" + hash + ".gif",
                                                              "/assets/" + hash + ".PNG",
                                                              "/assets/" + hash + ".png/",
                                                              "/assets/" + hash + ".png%00",
                                                              "/assets/./" + name,
                                                              "/assets//" + name,
                                                              "/assets/" + std::string(64, '0') + ".png",
                                                              "/assets/../barrage.db",
                                                              "/assets/..%2fbarrage.db",
                                                              "/assets/%2e%2e/barrage.db",
                                                              "/assets/%2e%2e%2fbarrage.db",
                                                              "/assets/..%5cbarrage.db",
                                                              "/assets/../assets/" + name,
                                                              "/assets/%2E%2E/%2E%2E/etc/passwd",
                                                              "/assets/....//barrage.db",
                                                              "/assets/" + hash + ".png/../../barrage.db",
                                                              "/barrage.db",
                                                              "/assets/assets/" + name}) {
        auto answer = raw_get(server, target);
        EXPECT_EQ(answer.status, 404U) << target;
        EXPECT_EQ(answer.body.find("SQLite"), std::string::npos) << target;
    }
}

TEST(InteractiveGifts, GoThroughReviewBeforeViewersCanSendThemAndLeaveWhenWithdrawn) {
    TestServer server;
    const auto admin = server.admin_token();
    grant_developer(server, kDeveloper);
    grant_developer(server, kOtherDeveloper);
    const auto developer = developer_token(server);
    const auto other = developer_token(server, kOtherDeveloper);
    const auto icon = add_asset(server, "crystal", png(128, 128));
    const auto asset_id = icon.at("asset_id").as_int64();
    const auto app_id = create_approved_app(server, developer, "Duel");
    const auto other_app = create_approved_app(server, other, "Race");
    const auto gifts_path = fmt::format("/api/v1/open/apps/{}/gifts", app_id);

    // Refusals of the body: price, asset, name.
    expect_refused(call(server, "POST", gifts_path, developer, gift_body("Crystal", 0, asset_id)), 400,
                   Errc::bad_amount);
    expect_refused(call(server, "POST", gifts_path, developer, gift_body("Crystal", 2'000'000'000, asset_id)), 400,
                   Errc::bad_amount);
    expect_refused(call(server, "POST", gifts_path, developer, gift_body("Crystal", 500, 999)), 404,
                   Errc::unknown_asset);
    expect_refused(call(server, "POST", gifts_path, developer, gift_body(std::string(65, 'n'), 500, asset_id)), 400,
                   Errc::bad_request);
    // Who may make one: not a viewer, not another developer (the app is unknown to them).
    expect_refused(call(server, "POST", gifts_path, server.viewer_token(), gift_body("Crystal", 500, asset_id)), 403,
                   Errc::not_developer);
    expect_refused(call(server, "POST", gifts_path, other, gift_body("Crystal", 500, asset_id)), 404,
                   Errc::unknown_app);

    auto made = data_object(call(server, "POST", gifts_path, developer, gift_body("Crystal", 500, asset_id)));
    const auto gift_id = made.at("gift_id").to_number<std::uint64_t>();
    EXPECT_GE(gift_id, 1'000'000'000U);
    EXPECT_EQ(made.at("status").as_string(), "draft");
    EXPECT_EQ(made.at("icon_url"), icon.at("url"));
    const auto gift_path = fmt::format("{}/{}", gifts_path, gift_id);

    // Another developer's gift is as unknown as a missing one, under either app.
    for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
             {"PUT", gift_path}, {"POST", gift_path + "/submit"}, {"GET", gifts_path}}) {
        expect_refused(call(server, method, target, other, gift_body("Mine", 1, asset_id)), 404, Errc::unknown_app);
    }
    const auto foreign = fmt::format("/api/v1/open/apps/{}/gifts/{}", other_app, gift_id);
    expect_refused(call(server, "PUT", foreign, other, gift_body("Mine", 1, asset_id)), 404, Errc::unknown_gift);
    expect_refused(call(server, "POST", foreign + "/submit", other), 404, Errc::unknown_gift);
    expect_refused(call(server, "POST", gifts_path + "/999/submit", developer), 404, Errc::unknown_gift);
    // Only an admin reviews, and only what was submitted.
    expect_refused(call(server, "POST", gift_path + "/review", developer, R"({"decision":"approve"})"), 403,
                   Errc::forbidden);
    expect_refused(call(server, "POST", gift_path + "/review", admin, R"({"decision":"approve"})"), 409,
                   Errc::wrong_app_status);

    // Not yet approved: not in the catalogue, not sendable.
    test::grant(server, test::kAlice, 10'000, "grant-alice");
    const auto alice = server.viewer_token();
    EXPECT_FALSE(catalogue(server).contains(gift_id));
    expect_refused(send_gift(server, alice, gift_id, "draft"), 404, Errc::unknown_gift);

    auto submitted = data_object(call(server, "POST", gift_path + "/submit", developer));
    EXPECT_EQ(submitted.at("status").as_string(), "in_review");
    expect_refused(call(server, "PUT", gift_path, developer, gift_body("Crystal", 500, asset_id)), 409,
                   Errc::wrong_app_status);
    auto queue = data_object(call(server, "GET", "/api/v1/open/gift-review", admin));
    ASSERT_EQ(queue.at("gifts").as_array().size(), 1U);
    expect_refused(send_gift(server, alice, gift_id, "in-review"), 404, Errc::unknown_gift);
    expect_refused(call(server, "POST", gift_path + "/review", admin, R"({"decision":"reject"})"), 400,
                   Errc::bad_request);  // a rejection needs a reason

    // Approved: sold at once, with the library's art, and coins move.
    data_object(call(server, "POST", gift_path + "/review", admin, R"({"decision":"approve","reason":"fine"})"));
    auto sold = catalogue(server);
    ASSERT_TRUE(sold.contains(gift_id));
    EXPECT_EQ(sold.at(gift_id).at("icon_url"), icon.at("url"));
    EXPECT_EQ(sold.at(gift_id).at("app_id").as_int64(), app_id);
    EXPECT_EQ(sold.at(gift_id).at("price").as_int64(), 500);
    auto sent = data_object(send_gift(server, alice, gift_id, "approved"));
    EXPECT_EQ(test::int_field(sent, "balance"), 9'500);
    EXPECT_EQ(test::wallet_balance(server, alice), 9'500);

    // Edited: a draft again, withdrawn at once.
    data_object(call(server, "PUT", gift_path, developer, gift_body("Crystal+", 600, asset_id)));
    EXPECT_FALSE(catalogue(server).contains(gift_id));
    expect_refused(send_gift(server, alice, gift_id, "edited"), 404, Errc::unknown_gift);
    data_object(call(server, "POST", gift_path + "/submit", developer));
    data_object(call(server, "POST", gift_path + "/review", admin, R"({"decision":"approve"})"));
    EXPECT_EQ(catalogue(server).at(gift_id).at("price").as_int64(), 600);

    // The app's approval withdrawn: its gifts leave with it; restored, they come back.
    data_object(call(server, "POST", fmt::format("/api/v1/open/apps/{}/review", app_id), admin,
                     R"({"decision":"reject","reason":"cheats"})"));
    EXPECT_FALSE(catalogue(server).contains(gift_id));
    expect_refused(send_gift(server, alice, gift_id, "app-rejected"), 404, Errc::unknown_gift);
    data_object(call(server, "POST", fmt::format("/api/v1/open/apps/{}/submit", app_id), developer));
    data_object(
        call(server, "POST", fmt::format("/api/v1/open/apps/{}/review", app_id), admin, R"({"decision":"approve"})"));
    EXPECT_TRUE(catalogue(server).contains(gift_id));
    // The gift rejected: withdrawn, with its reason for the developer.
    auto rejected = data_object(
        call(server, "POST", gift_path + "/review", admin, R"({"decision":"reject","reason":"looks like a coin"})"));
    EXPECT_EQ(rejected.at("reject_reason").as_string(), "looks like a coin");
    EXPECT_FALSE(catalogue(server).contains(gift_id));
    EXPECT_EQ(test::wallet_balance(server, alice), 9'500);

    // Each step left its audit row.
    auto audit = data_object(call(server, "GET", fmt::format("/api/v1/open/apps/{}/audit", app_id), developer));
    std::vector<std::string> actions;
    for (const auto& entry : audit.at("entries").as_array()) {
        actions.emplace_back(entry.at("action").as_string());
    }
    for (const auto* action : {"gift_created", "gift_submitted", "gift_approved", "gift_edited", "gift_rejected"}) {
        EXPECT_NE(std::find(actions.begin(), actions.end(), action), actions.end()) << action;
    }
    // The operator's own catalogue cannot take an id of the interactive range.
    expect_refused(
        server.post("/api/v1/gifts", R"({"id":1000000001,"name":"Fake","price":1,"icon_url":"/x.png"})", admin), 400,
        Errc::bad_request);
}

TEST(InteractiveGifts, TheDemosInteractiveGiftHasArtFromTheLibrary) {
    TestServer server;
    const auto crystal = catalogue(server).at(6);
    EXPECT_EQ(crystal.at("app_id").as_int64(), 1);
    const std::string url(crystal.at("icon_url").as_string());
    ASSERT_TRUE(url.starts_with("/assets/")) << url;
    auto served = raw_get(server, url);
    EXPECT_EQ(served.status, 200U);
    EXPECT_EQ(served.header("Content-Type"), "image/png");
    EXPECT_TRUE(served.body.starts_with(std::string("\x89PNG\r\n\x1a\n", 8)));
    // The same art after a restart, not a second copy.
    server.restart();
    EXPECT_EQ(catalogue(server).at(6).at("icon_url").as_string(), url);
    auto listed = data_object(call(server, "GET", "/api/v1/open/assets", server.admin_token()));
    EXPECT_EQ(listed.at("assets").as_array().size(), 1U);
}

TEST(InteractiveGifts, ApprovedGiftsAndAssetsSurviveARestart) {
    TestServer server;
    const auto admin = server.admin_token();
    grant_developer(server, kDeveloper);
    const auto developer = developer_token(server);
    const auto heart = png(32, 32);
    const auto icon = add_asset(server, "heart", heart);
    const std::string url(icon.at("url").as_string());
    const auto app_id = create_approved_app(server, developer, "Duel");
    const auto gifts_path = fmt::format("/api/v1/open/apps/{}/gifts", app_id);
    auto made = data_object(
        call(server, "POST", gifts_path, developer, gift_body("Heart", 100, icon.at("asset_id").as_int64())));
    const auto gift_id = made.at("gift_id").to_number<std::uint64_t>();
    data_object(call(server, "POST", fmt::format("{}/{}/submit", gifts_path, gift_id), developer));
    data_object(
        call(server, "POST", fmt::format("{}/{}/review", gifts_path, gift_id), admin, R"({"decision":"approve"})"));
    auto draft = data_object(
        call(server, "POST", gifts_path, developer, gift_body("Draft", 100, icon.at("asset_id").as_int64())));

    server.restart();
    auto sold = catalogue(server);
    ASSERT_TRUE(sold.contains(gift_id));
    EXPECT_EQ(sold.at(gift_id).at("icon_url").as_string(), url);
    EXPECT_FALSE(sold.contains(draft.at("gift_id").to_number<std::uint64_t>()));
    EXPECT_TRUE(sold.contains(1));  // the configured catalogue is still there
    auto served = raw_get(server, url);
    EXPECT_EQ(served.status, 200U);
    EXPECT_EQ(served.body, heart);
    test::grant(server, test::kAlice, 1'000, "grant-after-restart");
    EXPECT_EQ(
        test::int_field(data_object(send_gift(server, server.viewer_token(), gift_id, "after-restart")), "balance"),
        900);
}

}  // namespace
}  // namespace barrage
