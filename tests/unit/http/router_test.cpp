#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

namespace barrage::http {
namespace {

namespace asio = boost::asio;

// A router over a few routes whose handlers echo what they were given; tokens are "t:<role>".
class RouterTest : public ::testing::Test {
protected:
    RouterTest()
        : router_([](std::string_view token) -> Result<message::Sender> {
              if (!token.starts_with("t:")) {
                  return make_error_code(Errc::token_malformed);
              }
              auto role = message::parse_role(token.substr(2));
              return message::Sender{.uid = UserId{7}, .name = "u", .face = "", .role = *role};
          }) {
        router_.add({
            {"GET", "/healthz", Access::anyone, echo("health")},
            {"GET", "/api/v1/rooms", Access::anyone, echo("list")},
            {"POST", "/api/v1/rooms", Access::admin, echo("create")},
            {"GET", "/api/v1/rooms/{room}", Access::anyone, echo("room")},
            {"DELETE", "/api/v1/rooms/{room}/super-chats/{super_chat}", Access::user, echo("unpin")},
            {"PUT", "/api/v1/open/apps/{app}/whitelist/{room}", Access::user, echo("whitelist")},
            {"PUT", "/api/v1/open/developers/{user}", Access::admin, echo("developer")},
        });
    }

    static Handler echo(std::string name) {
        return [name](const Call& call) -> asio::awaitable<net::HttpResponse> {
            boost::json::array parameters;
            for (auto value : call.parameters) {
                parameters.push_back(value);
            }
            boost::json::object out{{"route", name}, {"parameters", parameters}};
            if (call.caller) {
                out["uid"] = call.who().uid.value;
            }
            if (auto q = call.query("q")) {
                out["q"] = *q;
            }
            co_return net::HttpResponse{200, "application/json", boost::json::serialize(out)};
        };
    }

    net::HttpResponse call(std::string method, std::string target, std::string authorization = {}) {
        net::HttpRequest request{std::move(method), std::move(target), std::move(authorization), "", "", {}};
        asio::io_context context;
        auto answer = asio::co_spawn(context, router_.dispatch(std::move(request)), asio::use_future);
        context.run();
        return answer.get();
    }

    static std::string header(const net::HttpResponse& response, std::string_view name) {
        for (const auto& [key, value] : response.headers) {
            if (key == name) {
                return value;
            }
        }
        return "";
    }

    static int code(const net::HttpResponse& response) {
        return static_cast<int>(boost::json::parse(response.body).at("code").as_int64());
    }

    Router router_;
};

TEST_F(RouterTest, MatchesLiteralPathsAndTypedParameters) {
    auto room = call("GET", "/api/v1/rooms/42?q=x");
    EXPECT_EQ(room.status, 200U);
    EXPECT_EQ(room.body, R"({"route":"room","parameters":[42],"q":"x"})");
    auto unpin = call("DELETE", "/api/v1/rooms/3/super-chats/9", "Bearer t:viewer");
    EXPECT_EQ(unpin.body, R"({"route":"unpin","parameters":[3,9],"uid":7})");
}

TEST_F(RouterTest, UnknownPathIs404AndBadParametersNameWhatIsUnknown) {
    EXPECT_EQ(call("GET", "/nope").status, 404U);
    EXPECT_EQ(code(call("GET", "/nope")), static_cast<int>(Errc::not_found));
    EXPECT_EQ(call("GET", "/api/v1/rooms/").status, 404U);
    EXPECT_EQ(code(call("GET", "/api/v1/rooms/abc")), static_cast<int>(Errc::unknown_room));
    EXPECT_EQ(code(call("GET", "/api/v1/rooms/0")), static_cast<int>(Errc::unknown_room));
    EXPECT_EQ(code(call("DELETE", "/api/v1/rooms/1/super-chats/x", "Bearer t:viewer")),
              static_cast<int>(Errc::unknown_super_chat));
    EXPECT_EQ(code(call("PUT", "/api/v1/open/apps/x/whitelist/1", "Bearer t:viewer")),
              static_cast<int>(Errc::unknown_app));
    EXPECT_EQ(code(call("PUT", "/api/v1/open/apps/5/whitelist/0", "Bearer t:viewer")),
              static_cast<int>(Errc::unknown_room));
    EXPECT_EQ(code(call("PUT", "/api/v1/open/developers/-3", "Bearer t:admin")), static_cast<int>(Errc::not_found));
    EXPECT_EQ(call("PUT", "/api/v1/open/apps/5/whitelist/6", "Bearer t:viewer").body,
              R"({"route":"whitelist","parameters":[5,6],"uid":7})");
}

TEST_F(RouterTest, AKnownPathWithAnotherMethodIs405WithAllow) {
    for (const auto& [method, target, allow] : {
             std::tuple{"TRACE", "/healthz", "GET, HEAD, OPTIONS"},
             std::tuple{"POST", "/healthz", "GET, HEAD, OPTIONS"},
             std::tuple{"PUT", "/api/v1/rooms", "GET, POST, HEAD, OPTIONS"},
             std::tuple{"GET", "/api/v1/rooms/1/super-chats/2", "DELETE, OPTIONS"},
         }) {
        auto answer = call(method, target);
        EXPECT_EQ(answer.status, 405U) << method << " " << target;
        EXPECT_EQ(code(answer), static_cast<int>(Errc::method_not_allowed));
        EXPECT_EQ(header(answer, "Allow"), allow) << method << " " << target;
    }
}

TEST_F(RouterTest, OptionsIsACorsPreflight) {
    auto answer = call("OPTIONS", "/api/v1/rooms");
    EXPECT_EQ(answer.status, 204U);
    EXPECT_EQ(answer.body, "");
    EXPECT_EQ(header(answer, "Allow"), "GET, POST, HEAD, OPTIONS");
    EXPECT_EQ(header(answer, "Access-Control-Allow-Methods"), "GET, POST, HEAD, OPTIONS");
    EXPECT_NE(header(answer, "Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
    EXPECT_EQ(call("OPTIONS", "/nope").status, 404U);
}

TEST_F(RouterTest, HeadIsServedByTheGetRoute) {
    EXPECT_EQ(call("HEAD", "/healthz").body, R"({"route":"health","parameters":[]})");
}

TEST_F(RouterTest, AccessIsCheckedBeforeTheHandler) {
    EXPECT_EQ(code(call("POST", "/api/v1/rooms")), static_cast<int>(Errc::unauthenticated));
    EXPECT_EQ(call("POST", "/api/v1/rooms").status, 401U);
    EXPECT_EQ(code(call("POST", "/api/v1/rooms", "Bearer nonsense")), static_cast<int>(Errc::token_malformed));
    EXPECT_EQ(code(call("POST", "/api/v1/rooms", "Bearer t:viewer")), static_cast<int>(Errc::forbidden));
    EXPECT_EQ(call("POST", "/api/v1/rooms", "Bearer t:admin").status, 200U);
}

TEST(BearerToken, TheSchemeIsCaseInsensitiveAndSpacesAreTolerated) {
    EXPECT_EQ(bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(bearer_token("bearer abc"), "abc");
    EXPECT_EQ(bearer_token("BEARER   abc  "), "abc");
    EXPECT_EQ(bearer_token("Basic abc"), "");
    EXPECT_EQ(bearer_token("Bearer"), "");
    EXPECT_EQ(bearer_token("Bearerabc"), "");
    EXPECT_EQ(bearer_token(""), "");
}

}  // namespace
}  // namespace barrage::http
