#pragma once

// A tiny blocking HTTP/1.1 client for the REST API (one connection per request, Connection:
// close). Beast lives in beast_clients.cpp only. Throws std::runtime_error when the server
// does not answer within kWaitMax.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

namespace barrage::test {

struct HttpReply {
    unsigned status = 0;
    std::string content_type;
    std::string body;

    // The body as a JSON object (throws when it is not one).
    boost::json::object json() const;
    // Its "code" field (throws when absent).
    std::int64_t code() const;
};

// Extra request headers as (name, value) pairs, e.g. a payment provider's signature.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// `token`, when not empty, is sent as "Authorization: Bearer <token>".
HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view target, std::string_view body = {},
                       std::string_view token = {});
// The same with extra headers.
HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view target, std::string_view body,
                       std::string_view token, const HttpHeaders& headers);

inline HttpReply http_get(std::uint16_t port, std::string_view target, std::string_view token = {}) {
    return http_request(port, "GET", target, {}, token);
}

inline HttpReply http_post(std::uint16_t port, std::string_view target, std::string_view body,
                           std::string_view token = {}) {
    return http_request(port, "POST", target, body, token);
}

inline HttpReply http_delete(std::uint16_t port, std::string_view target, std::string_view token = {}) {
    return http_request(port, "DELETE", target, {}, token);
}

}  // namespace barrage::test
