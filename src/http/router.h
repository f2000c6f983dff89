#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "base/ids.h"
#include "base/result.h"
#include "message/room_message.h"
#include "net/listeners.h"

namespace barrage::http {

// Who may call a route. The router checks it before the handler runs, so no handler repeats it.
enum class Access : std::uint8_t {
    anyone,  // no token needed
    user,    // a valid user token (Bearer, scheme in any case), any role
    admin,   // a valid token with the admin role (else Errc::forbidden)
};

// One call as a handler sees it: the request, its typed path parameters, and the caller when
// the route's access needed one.
struct Call {
    const net::HttpRequest& request;
    std::vector<std::uint64_t> parameters;  // the pattern's {…} segments, in order, all > 0
    std::optional<message::Sender> caller;

    std::uint64_t parameter(std::size_t index) const { return parameters.at(index); }
    // The query parameter `name`, decoded, if present.
    std::optional<std::string> query(std::string_view name) const;
    // The caller; only for routes whose access is user or admin.
    const message::Sender& who() const { return *caller; }
};

using Handler = std::function<boost::asio::awaitable<net::HttpResponse>(const Call& call)>;

// One endpoint: method, path pattern, access, handler. Patterns are literal segments and
// typed parameters: {room} (a room id; anything else is Errc::unknown_room), {super_chat}
// (Errc::unknown_super_chat), {app} (an open-platform app id, Errc::unknown_app), {gift}
// (Errc::unknown_gift), {asset} (Errc::unknown_asset), {order}, {id}
// and {user} (Errc::not_found); a parameter is a whole decimal number above 0.
struct Route {
    std::string_view method;   // "GET", "POST", "DELETE", ...
    std::string_view pattern;  // "/api/v1/rooms/{room}/gifts"
    Access access = Access::anyone;
    Handler handler;
};

// The HTTP API as data: every route in one table, matched by path then method. A known path
// with another method is 405 (Errc::method_not_allowed) with an Allow header; OPTIONS on a
// known path is answered as a CORS preflight (204 with Allow and Access-Control-Allow-*); HEAD
// is served by the GET route (the listener drops the body). The table is also the endpoint list
// docs/protocol.md must show (tests/integration/endpoints_documented_test.cpp compares them).
//
// Thread rule: routes are added before serving; dispatch() is then safe from any loop.
class Router {
public:
    // Who a bearer token belongs to (its own errors: expired, forged, ...).
    using Authenticate = std::function<Result<message::Sender>(std::string_view token)>;

    explicit Router(Authenticate authenticate) : authenticate_(std::move(authenticate)) {}

    void add(Route route);
    void add(std::vector<Route> routes);

    boost::asio::awaitable<net::HttpResponse> dispatch(net::HttpRequest request) const;

    struct Endpoint {
        std::string method;
        std::string pattern;
        Access access;
    };
    std::vector<Endpoint> endpoints() const;

private:
    Authenticate authenticate_;
    std::vector<Route> routes_;
};

// The token of an Authorization header using the Bearer scheme (RFC 7235: the scheme is
// case-insensitive, one or more spaces before the token), or "".
std::string_view bearer_token(std::string_view authorization);

}  // namespace barrage::http
