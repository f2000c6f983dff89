#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "http/router.h"
#include "store/directory.h"

namespace barrage::http {

// Log-in for the embedded demo's web pages: pick one of the demo users and get a token, as
// `barrage token` would print. Only on the embedded demo (a configured deployment issues its
// tokens from its own site) and only to callers on this machine: the demo has an admin, and a
// demo reachable from a network must not hand that out. From elsewhere, paste a token.
//
//   GET  /api/v1/demo/users  {"users":[{"uid","name","role"}]}
//   POST /api/v1/demo/login  {"uid"} -> {"token","uid","name","role","expires_at_s"}
class DemoApi {
public:
    DemoApi(std::vector<store::UserRecord> users, std::string token_secret, std::int64_t token_ttl_s,
            const Clock& clock)
        : users_(std::move(users)), secret_(std::move(token_secret)), ttl_s_(token_ttl_s), clock_(clock) {}

    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> list(const Call& call);
    boost::asio::awaitable<net::HttpResponse> login(const Call& call);

    std::vector<store::UserRecord> users_;
    std::string secret_;
    std::int64_t ttl_s_;
    const Clock& clock_;
};

// Whether "address:port" (or "[v6]:port", or a bare address) is a loopback address.
bool is_loopback_remote(std::string_view remote);

}  // namespace barrage::http
