// Log-in for the embedded demo's pages (http/demo_api.h): a demo user's token from this machine,
// nothing for anyone else, and no such routes on a configured deployment.

#include <gtest/gtest.h>

#include "http/demo_api.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

TEST(DemoLogin, ListsTheDemoUsersAndGivesAWorkingTokenForOne) {
    TestServer server;
    const auto users = server.get("/api/v1/demo/users");
    ASSERT_EQ(users.status, 200u) << users.body;
    const auto users_json = users.json();
    const auto& list = users_json.at("data").at("users").as_array();
    ASSERT_FALSE(list.empty());
    EXPECT_EQ(list.at(2).at("name").as_string(), "alice");
    EXPECT_EQ(list.at(2).at("role").as_string(), "viewer");

    const auto login = server.post("/api/v1/demo/login", R"({"uid":3})");
    ASSERT_EQ(login.status, 200u) << login.body;
    const auto login_json = login.json();
    const auto& data = login_json.at("data").as_object();
    EXPECT_EQ(data.at("name").as_string(), "alice");
    const std::string token(data.at("token").as_string());
    // The token is a real one: the wallet answers for alice.
    const auto wallet = server.get("/api/v1/wallet", token);
    ASSERT_EQ(wallet.status, 200u) << wallet.body;
    EXPECT_EQ(int_field(wallet.json().at("data").as_object(), "uid"), 3);
}

TEST(DemoLogin, RefusesUnknownUsersAndBadBodies) {
    TestServer server;
    EXPECT_EQ(server.post("/api/v1/demo/login", R"({"uid":777})").status, 404u);
    EXPECT_EQ(server.post("/api/v1/demo/login", R"({"uid":"3"})").status, 400u);
    EXPECT_EQ(server.post("/api/v1/demo/login", "not json").status, 400u);
}

TEST(DemoLogin, IsNotServedOnAConfiguredDeployment) {
    TestServer server([](app::Config& config) { config.demo = false; });
    EXPECT_EQ(server.post("/api/v1/demo/login", R"({"uid":3})").status, 404u);
    EXPECT_EQ(server.get("/api/v1/demo/users").status, 404u);
}

TEST(DemoLogin, AnswersOnlyCallersOnThisMachine) {
    EXPECT_TRUE(http::is_loopback_remote("127.0.0.1:50000"));
    EXPECT_TRUE(http::is_loopback_remote("127.8.9.10:1"));
    EXPECT_TRUE(http::is_loopback_remote("[::1]:8080"));
    EXPECT_TRUE(http::is_loopback_remote("::1"));
    EXPECT_FALSE(http::is_loopback_remote("10.0.0.2:50000"));
    EXPECT_FALSE(http::is_loopback_remote("[2001:db8::1]:443"));
    EXPECT_FALSE(http::is_loopback_remote("192.168.1.20"));
    EXPECT_FALSE(http::is_loopback_remote(""));
    EXPECT_FALSE(http::is_loopback_remote("localhost:80")) << "names are not resolved";
}

}  // namespace
}  // namespace barrage::test
