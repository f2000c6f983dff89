#include "http/demo_api.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>

#include "http/body.h"
#include "http/responses.h"
#include "identity/token.h"
#include "message/role.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

bool is_loopback_remote(std::string_view remote) {
    std::string_view address = remote;
    if (address.starts_with('[')) {
        address = address.substr(1, address.find(']') == std::string_view::npos ? 0 : address.find(']') - 1);
    } else if (std::count(address.begin(), address.end(), ':') == 1) {
        address = address.substr(0, address.find(':'));
    }
    boost::system::error_code ec;
    const auto parsed = asio::ip::make_address(address, ec);
    return !ec && parsed.is_loopback();
}

std::vector<Route> DemoApi::routes() {
    return {
        {"GET", "/api/v1/demo/users", Access::anyone, [this](const Call& call) { return list(call); }},
        {"POST", "/api/v1/demo/login", Access::anyone, [this](const Call& call) { return login(call); }},
    };
}

namespace {

net::HttpResponse refuse_remote() {
    return fail(make_error_code(Errc::forbidden),
                "demo log-in answers this machine only; elsewhere paste a token from `barrage token`");
}

}  // namespace

asio::awaitable<net::HttpResponse> DemoApi::list(const Call& call) {
    if (!is_loopback_remote(call.request.remote)) {
        co_return refuse_remote();
    }
    json::array users;
    for (const auto& user : users_) {
        users.push_back(
            json::object{{"uid", user.uid.value}, {"name", user.name}, {"role", message::to_string(user.role)}});
    }
    co_return ok(json::object{{"users", std::move(users)}});
}

asio::awaitable<net::HttpResponse> DemoApi::login(const Call& call) {
    if (!is_loopback_remote(call.request.remote)) {
        co_return refuse_remote();
    }
    Fields fields(call.request.body);
    const auto uid = fields.integer("uid", {.min = 1, .max = static_cast<std::int64_t>(identity::kUidMax)});
    if (auto refused = fields.refusal()) {
        co_return fail(*refused);
    }
    const auto user = std::find_if(users_.begin(), users_.end(), [uid](const store::UserRecord& record) {
        return record.uid.value == static_cast<std::uint64_t>(uid);
    });
    if (user == users_.end()) {
        co_return fail(make_error_code(Errc::not_found), "no demo user with that uid (GET /api/v1/demo/users)");
    }
    const std::int64_t now_s = clock_.wall_ms() / 1000;
    identity::Claims claims{.uid = user->uid,
                            .name = user->name,
                            .face = user->face,
                            .role = user->role,
                            .issued_at_s = now_s,
                            .expires_at_s = now_s + ttl_s_};
    co_return ok(json::object{{"token", identity::sign_token(claims, secret_)},
                              {"uid", user->uid.value},
                              {"name", user->name},
                              {"role", message::to_string(user->role)},
                              {"expires_at_s", claims.expires_at_s}});
}

}  // namespace barrage::http
