// libFuzzer target for an HTTP request through the route table (http/router.h): method, target
// and Authorization header from the input, dispatched over a table with every pattern shape the
// API uses (literal paths, {room}, {room} and {super_chat}) and every access level.
//
// Input: "METHOD\nTARGET\nAUTHORIZATION" (missing parts are empty).
//
// Properties checked besides "no crash, no sanitizer report, no exception":
//   - every answer is one of 200 (the handler ran), 204 (preflight), 400, 401, 403, 404, 405;
//   - an error answer's body is JSON with our code and a matching status;
//   - a 405 names the allowed methods, and never the method that was refused;
//   - a handler runs only with the access its route asks for, and with parameters above 0.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "base/assert.h"
#include "http/router.h"
#include "net/http_error.h"

namespace {

namespace asio = boost::asio;
using namespace barrage;
using namespace barrage::http;

Handler checked(Access access, std::size_t parameters) {
    return [access, parameters](const Call& call) -> asio::awaitable<net::HttpResponse> {
        BARRAGE_ASSERT(call.parameters.size() == parameters);
        for (auto value : call.parameters) {
            BARRAGE_ASSERT(value > 0);
        }
        BARRAGE_ASSERT(call.caller.has_value() == (access != Access::anyone));
        if (access == Access::admin) {
            BARRAGE_ASSERT(call.who().role == message::Role::admin);
        }
        (void)call.query("limit");
        co_return net::HttpResponse{200, "application/json", "{}"};
    };
}

Router& router() {
    static Router table = [] {
        Router made([](std::string_view token) -> Result<message::Sender> {
            // "admin" and "viewer" are tokens of those roles; anything else is refused.
            if (token == "admin") {
                return message::Sender{.uid = UserId{10}, .name = "a", .face = "", .role = message::Role::admin};
            }
            if (token == "viewer") {
                return message::Sender{.uid = UserId{3}, .name = "v", .face = "", .role = message::Role::viewer};
            }
            return make_error_code(Errc::token_bad_signature);
        });
        made.add({
            {"GET", "/healthz", Access::anyone, checked(Access::anyone, 0)},
            {"GET", "/api/v1/rooms", Access::anyone, checked(Access::anyone, 0)},
            {"POST", "/api/v1/rooms", Access::admin, checked(Access::admin, 0)},
            {"GET", "/api/v1/rooms/{room}", Access::anyone, checked(Access::anyone, 1)},
            {"POST", "/api/v1/rooms/{room}/danmaku", Access::user, checked(Access::user, 1)},
            {"DELETE", "/api/v1/rooms/{room}/super-chats/{super_chat}", Access::user, checked(Access::user, 2)},
            {"GET", "/api/v1/wallet", Access::user, checked(Access::user, 0)},
            {"POST", "/api/v1/admin/refunds", Access::admin, checked(Access::admin, 0)},
        });
        return made;
    }();
    return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto first = input.find('\n');
    const auto second = first == std::string_view::npos ? first : input.find('\n', first + 1);
    net::HttpRequest request;
    request.method = std::string(input.substr(0, first));
    if (first != std::string_view::npos) {
        request.target =
            std::string(input.substr(first + 1, second == std::string_view::npos ? second : second - first - 1));
    }
    if (second != std::string_view::npos) {
        request.authorization = std::string(input.substr(second + 1));
    }
    const std::string method = request.method;
    asio::io_context context;
    auto answering = asio::co_spawn(context, router().dispatch(std::move(request)), asio::use_future);
    context.run();
    const auto answer = answering.get();
    switch (answer.status) {
        case 200:
        case 204: return 0;
        case 400:
        case 401:
        case 403:
        case 404:
        case 405: break;
        default: BARRAGE_ASSERT(false && "a status the router does not answer");
    }
    const auto body = boost::json::parse(answer.body).as_object();
    const auto code = static_cast<int>(body.at("code").as_int64());
    BARRAGE_ASSERT(net::http_status_for(make_error_code(static_cast<Errc>(code))) == answer.status);
    if (answer.status == 405) {
        std::string allow;
        for (const auto& [name, value] : answer.headers) {
            if (name == "Allow") {
                allow = value;
            }
        }
        BARRAGE_ASSERT(!allow.empty());
        // "GET, HEAD, OPTIONS": the refused method is none of the listed ones.
        for (std::size_t at = 0; at < allow.size();) {
            const auto comma = allow.find(", ", at);
            const auto listed = allow.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
            BARRAGE_ASSERT(listed != method);
            at = comma == std::string::npos ? allow.size() : comma + 2;
        }
    }
    return 0;
}
