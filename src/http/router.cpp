#include "http/router.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/url/parse.hpp>

#include "base/assert.h"
#include "http/responses.h"

namespace barrage::http {

namespace asio = boost::asio;

namespace {

// What a bad value of each typed parameter means to the client.
struct ParameterKind {
    std::string_view name;
    Errc invalid;
};
constexpr std::array kParameterKinds{
    ParameterKind{"room", Errc::unknown_room}, ParameterKind{"super_chat", Errc::unknown_super_chat},
    ParameterKind{"order", Errc::not_found},   ParameterKind{"id", Errc::not_found},
    ParameterKind{"app", Errc::unknown_app},   ParameterKind{"user", Errc::not_found},
    ParameterKind{"gift", Errc::unknown_gift}, ParameterKind{"asset", Errc::unknown_asset},
};

// The Errc for a bad value of parameter `{name}`; the pattern's own bug when unknown.
Errc invalid_value_of(std::string_view name) {
    for (const auto& kind : kParameterKinds) {
        if (kind.name == name) {
            return kind.invalid;
        }
    }
    BARRAGE_ASSERT(false && "unknown route parameter kind");
    return Errc::not_found;
}

std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> segments;
    BARRAGE_ASSERT(path.starts_with('/'));
    std::size_t at = 1;
    for (;;) {
        const auto slash = path.find('/', at);
        segments.push_back(path.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at));
        if (slash == std::string_view::npos) {
            return segments;
        }
        at = slash + 1;
    }
}

bool is_parameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// How one route's pattern met a path: not at all, or with its parameters (or the first bad one).
struct Match {
    bool path = false;
    std::vector<std::uint64_t> parameters;
    std::error_code bad_parameter;
};

Match match(std::string_view pattern, const std::vector<std::string>& segments) {
    const auto wanted = split(pattern);
    Match out;
    if (wanted.size() != segments.size()) {
        return out;
    }
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (!is_parameter(wanted[i])) {
            if (wanted[i] != segments[i]) {
                return out;
            }
            continue;
        }
        auto value = parse_number(segments[i]);
        if ((!value || *value == 0) && !out.bad_parameter) {
            out.bad_parameter = make_error_code(invalid_value_of(wanted[i].substr(1, wanted[i].size() - 2)));
        }
        out.parameters.push_back(value.value_or(0));
    }
    out.path = true;
    return out;
}

// "GET, HEAD, POST, OPTIONS": what a path serves, HEAD with GET, OPTIONS always.
std::string allow_header(std::vector<std::string_view> methods) {
    if (std::ranges::find(methods, "GET") != methods.end()) {
        methods.push_back("HEAD");
    }
    methods.push_back("OPTIONS");
    std::string out;
    for (std::size_t i = 0; i < methods.size(); ++i) {
        if (std::find(methods.begin(), methods.begin() + static_cast<std::ptrdiff_t>(i), methods[i]) !=
            methods.begin() + static_cast<std::ptrdiff_t>(i)) {
            continue;  // listed already
        }
        out += out.empty() ? "" : ", ";
        out += methods[i];
    }
    return out;
}

// A CORS preflight's answer: browsers on other origins may then call the path's methods with
// a token and a JSON body.
net::HttpResponse preflight(const std::string& allow) {
    net::HttpResponse response{.status = 204, .content_type = "text/plain", .body = {}};
    response.headers = {
        {"Allow", allow},
        {"Access-Control-Allow-Methods", allow},
        {"Access-Control-Allow-Headers", "Authorization, Content-Type, X-Payment-Timestamp, X-Payment-Signature"},
        {"Access-Control-Max-Age", "600"}};
    return response;
}

}  // namespace

std::string_view bearer_token(std::string_view authorization) {
    constexpr std::string_view kScheme = "bearer";
    if (authorization.size() <= kScheme.size() || authorization[kScheme.size()] != ' ') {
        return {};
    }
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) {
            return {};
        }
    }
    auto token = authorization.substr(kScheme.size());
    token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
    while (!token.empty() && token.back() == ' ') {
        token.remove_suffix(1);
    }
    return token;
}

std::optional<std::string> Call::query(std::string_view name) const {
    auto url = boost::urls::parse_origin_form(request.target);
    if (!url) {
        return std::nullopt;
    }
    auto params = url->params();
    auto found = params.find(name);
    if (found == params.end()) {
        return std::nullopt;
    }
    return std::string((*found).value);
}

void Router::add(Route route) {
    BARRAGE_ASSERT(route.handler);
    for (auto segment : split(route.pattern)) {
        if (is_parameter(segment)) {
            (void)invalid_value_of(segment.substr(1, segment.size() - 2));  // asserts it is known
        }
    }
    routes_.push_back(std::move(route));
}

void Router::add(std::vector<Route> routes) {
    for (auto& route : routes) {
        add(std::move(route));
    }
}

std::vector<Router::Endpoint> Router::endpoints() const {
    std::vector<Endpoint> out;
    for (const auto& route : routes_) {
        out.push_back({std::string(route.method), std::string(route.pattern), route.access});
    }
    return out;
}

asio::awaitable<net::HttpResponse> Router::dispatch(net::HttpRequest request) const {
    auto url = boost::urls::parse_origin_form(request.target);
    if (!url) {
        co_return fail(make_error_code(Errc::bad_request), "the request target is not a path");
    }
    std::vector<std::string> segments;
    for (auto segment : url->segments()) {
        segments.push_back(std::string(segment));
    }
    if (!url->path().starts_with('/')) {
        co_return fail(make_error_code(Errc::not_found));
    }
    const std::string_view method = request.method == "HEAD" ? std::string_view("GET") : request.method;
    std::vector<std::string_view> allowed;
    const Route* chosen = nullptr;
    Match chosen_match;
    for (const auto& route : routes_) {
        auto found = match(route.pattern, segments);
        if (!found.path) {
            continue;
        }
        allowed.push_back(route.method);
        if (chosen == nullptr && route.method == method) {
            chosen = &route;
            chosen_match = std::move(found);
        }
    }
    if (allowed.empty()) {
        co_return fail(make_error_code(Errc::not_found));
    }
    if (request.method == "OPTIONS") {
        co_return preflight(allow_header(allowed));
    }
    if (chosen == nullptr) {
        auto refused = fail(make_error_code(Errc::method_not_allowed));
        refused.headers.emplace_back("Allow", allow_header(allowed));
        co_return refused;
    }
    if (chosen_match.bad_parameter) {
        co_return fail(chosen_match.bad_parameter);
    }
    Call call{.request = request, .parameters = std::move(chosen_match.parameters), .caller = std::nullopt};
    if (chosen->access != Access::anyone) {
        auto token = bearer_token(request.authorization);
        auto caller =
            token.empty() ? Result<message::Sender>(make_error_code(Errc::unauthenticated)) : authenticate_(token);
        if (!caller) {
            co_return fail(caller.error());
        }
        if (chosen->access == Access::admin && caller->role < message::Role::admin) {
            co_return fail(make_error_code(Errc::forbidden));
        }
        call.caller = std::move(*caller);
    }
    // Made in its own statement: GCC 12 destroys by-value arguments inside a co_await
    // full-expression twice.
    auto answering = chosen->handler(call);
    co_return co_await std::move(answering);
}

}  // namespace barrage::http
