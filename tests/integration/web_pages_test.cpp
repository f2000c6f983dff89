// The web pages as `barrage serve` serves them from a built web/dist (here a fake one in the
// test's data directory): each page's URL answers its HTML shell with the strict
// Content-Security-Policy and no-cache, the hashed bundles answer with their types and a year
// of immutable caching, and nothing else is reachable: no traversal, no links, no oversized or
// unknown files, GET and HEAD only. Without a build the pages answer 503 and the API works.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "http/web_pages.h"
#include "support/raw_http.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace fs = std::filesystem;

// The policy spelled out here on its own, so that dropping or loosening a directive in the
// server fails this test rather than changing both sides.
constexpr std::string_view kExpectedPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
constexpr std::string_view kSecret = "outside the pages: never served";

void write_file(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::string shell_of(std::string_view page) {
    return fmt::format(
        "<!doctype html><title>{}</title><script type=\"module\" src=\"/static/{}-AB12CD34.js\">"
        "</script>",
        page, page);
}

// A built page set as scripts/build.mjs leaves it, plus files that must never be served.
void make_fake_build(const fs::path& data_dir, const fs::path& dist) {
    fs::create_directories(dist / "static" / "nested");
    for (const auto* page : {"room", "overlay", "console-streamer", "console-developer", "dashboard"}) {
        write_file(dist / fmt::format("{}.html", page), shell_of(page));
    }
    write_file(dist / "static" / "room-AB12CD34.js", "console.log('room');");
    write_file(dist / "static" / "room-EF56GH78.css", "body{margin:0}");
    write_file(dist / "static" / "nested" / "deep-11111111.js", "deep");
    write_file(data_dir / "secret.txt", kSecret);
    write_file(dist / "static" / ".hidden-22222222.js", kSecret);
    write_file(dist / "static" / "notes.txt", kSecret);  // a type a build never makes
    fs::create_symlink(data_dir / "secret.txt", dist / "static" / "link-33333333.js");
    write_file(dist / "static" / "big-44444444.js", std::string(http::kWebFileBytesMax + 1, 'x'));
}

TestServer::Tweak with_fake_build() {
    return [](app::Config& config) {
        const fs::path data_dir = config.data_dir;
        make_fake_build(data_dir, data_dir / "web");
        config.web_dir = (data_dir / "web").string();
    };
}

RawHttpAnswer request(const TestServer& server, std::string_view method, std::string_view target) {
    return raw_http(server.http_port(), fmt::format("{} {} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: "
                                                    "close\r\n\r\n",
                                                    method, target));
}

TEST(WebPages, EachPageAnswersItsShellWithAStrictPolicyAndNoCache) {
    TestServer server(with_fake_build());
    const std::vector<std::pair<std::string, std::string>> pages{
        {"/room/1", "room"},
        {"/room/18446744073709551615?debug=1", "room"},
        {"/overlay/7#x", "overlay"},
        {"/console/streamer", "console-streamer"},
        {"/console/developer", "console-developer"},
        {"/dashboard", "dashboard"},
    };
    for (const auto& [target, page] : pages) {
        SCOPED_TRACE(target);
        auto answer = request(server, "GET", target);
        EXPECT_EQ(answer.status, 200U) << answer.head;
        EXPECT_EQ(answer.header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_EQ(answer.header("Cache-Control"), "no-cache");
        EXPECT_EQ(answer.header("X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(answer.header("Content-Security-Policy"), kExpectedPolicy);
        EXPECT_EQ(answer.body, shell_of(page));
        auto head = request(server, "HEAD", target);
        EXPECT_EQ(head.status, 200U);
        EXPECT_EQ(head.body, "");
    }
}

TEST(WebPages, BundlesAnswerTypedAndImmutable) {
    TestServer server(with_fake_build());
    auto script = request(server, "GET", "/static/room-AB12CD34.js");
    EXPECT_EQ(script.status, 200U) << script.head;
    EXPECT_EQ(script.header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(script.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(script.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(script.body, "console.log('room');");
    auto style = request(server, "GET", "/static/room-EF56GH78.css?v=1");
    EXPECT_EQ(style.status, 200U) << style.head;
    EXPECT_EQ(style.header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(style.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(style.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(style.body, "body{margin:0}");
}

TEST(WebPages, NothingButTheBuiltFilesIsReachable) {
    TestServer server(with_fake_build());
    const std::string secret_path = (fs::path(server.config().data_dir) / "secret.txt").string();
    const std::vector<std::string> refused{
        "/static/../secret.txt",
        "/static/../../secret.txt",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/static/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/" + secret_path,
        "/static/" + secret_path.substr(1),
        "/static//etc/passwd",
        "/static/room-AB12CD34.js%00.css",
        "/static/room-AB12CD34.js/",
        "/static/nested/deep-11111111.js",
        "/static/.hidden-22222222.js",
        "/static/notes.txt",
        "/static/link-33333333.js",  // a link out of the folder
        "/static/big-44444444.js",   // over kWebFileBytesMax
        "/static/",
        "/static/room.html",
        "/room/",
        "/room/abc",
        "/room/1/",
        "/room/1/../../secret.txt",
        "/room/../dashboard",
        "/room/-1",
        "/room/123456789012345678901",
        "/overlay/",
        "/console/",
        "/console/admin",
        "/console/streamer/x",
    };
    for (const auto& target : refused) {
        auto answer = request(server, "GET", target);
        EXPECT_EQ(answer.status, 404U) << target << "\n" << answer.head;
        EXPECT_EQ(answer.body.find(kSecret), std::string::npos) << target;
    }
    // A NUL in the request line itself never reaches a file either.
    std::string with_nul = "GET /static/room-AB12CD34.js";
    with_nul += '\0';
    with_nul += ".css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    auto nul = raw_http(server.http_port(), with_nul);
    EXPECT_NE(nul.status, 200U) << nul.head;
}

TEST(WebPages, OnlyGetAndHead) {
    TestServer server(with_fake_build());
    for (const auto* method : {"POST", "PUT", "DELETE", "PATCH"}) {
        for (const auto* target : {"/room/1", "/static/room-AB12CD34.js"}) {
            auto answer = request(server, method, target);
            EXPECT_EQ(answer.status, 405U) << method << " " << target;
            EXPECT_EQ(answer.header("Allow"), "GET, HEAD") << method << " " << target;
        }
    }
}

TEST(WebPages, WithoutABuildThePagesSayHowToBuildAndTheApiWorks) {
    TestServer server([](app::Config& config) { config.web_dir = config.data_dir + "/no-such-dist"; });
    for (const auto* target : {"/room/1", "/dashboard", "/static/room-AB12CD34.js"}) {
        auto answer = request(server, "GET", target);
        EXPECT_EQ(answer.status, 503U) << target;
        EXPECT_EQ(answer.header("Content-Type"), "text/plain; charset=utf-8");
        EXPECT_NE(answer.body.find("npm run build"), std::string::npos) << answer.body;
    }
    EXPECT_EQ(server.get("/api/v1/gifts").status, 200U);
    EXPECT_EQ(server.get("/healthz").status, 200U);
}

}  // namespace
}  // namespace barrage::test
